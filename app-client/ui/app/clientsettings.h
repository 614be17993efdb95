// What the desktop client remembers between runs (QSettings).
#pragma once

#include "chatclient.h"

#include <QStringList>
#include <QUrl>

namespace Chat {

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
    // Where unsent messages of this user on this server are kept.
    QString outboxFile(const QUrl &server, const QString &username) const;

    static QUrl defaultServer() { return QUrl(QStringLiteral("ws://localhost:8080")); }
};

} // namespace Chat
