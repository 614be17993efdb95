// What the desktop client remembers between runs (QSettings).
#pragma once

#include "chatclient.h"

#include <QStringList>
#include <QUrl>

namespace Chat {

// How the client sits on the desktop (Preferences).
struct DesktopSettings
{
    bool closeToTray = true; // closing the window keeps the client in the tray
    bool autostart = false; // start with the desktop session (XDG autostart)
};

class ClientSettings final
{
public:
    ClientSettings();

    QUrl server() const;
    void setServer(const QUrl &url);
    QString username() const;
    void setUsername(const QString &name);
    // The server's password, if it has one (a LAN-wide secret, kept like the name).
    QString token() const;
    void setToken(const QString &token);
    QStringList rooms() const;
    void setRooms(const QStringList &rooms);
    QStringList mutedRooms() const;
    void setMutedRooms(const QStringList &rooms);
    NotificationSettings notifications() const;
    void setNotifications(const NotificationSettings &settings);
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    // The panels' sizes (MainWindow::saveLayout()).
    QByteArray windowLayout() const;
    void setWindowLayout(const QByteArray &layout);
    // Autostart is the entry in the autostart folder, not a setting.
    DesktopSettings desktop() const;
    // Writes the autostart entry for `program` or removes it; false if it cannot.
    bool setDesktop(const DesktopSettings &settings, const QString &program);
    // Where unsent messages of this user on this server are kept.
    QString outboxFile(const QUrl &server, const QString &username) const;

    static QUrl defaultServer() { return QUrl(QStringLiteral("ws://localhost:8080")); }
};

} // namespace Chat
