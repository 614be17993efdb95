// Client settings in QSettings.
#include "clientsettings.h"

#include "autostart.h"

#include <QCryptographicHash>
#include <QSettings>
#include <QStandardPaths>

namespace Chat {

ClientSettings::ClientSettings() = default;

QUrl ClientSettings::server() const
{
    const QUrl url(QSettings().value(QStringLiteral("server")).toString());
    return url.isValid() && !url.isEmpty() ? url : defaultServer();
}

void ClientSettings::setServer(const QUrl &url)
{
    QSettings().setValue(QStringLiteral("server"), url.toString());
}

QString ClientSettings::username() const
{
    return QSettings().value(QStringLiteral("username")).toString();
}

void ClientSettings::setUsername(const QString &name)
{
    QSettings().setValue(QStringLiteral("username"), name);
}

QString ClientSettings::token() const
{
    return QSettings().value(QStringLiteral("token")).toString();
}

void ClientSettings::setToken(const QString &token)
{
    QSettings().setValue(QStringLiteral("token"), token);
}

QStringList ClientSettings::rooms() const
{
    return QSettings()
        .value(QStringLiteral("rooms"), QStringList {QStringLiteral("general")})
        .toStringList();
}

void ClientSettings::setRooms(const QStringList &rooms)
{
    QSettings().setValue(QStringLiteral("rooms"), rooms);
}

QStringList ClientSettings::mutedRooms() const
{
    return QSettings().value(QStringLiteral("mutedRooms")).toStringList();
}

void ClientSettings::setMutedRooms(const QStringList &rooms)
{
    QSettings().setValue(QStringLiteral("mutedRooms"), rooms);
}

NotificationSettings ClientSettings::notifications() const
{
    QSettings s;
    NotificationSettings n;
    n.desktop = s.value(QStringLiteral("notify/desktop"), n.desktop).toBool();
    n.alert = s.value(QStringLiteral("notify/alert"), n.alert).toBool();
    n.showText = s.value(QStringLiteral("notify/showText"), n.showText).toBool();
    n.mentionsInMuted
        = s.value(QStringLiteral("notify/mentionsInMuted"), n.mentionsInMuted).toBool();
    return n;
}

void ClientSettings::setNotifications(const NotificationSettings &n)
{
    QSettings s;
    s.setValue(QStringLiteral("notify/desktop"), n.desktop);
    s.setValue(QStringLiteral("notify/alert"), n.alert);
    s.setValue(QStringLiteral("notify/showText"), n.showText);
    s.setValue(QStringLiteral("notify/mentionsInMuted"), n.mentionsInMuted);
}

QByteArray ClientSettings::windowGeometry() const
{
    return QSettings().value(QStringLiteral("window/geometry")).toByteArray();
}

void ClientSettings::setWindowGeometry(const QByteArray &geometry)
{
    QSettings().setValue(QStringLiteral("window/geometry"), geometry);
}

QByteArray ClientSettings::windowLayout() const
{
    return QSettings().value(QStringLiteral("window/layout")).toByteArray();
}

void ClientSettings::setWindowLayout(const QByteArray &layout)
{
    QSettings().setValue(QStringLiteral("window/layout"), layout);
}

DesktopSettings ClientSettings::desktop() const
{
    DesktopSettings d;
    d.closeToTray
        = QSettings().value(QStringLiteral("desktop/closeToTray"), d.closeToTray).toBool();
    d.autostart = Autostart::isEnabled();
    return d;
}

bool ClientSettings::setDesktop(const DesktopSettings &d, const QString &program)
{
    QSettings().setValue(QStringLiteral("desktop/closeToTray"), d.closeToTray);
    return Autostart::setEnabled(d.autostart, program);
}

QString ClientSettings::outboxFile(const QUrl &server, const QString &username) const
{
    const QByteArray key
        = QCryptographicHash::hash(
              (server.toString() + QLatin1Char('\n') + username.toCaseFolded()).toUtf8(),
              QCryptographicHash::Sha1)
              .toHex()
              .left(16);
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/outbox-") + QString::fromLatin1(key) + QStringLiteral(".json");
}

} // namespace Chat
