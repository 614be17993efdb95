<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Chat::ChatClient</name>
    <message>
        <source>Join a room first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name %1 is already taken. Please choose another.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not accept this name: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are sending messages too fast; slow down a little.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 joined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <comment>names, and how many more</comment>
        <translation>
            <numerusform>%1 and %n more</numerusform>
            <numerusform>%1 and %n more</numerusform>
        </translation>
    </message>
    <message>
        <source>The name %1 belongs to an account on this server: sign in with its password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong name or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your sign-in has ended: please sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many failed sign-ins: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This account is disabled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sent you a direct message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 removed you from %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 muted you in %2 for a while.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server&apos;s admin makes the accounts: ask them for one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This invitation is not valid any more (used up or expired): ask for a new one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a longer password (at least 8 characters, and not your name).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Chat::ConnectionBar</name>
    <message>
        <source>Retry now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to %1 as %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Connection lost. Reconnecting in %n s</source>
        <translation>
            <numerusform>Connection lost. Reconnecting in %n s</numerusform>
            <numerusform>Connection lost. Reconnecting in %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) waiting to be sent</source>
        <translation>
            <numerusform>%n message waiting to be sent</numerusform>
            <numerusform>%n messages waiting to be sent</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Chat::DesktopNotifications</name>
    <message>
        <source>Open #%1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Chat::DevicesDialog</name>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sign out this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out &amp;everywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (this one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices signed in to your account: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every device, this one included, must sign in again with the password.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Chat::LoginDialog</name>
    <message>
        <source>Connect to LAN chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the chat server on your network and the name others will see.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the server as ws://host:port (or wss:// for a secure server).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only if the server has one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Servers on your network:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Servers on your network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2:%3%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (TLS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It says its certificate&apos;s SHA-256 fingerprint is %1. Compare it with the one your admin gives you; you will be asked to trust the certificate when connecting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create an account with this name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Invitation:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The link you were given, or its code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invitation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new password, at least 8 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your account&apos;s password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a password of at least 8 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the invitation link you were given.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Chat::MainWindow</name>
    <message>
        <source>Typing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People in this room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Join a room…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Next room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;revious room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mute or unmute this room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Leave this room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About LAN chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No room open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a room to start chatting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message #%1 (Enter sends, Shift+Enter for a new line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About LAN chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;LAN chat %1&lt;/b&gt;&lt;p&gt;Chat with the people on your network.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server %1 uses a certificate that no authority vouches for. Compare its fingerprint with the one chat-server printed when it started:

%2

Trust this server from now on?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WARNING: the certificate of %1 has changed since you last connected. Someone may be intercepting the connection.

Before: %2
Now: %3

Trust the new certificate only if the server&apos;s owner changed it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the server&apos;s certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find in this room…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LAN chat is still running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It keeps you posted from the tray. Quit from its menu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain on this desktop: you will be asked for your password the next time you start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a &amp;direct message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mute for 10 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kick from this room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Devices…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;private room…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New private room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room name (only the people you invite will see it):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Moderation log…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Chat::MessageDelegate</name>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not sent</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Chat::MessageInput</name>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Chat::MessageView</name>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Chat::ModerationLogDialog</name>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Did</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moderation log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody has moderated anything yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acts of moderation, newest first: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Chat::Notifier</name>
    <message>
        <source>LAN chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#%1 – LAN chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>LAN chat: %n unread message(s)</source>
        <translation>
            <numerusform>LAN chat: %n unread message</numerusform>
            <numerusform>LAN chat: %n unread messages</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 mentioned you in #%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in #%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show LAN chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Chat::PreferencesDialog</name>
    <message>
        <source>Show a desktop notification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flash the taskbar entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Include the message text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notify about mentions in muted rooms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When a message arrives that you are not looking at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep running in the tray when the window is closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start when I log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the desktop</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Chat::RoomsPanel</name>
    <message>
        <source>Join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a room…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room to join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unmute #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave #%1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Chat::SearchBar</name>
    <message>
        <source>Search this room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Older match (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Older match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Newer match (Shift+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Newer match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close search (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No matches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Chat::SessionPrompts</name>
    <message>
        <source>Your account&apos;s password</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Chat::Validation</name>
    <message>
        <source>A name must not be empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name can be at most %1 characters long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name must be valid text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name must not contain control characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A room name must not be empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A room name can be at most %1 characters long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A room name must be valid text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A room name must not contain spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A room name must not contain control characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A message must not be empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A message can be at most %1 characters long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A message must be valid text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A message must not contain control characters.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
