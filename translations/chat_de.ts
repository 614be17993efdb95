<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Chat::ChatClient</name>
    <message>
        <source>Join a room first.</source>
        <translation>Tritt zuerst einem Raum bei.</translation>
    </message>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 schreibt…</translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation>%1 und %2 schreiben…</translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <translation>Mehrere Personen schreiben…</translation>
    </message>
    <message>
        <source>%1 joined</source>
        <translation>%1 ist beigetreten</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 hat den Raum verlassen</translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <comment>names, and how many more</comment>
        <translation>
            <numerusform>%1 und %n weitere</numerusform>
            <numerusform>%1 und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>The name %1 is already taken. Please choose another.</source>
        <translation>Der Name %1 ist bereits vergeben. Bitte wähle einen anderen.</translation>
    </message>
    <message>
        <source>The server does not accept this name: %1</source>
        <translation>Der Server akzeptiert diesen Namen nicht: %1</translation>
    </message>
    <message>
        <source>The server refused the password.</source>
        <translation>Der Server hat das Passwort abgelehnt.</translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation>Die Nachricht ist zu lang.</translation>
    </message>
    <message>
        <source>You are sending messages too fast; slow down a little.</source>
        <translation>Du sendest zu schnell; bitte etwas langsamer.</translation>
    </message>
    <message>
        <source>The name %1 belongs to an account on this server: sign in with its password.</source>
        <translation>Der Name %1 gehört auf diesem Server zu einem Konto: Melden Sie sich mit dessen Passwort an.</translation>
    </message>
    <message>
        <source>Wrong name or password.</source>
        <translation>Falscher Name oder falsches Passwort.</translation>
    </message>
    <message>
        <source>Your sign-in has ended: please sign in again.</source>
        <translation>Ihre Anmeldung ist abgelaufen: Bitte melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>Too many failed sign-ins: %1</source>
        <translation>Zu viele fehlgeschlagene Anmeldungen: %1</translation>
    </message>
    <message>
        <source>This account is disabled.</source>
        <translation>Dieses Konto ist deaktiviert.</translation>
    </message>
    <message>
        <source>%1 sent you a direct message</source>
        <translation>%1 hat Ihnen eine Direktnachricht geschickt</translation>
    </message>
    <message>
        <source>%1 removed you from %2.</source>
        <translation>%1 hat Sie aus %2 entfernt.</translation>
    </message>
    <message>
        <source>%1 muted you in %2 for a while.</source>
        <translation>%1 hat Sie in %2 vorübergehend stummgeschaltet.</translation>
    </message>
    <message>
        <source>This server&apos;s admin makes the accounts: ask them for one.</source>
        <translation>Auf diesem Server legt der Admin die Konten an: Bitten Sie ihn um eines.</translation>
    </message>
    <message>
        <source>This invitation is not valid any more (used up or expired): ask for a new one.</source>
        <translation>Diese Einladung gilt nicht mehr (aufgebraucht oder abgelaufen): Bitten Sie um eine neue.</translation>
    </message>
    <message>
        <source>Choose a longer password (at least 8 characters, and not your name).</source>
        <translation>Wählen Sie ein längeres Passwort (mindestens 8 Zeichen, und nicht Ihr Name).</translation>
    </message>
</context>
<context>
    <name>Chat::ConnectionBar</name>
    <message>
        <source>Retry now</source>
        <translation>Jetzt erneut versuchen</translation>
    </message>
    <message>
        <source>Connection status</source>
        <translation>Verbindungsstatus</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1…</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Anmeldung…</translation>
    </message>
    <message>
        <source>Connected to %1 as %2</source>
        <translation>Verbunden mit %1 als %2</translation>
    </message>
    <message numerus="yes">
        <source>Connection lost. Reconnecting in %n s</source>
        <translation>
            <numerusform>Verbindung verloren. Neuer Versuch in %n s</numerusform>
            <numerusform>Verbindung verloren. Neuer Versuch in %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) waiting to be sent</source>
        <translation>
            <numerusform>%n Nachricht wartet auf das Senden</numerusform>
            <numerusform>%n Nachrichten warten auf das Senden</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Chat::DesktopNotifications</name>
    <message>
        <source>Open #%1</source>
        <translation>#%1 öffnen</translation>
    </message>
</context>
<context>
    <name>Chat::DevicesDialog</name>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Zuletzt genutzt</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Bis</translation>
    </message>
    <message>
        <source>&amp;Sign out this device</source>
        <translation>Dieses Gerät &amp;abmelden</translation>
    </message>
    <message>
        <source>Sign out &amp;everywhere</source>
        <translation>&amp;Überall abmelden</translation>
    </message>
    <message>
        <source>Signed in on</source>
        <translation>Angemeldet auf</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <source>%1 (this one)</source>
        <translation>%1 (dieses)</translation>
    </message>
    <message>
        <source>Devices signed in to your account: %1</source>
        <translation>Mit Ihrem Konto angemeldete Geräte: %1</translation>
    </message>
    <message>
        <source>Every device, this one included, must sign in again with the password.</source>
        <translation>Jedes Gerät, auch dieses, muss sich wieder mit dem Passwort anmelden.</translation>
    </message>
</context>
<context>
    <name>Chat::LoginDialog</name>
    <message>
        <source>Connect to LAN chat</source>
        <translation>Mit LAN chat verbinden</translation>
    </message>
    <message>
        <source>Choose the chat server on your network and the name others will see.</source>
        <translation>Wähle den Chat-Server in deinem Netzwerk und den Namen, den andere sehen.</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Dein Name</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Enter the server as ws://host:port (or wss:// for a secure server).</source>
        <translation>Gib den Server als ws://host:port ein (oder wss:// für einen sicheren Server).</translation>
    </message>
    <message>
        <source>Only if the server has one</source>
        <translation>Nur wenn der Server eines verlangt</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>Servers on your network:</source>
        <translation>Server in Ihrem Netzwerk:</translation>
    </message>
    <message>
        <source>Servers on your network</source>
        <translation>Server in Ihrem Netzwerk</translation>
    </message>
    <message>
        <source>%1 — %2:%3%4</source>
        <translation>%1 — %2:%3%4</translation>
    </message>
    <message>
        <source> (TLS)</source>
        <translation> (TLS)</translation>
    </message>
    <message>
        <source>It says its certificate&apos;s SHA-256 fingerprint is %1. Compare it with the one your admin gives you; you will be asked to trust the certificate when connecting.</source>
        <translation>Laut eigener Angabe hat sein Zertifikat den SHA-256-Fingerabdruck %1. Vergleichen Sie ihn mit dem, den Ihnen Ihr Admin nennt; beim Verbinden werden Sie gefragt, ob Sie dem Zertifikat vertrauen.</translation>
    </message>
    <message>
        <source>&amp;Create an account with this name</source>
        <translation>Ein Konto mit diesem Namen &amp;anlegen</translation>
    </message>
    <message>
        <source>&amp;Invitation:</source>
        <translation>&amp;Einladung:</translation>
    </message>
    <message>
        <source>The link you were given, or its code</source>
        <translation>Der Link, den Sie bekommen haben, oder sein Code</translation>
    </message>
    <message>
        <source>Invitation</source>
        <translation>Einladung</translation>
    </message>
    <message>
        <source>A new password, at least 8 characters</source>
        <translation>Ein neues Passwort, mindestens 8 Zeichen</translation>
    </message>
    <message>
        <source>Your account&apos;s password</source>
        <translation>Das Passwort Ihres Kontos</translation>
    </message>
    <message>
        <source>Create account</source>
        <translation>Konto anlegen</translation>
    </message>
    <message>
        <source>Choose a password of at least 8 characters.</source>
        <translation>Wählen Sie ein Passwort mit mindestens 8 Zeichen.</translation>
    </message>
    <message>
        <source>Paste the invitation link you were given.</source>
        <translation>Fügen Sie den Einladungslink ein, den Sie bekommen haben.</translation>
    </message>
</context>
<context>
    <name>Chat::MainWindow</name>
    <message>
        <source>Typing</source>
        <translation>Schreibt</translation>
    </message>
    <message>
        <source>People in this room</source>
        <translation>Personen in diesem Raum</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>People (%1)</source>
        <translation>Personen (%1)</translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation>&amp;Chat</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Room</source>
        <translation>&amp;Raum</translation>
    </message>
    <message>
        <source>&amp;Join a room…</source>
        <translation>Raum &amp;betreten…</translation>
    </message>
    <message>
        <source>&amp;Next room</source>
        <translation>&amp;Nächster Raum</translation>
    </message>
    <message>
        <source>P&amp;revious room</source>
        <translation>&amp;Vorheriger Raum</translation>
    </message>
    <message>
        <source>&amp;Mute or unmute this room</source>
        <translation>Raum &amp;stumm schalten oder wieder laut</translation>
    </message>
    <message>
        <source>&amp;Leave this room</source>
        <translation>Raum &amp;verlassen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About LAN chat</source>
        <translation>Ü&amp;ber LAN chat</translation>
    </message>
    <message>
        <source>No room open</source>
        <translation>Kein Raum geöffnet</translation>
    </message>
    <message>
        <source>Join a room to start chatting</source>
        <translation>Tritt einem Raum bei, um zu chatten</translation>
    </message>
    <message>
        <source>Message #%1 (Enter sends, Shift+Enter for a new line)</source>
        <translation>Nachricht an #%1 (Enter sendet, Umschalt+Enter für neue Zeile)</translation>
    </message>
    <message>
        <source>About LAN chat</source>
        <translation>Über LAN chat</translation>
    </message>
    <message>
        <source>&lt;b&gt;LAN chat %1&lt;/b&gt;&lt;p&gt;Chat with the people on your network.&lt;/p&gt;</source>
        <translation>&lt;b&gt;LAN chat %1&lt;/b&gt;&lt;p&gt;Chatte mit den Leuten in deinem Netzwerk.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>The server %1 uses a certificate that no authority vouches for. Compare its fingerprint with the one chat-server printed when it started:

%2

Trust this server from now on?</source>
        <translation>Der Server %1 verwendet ein Zertifikat, für das keine Zertifizierungsstelle bürgt. Vergleiche den Fingerabdruck mit dem, den chat-server beim Start ausgegeben hat:

%2

Diesem Server ab jetzt vertrauen?</translation>
    </message>
    <message>
        <source>WARNING: the certificate of %1 has changed since you last connected. Someone may be intercepting the connection.

Before: %2
Now: %3

Trust the new certificate only if the server&apos;s owner changed it.</source>
        <translation>WARNUNG: Das Zertifikat von %1 hat sich seit der letzten Verbindung geändert. Möglicherweise fängt jemand die Verbindung ab.

Vorher: %2
Jetzt: %3

Vertraue dem neuen Zertifikat nur, wenn der Betreiber des Servers es geändert hat.</translation>
    </message>
    <message>
        <source>Check the server&apos;s certificate</source>
        <translation>Zertifikat des Servers prüfen</translation>
    </message>
    <message>
        <source>&amp;Find in this room…</source>
        <translation>&amp;In diesem Raum suchen…</translation>
    </message>
    <message>
        <source>LAN chat is still running</source>
        <translation>LAN chat läuft weiter</translation>
    </message>
    <message>
        <source>It keeps you posted from the tray. Quit from its menu.</source>
        <translation>Es hält Sie aus dem Infobereich auf dem Laufenden. Beenden über sein Menü.</translation>
    </message>
    <message>
        <source>No keychain on this desktop: you will be asked for your password the next time you start.</source>
        <translation>Kein Schlüsselbund auf diesem Desktop: Beim nächsten Start werden Sie erneut nach Ihrem Passwort gefragt.</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Ab&amp;melden</translation>
    </message>
    <message>
        <source>Send a &amp;direct message</source>
        <translation>&amp;Direktnachricht senden</translation>
    </message>
    <message>
        <source>&amp;Mute for 10 minutes</source>
        <translation>10 Minuten &amp;stummschalten</translation>
    </message>
    <message>
        <source>&amp;Kick from this room</source>
        <translation>Aus diesem Raum &amp;entfernen</translation>
    </message>
    <message>
        <source>&amp;Devices…</source>
        <translation>&amp;Geräte…</translation>
    </message>
    <message>
        <source>New &amp;private room…</source>
        <translation>Neuer &amp;privater Raum…</translation>
    </message>
    <message>
        <source>New private room</source>
        <translation>Neuer privater Raum</translation>
    </message>
    <message>
        <source>Room name (only the people you invite will see it):</source>
        <translation>Raumname (nur die Personen, die Sie einladen, sehen ihn):</translation>
    </message>
    <message>
        <source>&amp;Moderation log…</source>
        <translation>&amp;Moderationsprotokoll…</translation>
    </message>
</context>
<context>
    <name>Chat::MessageDelegate</name>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <source>sending…</source>
        <translation>wird gesendet…</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>nicht gesendet</translation>
    </message>
</context>
<context>
    <name>Chat::MessageInput</name>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
</context>
<context>
    <name>Chat::MessageView</name>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
</context>
<context>
    <name>Chat::ModerationLogDialog</name>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <source>Did</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Wen</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Raum</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Moderation log</source>
        <translation>Moderationsprotokoll</translation>
    </message>
    <message>
        <source>Nobody has moderated anything yet.</source>
        <translation>Bisher hat niemand moderiert.</translation>
    </message>
    <message>
        <source>Acts of moderation, newest first: %1</source>
        <translation>Moderationen, die neuesten zuerst: %1</translation>
    </message>
</context>
<context>
    <name>Chat::Notifier</name>
    <message>
        <source>LAN chat</source>
        <translation>LAN chat</translation>
    </message>
    <message>
        <source>#%1 – LAN chat</source>
        <translation>#%1 – LAN chat</translation>
    </message>
    <message numerus="yes">
        <source>LAN chat: %n unread message(s)</source>
        <translation>
            <numerusform>LAN chat: %n ungelesene Nachricht</numerusform>
            <numerusform>LAN chat: %n ungelesene Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 mentioned you in #%2</source>
        <translation>%1 hat dich in #%2 erwähnt</translation>
    </message>
    <message>
        <source>%1 in #%2</source>
        <translation>%1 in #%2</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>Neue Nachricht</translation>
    </message>
    <message>
        <source>Show LAN chat</source>
        <translation>LAN chat anzeigen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
</context>
<context>
    <name>Chat::PreferencesDialog</name>
    <message>
        <source>Show a desktop notification</source>
        <translation>Desktop-Benachrichtigung anzeigen</translation>
    </message>
    <message>
        <source>Flash the taskbar entry</source>
        <translation>Taskleisteneintrag blinken lassen</translation>
    </message>
    <message>
        <source>Include the message text</source>
        <translation>Nachrichtentext anzeigen</translation>
    </message>
    <message>
        <source>Notify about mentions in muted rooms</source>
        <translation>Bei Erwähnungen auch in stummen Räumen benachrichtigen</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>When a message arrives that you are not looking at</source>
        <translation>Wenn eine Nachricht eintrifft, die du gerade nicht siehst</translation>
    </message>
    <message>
        <source>Keep running in the tray when the window is closed</source>
        <translation>Beim Schließen des Fensters im Infobereich weiterlaufen</translation>
    </message>
    <message>
        <source>Start when I log in</source>
        <translation>Beim Anmelden starten</translation>
    </message>
    <message>
        <source>On the desktop</source>
        <translation>Auf dem Desktop</translation>
    </message>
</context>
<context>
    <name>Chat::RoomsPanel</name>
    <message>
        <source>Join</source>
        <translation>Beitreten</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <source>Join a room…</source>
        <translation>Raum betreten…</translation>
    </message>
    <message>
        <source>Room to join</source>
        <translation>Raum zum Betreten</translation>
    </message>
    <message>
        <source>Unmute #%1</source>
        <translation>#%1 wieder laut schalten</translation>
    </message>
    <message>
        <source>Mute #%1</source>
        <translation>#%1 stumm schalten</translation>
    </message>
    <message>
        <source>Leave #%1</source>
        <translation>#%1 verlassen</translation>
    </message>
</context>
<context>
    <name>Chat::SearchBar</name>
    <message>
        <source>Search this room</source>
        <translation>In diesem Raum suchen</translation>
    </message>
    <message>
        <source>Search messages</source>
        <translation>Nachrichten suchen</translation>
    </message>
    <message>
        <source>Older match (Enter)</source>
        <translation>Älterer Treffer (Enter)</translation>
    </message>
    <message>
        <source>Older match</source>
        <translation>Älterer Treffer</translation>
    </message>
    <message>
        <source>Newer match (Shift+Enter)</source>
        <translation>Neuerer Treffer (Umschalt+Enter)</translation>
    </message>
    <message>
        <source>Newer match</source>
        <translation>Neuerer Treffer</translation>
    </message>
    <message>
        <source>Close search (Esc)</source>
        <translation>Suche schließen (Esc)</translation>
    </message>
    <message>
        <source>Close search</source>
        <translation>Suche schließen</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Keine Treffer</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
</context>
<context>
    <name>Chat::SessionPrompts</name>
    <message>
        <source>Your account&apos;s password</source>
        <translation>Das Passwort Ihres Kontos</translation>
    </message>
</context>
<context>
    <name>Chat::Validation</name>
    <message>
        <source>A name must not be empty.</source>
        <translation>Der Name darf nicht leer sein.</translation>
    </message>
    <message>
        <source>A name can be at most %1 characters long.</source>
        <translation>Ein Name darf höchstens %1 Zeichen lang sein.</translation>
    </message>
    <message>
        <source>A name must be valid text.</source>
        <translation>Der Name muss gültiger Text sein.</translation>
    </message>
    <message>
        <source>A name must not contain control characters.</source>
        <translation>Der Name darf keine Steuerzeichen enthalten.</translation>
    </message>
    <message>
        <source>A room name must not be empty.</source>
        <translation>Der Raumname darf nicht leer sein.</translation>
    </message>
    <message>
        <source>A room name can be at most %1 characters long.</source>
        <translation>Ein Raumname darf höchstens %1 Zeichen lang sein.</translation>
    </message>
    <message>
        <source>A room name must be valid text.</source>
        <translation>Der Raumname muss gültiger Text sein.</translation>
    </message>
    <message>
        <source>A room name must not contain spaces.</source>
        <translation>Der Raumname darf keine Leerzeichen enthalten.</translation>
    </message>
    <message>
        <source>A room name must not contain control characters.</source>
        <translation>Der Raumname darf keine Steuerzeichen enthalten.</translation>
    </message>
    <message>
        <source>A message must not be empty.</source>
        <translation>Die Nachricht darf nicht leer sein.</translation>
    </message>
    <message>
        <source>A message can be at most %1 characters long.</source>
        <translation>Eine Nachricht darf höchstens %1 Zeichen lang sein.</translation>
    </message>
    <message>
        <source>A message must be valid text.</source>
        <translation>Die Nachricht muss gültiger Text sein.</translation>
    </message>
    <message>
        <source>A message must not contain control characters.</source>
        <translation>Die Nachricht darf keine Steuerzeichen enthalten.</translation>
    </message>
</context>
</TS>
