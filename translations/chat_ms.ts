<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ms_MY">
<context>
    <name>Chat::ChatClient</name>
    <message>
        <source>Join a room first.</source>
        <translation>Sertai bilik dahulu.</translation>
    </message>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 sedang menaip…</translation>
    </message>
    <message>
        <source>%1 and %2 are typing…</source>
        <translation>%1 dan %2 sedang menaip…</translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <translation>Beberapa orang sedang menaip…</translation>
    </message>
    <message>
        <source>%1 joined</source>
        <translation>%1 telah menyertai</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 telah keluar</translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <comment>names, and how many more</comment>
        <translation>
            <numerusform>%1 dan %n lagi</numerusform>
        </translation>
    </message>
    <message>
        <source>The name %1 is already taken. Please choose another.</source>
        <translation>Nama %1 sudah digunakan. Sila pilih nama lain.</translation>
    </message>
    <message>
        <source>The server does not accept this name: %1</source>
        <translation>Pelayan tidak menerima nama ini: %1</translation>
    </message>
    <message>
        <source>The server refused the password.</source>
        <translation>Pelayan menolak kata laluan.</translation>
    </message>
    <message>
        <source>The message is too long.</source>
        <translation>Mesej terlalu panjang.</translation>
    </message>
    <message>
        <source>You are sending messages too fast; slow down a little.</source>
        <translation>Anda menghantar mesej terlalu cepat; perlahankan sedikit.</translation>
    </message>
    <message>
        <source>The name %1 belongs to an account on this server: sign in with its password.</source>
        <translation>Nama %1 milik sebuah akaun di pelayan ini: log masuk dengan kata laluannya.</translation>
    </message>
    <message>
        <source>Wrong name or password.</source>
        <translation>Nama atau kata laluan salah.</translation>
    </message>
    <message>
        <source>Your sign-in has ended: please sign in again.</source>
        <translation>Log masuk anda telah tamat: sila log masuk semula.</translation>
    </message>
    <message>
        <source>Too many failed sign-ins: %1</source>
        <translation>Terlalu banyak log masuk yang gagal: %1</translation>
    </message>
    <message>
        <source>This account is disabled.</source>
        <translation>Akaun ini telah dinyahdayakan.</translation>
    </message>
    <message>
        <source>%1 sent you a direct message</source>
        <translation>%1 menghantar mesej terus kepada anda</translation>
    </message>
    <message>
        <source>%1 removed you from %2.</source>
        <translation>%1 telah mengeluarkan anda dari %2.</translation>
    </message>
    <message>
        <source>%1 muted you in %2 for a while.</source>
        <translation>%1 telah membisukan anda di %2 buat seketika.</translation>
    </message>
    <message>
        <source>This server&apos;s admin makes the accounts: ask them for one.</source>
        <translation>Pentadbir pelayan ini yang membuat akaun: mintalah satu daripadanya.</translation>
    </message>
    <message>
        <source>This invitation is not valid any more (used up or expired): ask for a new one.</source>
        <translation>Jemputan ini tidak sah lagi (sudah digunakan atau tamat tempoh): minta yang baharu.</translation>
    </message>
    <message>
        <source>Choose a longer password (at least 8 characters, and not your name).</source>
        <translation>Pilih kata laluan yang lebih panjang (sekurang-kurangnya 8 aksara, dan bukan nama anda).</translation>
    </message>
</context>
<context>
    <name>Chat::ConnectionBar</name>
    <message>
        <source>Retry now</source>
        <translation>Cuba sekarang</translation>
    </message>
    <message>
        <source>Connection status</source>
        <translation>Status sambungan</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Luar talian</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Menyambung ke %1…</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Sedang log masuk…</translation>
    </message>
    <message>
        <source>Connected to %1 as %2</source>
        <translation>Disambungkan ke %1 sebagai %2</translation>
    </message>
    <message numerus="yes">
        <source>Connection lost. Reconnecting in %n s</source>
        <translation>
            <numerusform>Sambungan terputus. Menyambung semula dalam %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) waiting to be sent</source>
        <translation>
            <numerusform>%n mesej menunggu untuk dihantar</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Chat::DesktopNotifications</name>
    <message>
        <source>Open #%1</source>
        <translation>Buka #%1</translation>
    </message>
</context>
<context>
    <name>Chat::DevicesDialog</name>
    <message>
        <source>Device</source>
        <translation>Peranti</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>Didaftar masuk</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Terakhir digunakan</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Hingga</translation>
    </message>
    <message>
        <source>&amp;Sign out this device</source>
        <translation>&amp;Daftar keluar peranti ini</translation>
    </message>
    <message>
        <source>Sign out &amp;everywhere</source>
        <translation>Log keluar di &amp;semua tempat</translation>
    </message>
    <message>
        <source>Signed in on</source>
        <translation>Log masuk pada</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Peranti</translation>
    </message>
    <message>
        <source>%1 (this one)</source>
        <translation>%1 (yang ini)</translation>
    </message>
    <message>
        <source>Devices signed in to your account: %1</source>
        <translation>Peranti yang didaftar masuk ke akaun anda: %1</translation>
    </message>
    <message>
        <source>Every device, this one included, must sign in again with the password.</source>
        <translation>Setiap peranti, termasuk yang ini, mesti daftar masuk semula dengan kata laluan.</translation>
    </message>
</context>
<context>
    <name>Chat::LoginDialog</name>
    <message>
        <source>Connect to LAN chat</source>
        <translation>Sambung ke LAN chat</translation>
    </message>
    <message>
        <source>Choose the chat server on your network and the name others will see.</source>
        <translation>Pilih pelayan sembang dalam rangkaian anda dan nama yang akan dilihat oleh orang lain.</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Pelayan</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Nama anda</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Sambung</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Pelayan:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nama:</translation>
    </message>
    <message>
        <source>Enter the server as ws://host:port (or wss:// for a secure server).</source>
        <translation>Masukkan pelayan sebagai ws://hos:port (atau wss:// untuk pelayan selamat).</translation>
    </message>
    <message>
        <source>Only if the server has one</source>
        <translation>Hanya jika pelayan memerlukannya</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Kata laluan</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Kata laluan:</translation>
    </message>
    <message>
        <source>Servers on your network:</source>
        <translation>Pelayan dalam rangkaian anda:</translation>
    </message>
    <message>
        <source>Servers on your network</source>
        <translation>Pelayan dalam rangkaian anda</translation>
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
        <translation>Ia menyatakan cap jari SHA-256 sijilnya ialah %1. Bandingkan dengan yang diberikan oleh pentadbir anda; anda akan diminta mempercayai sijil itu semasa menyambung.</translation>
    </message>
    <message>
        <source>&amp;Create an account with this name</source>
        <translation>&amp;Cipta akaun dengan nama ini</translation>
    </message>
    <message>
        <source>&amp;Invitation:</source>
        <translation>&amp;Jemputan:</translation>
    </message>
    <message>
        <source>The link you were given, or its code</source>
        <translation>Pautan yang diberikan kepada anda, atau kodnya</translation>
    </message>
    <message>
        <source>Invitation</source>
        <translation>Jemputan</translation>
    </message>
    <message>
        <source>A new password, at least 8 characters</source>
        <translation>Kata laluan baharu, sekurang-kurangnya 8 aksara</translation>
    </message>
    <message>
        <source>Your account&apos;s password</source>
        <translation>Kata laluan akaun anda</translation>
    </message>
    <message>
        <source>Create account</source>
        <translation>Cipta akaun</translation>
    </message>
    <message>
        <source>Choose a password of at least 8 characters.</source>
        <translation>Pilih kata laluan sekurang-kurangnya 8 aksara.</translation>
    </message>
    <message>
        <source>Paste the invitation link you were given.</source>
        <translation>Tampal pautan jemputan yang diberikan kepada anda.</translation>
    </message>
</context>
<context>
    <name>Chat::MainWindow</name>
    <message>
        <source>Typing</source>
        <translation>Sedang menaip</translation>
    </message>
    <message>
        <source>People in this room</source>
        <translation>Orang dalam bilik ini</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Hantar</translation>
    </message>
    <message>
        <source>People (%1)</source>
        <translation>Orang (%1)</translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation>&amp;Sembang</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Keutamaan…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Keluar</translation>
    </message>
    <message>
        <source>&amp;Room</source>
        <translation>&amp;Bilik</translation>
    </message>
    <message>
        <source>&amp;Join a room…</source>
        <translation>&amp;Sertai bilik…</translation>
    </message>
    <message>
        <source>&amp;Next room</source>
        <translation>Bilik &amp;seterusnya</translation>
    </message>
    <message>
        <source>P&amp;revious room</source>
        <translation>Bilik se&amp;belumnya</translation>
    </message>
    <message>
        <source>&amp;Mute or unmute this room</source>
        <translation>&amp;Senyapkan atau nyahsenyapkan bilik ini</translation>
    </message>
    <message>
        <source>&amp;Leave this room</source>
        <translation>&amp;Tinggalkan bilik ini</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Bantuan</translation>
    </message>
    <message>
        <source>&amp;About LAN chat</source>
        <translation>&amp;Perihal LAN chat</translation>
    </message>
    <message>
        <source>No room open</source>
        <translation>Tiada bilik dibuka</translation>
    </message>
    <message>
        <source>Join a room to start chatting</source>
        <translation>Sertai bilik untuk mula bersembang</translation>
    </message>
    <message>
        <source>Message #%1 (Enter sends, Shift+Enter for a new line)</source>
        <translation>Mesej ke #%1 (Enter untuk hantar, Shift+Enter untuk baris baharu)</translation>
    </message>
    <message>
        <source>About LAN chat</source>
        <translation>Perihal LAN chat</translation>
    </message>
    <message>
        <source>&lt;b&gt;LAN chat %1&lt;/b&gt;&lt;p&gt;Chat with the people on your network.&lt;/p&gt;</source>
        <translation>&lt;b&gt;LAN chat %1&lt;/b&gt;&lt;p&gt;Bersembang dengan orang dalam rangkaian anda.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>The server %1 uses a certificate that no authority vouches for. Compare its fingerprint with the one chat-server printed when it started:

%2

Trust this server from now on?</source>
        <translation>Pelayan %1 menggunakan sijil yang tidak dijamin oleh mana-mana pihak berkuasa. Bandingkan cap jarinya dengan yang dicetak oleh chat-server semasa ia bermula:

%2

Percayai pelayan ini mulai sekarang?</translation>
    </message>
    <message>
        <source>WARNING: the certificate of %1 has changed since you last connected. Someone may be intercepting the connection.

Before: %2
Now: %3

Trust the new certificate only if the server&apos;s owner changed it.</source>
        <translation>AMARAN: sijil %1 telah berubah sejak sambungan terakhir anda. Mungkin ada pihak yang memintas sambungan.

Sebelum: %2
Sekarang: %3

Percayai sijil baharu hanya jika pemilik pelayan telah menukarnya.</translation>
    </message>
    <message>
        <source>Check the server&apos;s certificate</source>
        <translation>Semak sijil pelayan</translation>
    </message>
    <message>
        <source>&amp;Find in this room…</source>
        <translation>&amp;Cari dalam bilik ini…</translation>
    </message>
    <message>
        <source>LAN chat is still running</source>
        <translation>LAN chat masih berjalan</translation>
    </message>
    <message>
        <source>It keeps you posted from the tray. Quit from its menu.</source>
        <translation>Ia terus memaklumkan anda dari dulang sistem. Keluar melalui menunya.</translation>
    </message>
    <message>
        <source>No keychain on this desktop: you will be asked for your password the next time you start.</source>
        <translation>Tiada rantai kunci pada desktop ini: anda akan diminta kata laluan sekali lagi apabila bermula semula.</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Log &amp;keluar</translation>
    </message>
    <message>
        <source>Send a &amp;direct message</source>
        <translation>Hantar mesej &amp;terus</translation>
    </message>
    <message>
        <source>&amp;Mute for 10 minutes</source>
        <translation>&amp;Bisukan selama 10 minit</translation>
    </message>
    <message>
        <source>&amp;Kick from this room</source>
        <translation>&amp;Keluarkan dari bilik ini</translation>
    </message>
    <message>
        <source>&amp;Devices…</source>
        <translation>&amp;Peranti…</translation>
    </message>
    <message>
        <source>New &amp;private room…</source>
        <translation>Bilik &amp;peribadi baharu…</translation>
    </message>
    <message>
        <source>New private room</source>
        <translation>Bilik peribadi baharu</translation>
    </message>
    <message>
        <source>Room name (only the people you invite will see it):</source>
        <translation>Nama bilik (hanya orang yang anda jemput akan melihatnya):</translation>
    </message>
    <message>
        <source>&amp;Moderation log…</source>
        <translation>Log &amp;moderasi…</translation>
    </message>
</context>
<context>
    <name>Chat::MessageDelegate</name>
    <message>
        <source>Today</source>
        <translation>Hari ini</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Semalam</translation>
    </message>
    <message>
        <source>sending…</source>
        <translation>menghantar…</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>tidak dihantar</translation>
    </message>
</context>
<context>
    <name>Chat::MessageInput</name>
    <message>
        <source>Message</source>
        <translation>Mesej</translation>
    </message>
</context>
<context>
    <name>Chat::MessageView</name>
    <message>
        <source>Messages</source>
        <translation>Mesej</translation>
    </message>
</context>
<context>
    <name>Chat::ModerationLogDialog</name>
    <message>
        <source>When</source>
        <translation>Bila</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Siapa</translation>
    </message>
    <message>
        <source>Did</source>
        <translation>Tindakan</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Kepada</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Bilik</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Butiran</translation>
    </message>
    <message>
        <source>Moderation log</source>
        <translation>Log moderasi</translation>
    </message>
    <message>
        <source>Nobody has moderated anything yet.</source>
        <translation>Belum ada sebarang moderasi.</translation>
    </message>
    <message>
        <source>Acts of moderation, newest first: %1</source>
        <translation>Tindakan moderasi, yang terbaharu dahulu: %1</translation>
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
            <numerusform>LAN chat: %n mesej belum dibaca</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 mentioned you in #%2</source>
        <translation>%1 menyebut anda dalam #%2</translation>
    </message>
    <message>
        <source>%1 in #%2</source>
        <translation>%1 dalam #%2</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>Mesej baharu</translation>
    </message>
    <message>
        <source>Show LAN chat</source>
        <translation>Tunjukkan LAN chat</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Keluar</translation>
    </message>
</context>
<context>
    <name>Chat::PreferencesDialog</name>
    <message>
        <source>Show a desktop notification</source>
        <translation>Tunjukkan pemberitahuan desktop</translation>
    </message>
    <message>
        <source>Flash the taskbar entry</source>
        <translation>Kelipkan entri bar tugas</translation>
    </message>
    <message>
        <source>Include the message text</source>
        <translation>Sertakan teks mesej</translation>
    </message>
    <message>
        <source>Notify about mentions in muted rooms</source>
        <translation>Beritahu tentang sebutan dalam bilik yang disenyapkan</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Keutamaan</translation>
    </message>
    <message>
        <source>When a message arrives that you are not looking at</source>
        <translation>Apabila mesej tiba yang tidak sedang anda lihat</translation>
    </message>
    <message>
        <source>Keep running in the tray when the window is closed</source>
        <translation>Terus berjalan dalam dulang sistem apabila tetingkap ditutup</translation>
    </message>
    <message>
        <source>Start when I log in</source>
        <translation>Mula apabila saya log masuk</translation>
    </message>
    <message>
        <source>On the desktop</source>
        <translation>Di desktop</translation>
    </message>
</context>
<context>
    <name>Chat::RoomsPanel</name>
    <message>
        <source>Join</source>
        <translation>Sertai</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Bilik</translation>
    </message>
    <message>
        <source>Join a room…</source>
        <translation>Sertai bilik…</translation>
    </message>
    <message>
        <source>Room to join</source>
        <translation>Bilik untuk disertai</translation>
    </message>
    <message>
        <source>Unmute #%1</source>
        <translation>Nyahsenyapkan #%1</translation>
    </message>
    <message>
        <source>Mute #%1</source>
        <translation>Senyapkan #%1</translation>
    </message>
    <message>
        <source>Leave #%1</source>
        <translation>Tinggalkan #%1</translation>
    </message>
</context>
<context>
    <name>Chat::SearchBar</name>
    <message>
        <source>Search this room</source>
        <translation>Cari dalam bilik ini</translation>
    </message>
    <message>
        <source>Search messages</source>
        <translation>Cari mesej</translation>
    </message>
    <message>
        <source>Older match (Enter)</source>
        <translation>Padanan lebih lama (Enter)</translation>
    </message>
    <message>
        <source>Older match</source>
        <translation>Padanan lebih lama</translation>
    </message>
    <message>
        <source>Newer match (Shift+Enter)</source>
        <translation>Padanan lebih baharu (Shift+Enter)</translation>
    </message>
    <message>
        <source>Newer match</source>
        <translation>Padanan lebih baharu</translation>
    </message>
    <message>
        <source>Close search (Esc)</source>
        <translation>Tutup carian (Esc)</translation>
    </message>
    <message>
        <source>Close search</source>
        <translation>Tutup carian</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Tiada padanan</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 daripada %2</translation>
    </message>
</context>
<context>
    <name>Chat::SessionPrompts</name>
    <message>
        <source>Your account&apos;s password</source>
        <translation>Kata laluan akaun anda</translation>
    </message>
</context>
<context>
    <name>Chat::Validation</name>
    <message>
        <source>A name must not be empty.</source>
        <translation>Nama tidak boleh kosong.</translation>
    </message>
    <message>
        <source>A name can be at most %1 characters long.</source>
        <translation>Nama boleh mengandungi paling banyak %1 aksara.</translation>
    </message>
    <message>
        <source>A name must be valid text.</source>
        <translation>Nama mestilah teks yang sah.</translation>
    </message>
    <message>
        <source>A name must not contain control characters.</source>
        <translation>Nama tidak boleh mengandungi aksara kawalan.</translation>
    </message>
    <message>
        <source>A room name must not be empty.</source>
        <translation>Nama bilik tidak boleh kosong.</translation>
    </message>
    <message>
        <source>A room name can be at most %1 characters long.</source>
        <translation>Nama bilik boleh mengandungi paling banyak %1 aksara.</translation>
    </message>
    <message>
        <source>A room name must be valid text.</source>
        <translation>Nama bilik mestilah teks yang sah.</translation>
    </message>
    <message>
        <source>A room name must not contain spaces.</source>
        <translation>Nama bilik tidak boleh mengandungi ruang.</translation>
    </message>
    <message>
        <source>A room name must not contain control characters.</source>
        <translation>Nama bilik tidak boleh mengandungi aksara kawalan.</translation>
    </message>
    <message>
        <source>A message must not be empty.</source>
        <translation>Mesej tidak boleh kosong.</translation>
    </message>
    <message>
        <source>A message can be at most %1 characters long.</source>
        <translation>Mesej boleh mengandungi paling banyak %1 aksara.</translation>
    </message>
    <message>
        <source>A message must be valid text.</source>
        <translation>Mesej mestilah teks yang sah.</translation>
    </message>
    <message>
        <source>A message must not contain control characters.</source>
        <translation>Mesej tidak boleh mengandungi aksara kawalan.</translation>
    </message>
</context>
</TS>
