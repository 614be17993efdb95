// Notifications through the desktop's notification server
// (org.freedesktop.Notifications on the session bus): one per room, replaced
// by the room's next one instead of stacking, a "default" action (a click)
// that opens the room, and the desktop-entry hint so that the desktop files
// them under the application. Where no server answers, isAvailable() is false
// and the caller falls back to the tray.
#pragma once

#include <QDBusConnection>
#include <QHash>
#include <QObject>
#include <QSet>

namespace Chat {

class DesktopNotifications final : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *Service = "org.freedesktop.Notifications";
    static constexpr const char *Path = "/org/freedesktop/Notifications";
    static constexpr const char *Interface = "org.freedesktop.Notifications";
    static constexpr const char *DesktopEntry = "org.lanchat.Client";

    explicit DesktopNotifications(QDBusConnection bus = QDBusConnection::sessionBus(),
                                  QObject *parent = nullptr);
    ~DesktopNotifications() override;
    Q_DISABLE_COPY_MOVE(DesktopNotifications)

    // A notification server is on the bus, or the bus can start one.
    bool isAvailable() const { return m_available; }
    // Replaces the room's notification still on screen, if any (one sent while
    // the room's previous one is still on its way waits for its id).
    void show(const QString &room, const QString &title, const QString &body);
    // Notifications on screen, by room (the server's ids).
    int shownCount() const { return int(m_rooms.size()); }

signals:
    // The user clicked a room's notification (its "default" action).
    void roomActivated(const QString &room);

private slots:
    // QtDBus delivers D-Bus signals to slots named by signature.
    void onActionInvoked(uint id, const QString &action);
    void onClosed(uint id, uint reason);

private:
    // Whether the service is on the bus or can be started: asked at start and
    // whenever its owner comes or goes, not at every notification.
    void checkAvailable();

    struct Text
    {
        QString title;
        QString body;
    };
    void send(const QString &room, const Text &text);

    QDBusConnection m_bus;
    QHash<QString, Text> m_waiting; // room -> the latest text, while a Notify is on its way
    QSet<QString> m_sending;
    bool m_available = false;
    QHash<QString, uint> m_ids; // room -> the server's id of its notification
    QHash<uint, QString> m_rooms; // and back
};

} // namespace Chat
