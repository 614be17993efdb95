#include "desktopnotifications.h"

#include "clientlogging.h"

#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusReply>
#include <QDBusServiceWatcher>

namespace Chat {

DesktopNotifications::DesktopNotifications(QDBusConnection bus, QObject *parent)
    : QObject(parent), m_bus(std::move(bus))
{
    if (!m_bus.isConnected())
        return;
    const QString service = QLatin1String(Service);
    const QString path = QLatin1String(Path);
    const QString interface = QLatin1String(Interface);
    m_bus.connect(service, path, interface, QStringLiteral("ActionInvoked"), this,
                  SLOT(onActionInvoked(uint, QString)));
    m_bus.connect(service, path, interface, QStringLiteral("NotificationClosed"), this,
                  SLOT(onClosed(uint, uint)));
    auto *watcher
        = new QDBusServiceWatcher(service, m_bus, QDBusServiceWatcher::WatchForOwnerChange, this);
    connect(watcher, &QDBusServiceWatcher::serviceOwnerChanged, this,
            [this](const QString &, const QString &, const QString &) {
                // A new server knows none of the old one's notifications.
                m_ids.clear();
                m_rooms.clear();
                m_available = false;
                checkAvailable();
            });
    checkAvailable();
}

DesktopNotifications::~DesktopNotifications() = default;

void DesktopNotifications::checkAvailable()
{
    // Asked without blocking: is the server on the bus, or can the bus start one?
    if (!m_bus.isConnected())
        return;
    const QString service = QLatin1String(Service);
    const QString dbus = QStringLiteral("org.freedesktop.DBus");
    QDBusMessage owner = QDBusMessage::createMethodCall(
        dbus, QStringLiteral("/org/freedesktop/DBus"), dbus, QStringLiteral("NameHasOwner"));
    owner << service;
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(owner), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, service, dbus](QDBusPendingCallWatcher *w) {
                w->deleteLater();
                const QDBusPendingReply<bool> hasOwner = *w;
                if (hasOwner.isValid() && hasOwner.value()) {
                    m_available = true;
                    return;
                }
                const QDBusMessage list
                    = QDBusMessage::createMethodCall(dbus, QStringLiteral("/org/freedesktop/DBus"),
                                                     dbus, QStringLiteral("ListActivatableNames"));
                auto *next = new QDBusPendingCallWatcher(m_bus.asyncCall(list), this);
                connect(next, &QDBusPendingCallWatcher::finished, this,
                        [this, service](QDBusPendingCallWatcher *n) {
                            n->deleteLater();
                            const QDBusPendingReply<QStringList> names = *n;
                            m_available = names.isValid() && names.value().contains(service);
                        });
            });
}

void DesktopNotifications::show(const QString &room, const QString &title, const QString &body)
{
    if (m_sending.contains(room)) {
        m_waiting.insert(room, {title, body});
        return;
    }
    send(room, {title, body});
}

void DesktopNotifications::send(const QString &room, const Text &text)
{
    m_sending.insert(room);
    QDBusMessage call
        = QDBusMessage::createMethodCall(QLatin1String(Service), QLatin1String(Path),
                                         QLatin1String(Interface), QStringLiteral("Notify"));
    const QVariantMap hints {
        {QStringLiteral("desktop-entry"), QLatin1String(DesktopEntry)},
        {QStringLiteral("category"), QStringLiteral("im.received")},
    };
    // Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, timeout);
    // the body may hold markup on some servers: the text is escaped.
    call << QStringLiteral("LAN chat") << m_ids.value(room, 0u) << QLatin1String(DesktopEntry)
         << text.title << text.body.toHtmlEscaped()
         << QStringList {QStringLiteral("default"), tr("Open #%1").arg(room)} << hints << int(-1);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, room](QDBusPendingCallWatcher *w) {
                w->deleteLater();
                m_sending.remove(room);
                const QDBusPendingReply<uint> reply = *w;
                if (reply.isError()) {
                    qCWarning(lcClientUi).noquote()
                        << "notification server:" << reply.error().message();
                } else {
                    const uint id = reply.value();
                    if (const uint old = m_ids.value(room, 0u); old != 0 && old != id)
                        m_rooms.remove(old);
                    m_ids.insert(room, id);
                    m_rooms.insert(id, room);
                }
                if (m_waiting.contains(room))
                    send(room, m_waiting.take(room));
            });
}

void DesktopNotifications::onActionInvoked(uint id, const QString &action)
{
    const auto it = m_rooms.constFind(id);
    if (it == m_rooms.cend() || action != QLatin1String("default"))
        return;
    emit roomActivated(*it);
}

void DesktopNotifications::onClosed(uint id, uint reason)
{
    Q_UNUSED(reason);
    const QString room = m_rooms.take(id);
    if (!room.isEmpty() && m_ids.value(room) == id)
        m_ids.remove(room);
}

} // namespace Chat
