// Who is in each room on the other servers (--bus redis://): every server
// publishes its rooms' members on the bus at once when they change and every
// 2 s; each room here shows the others' members too (Room::setElsewhere), so
// member lists and usersInRoom count the whole cluster. A server not heard
// from for the grace period (--resume-grace) is gone: its members leave, once,
// for everyone here. A pause of the bus shorter than that makes nobody leave.
#pragma once

#include <QDeadlineTimer>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QTimer>

namespace Chat {

class Bus;
class Room;
class RoomRegistry;

class ClusterPresence final : public QObject
{
    Q_OBJECT
public:
    ClusterPresence(Bus *bus, RoomRegistry *rooms, int graceMs, QObject *parent = nullptr);
    ~ClusterPresence() override;
    Q_DISABLE_COPY_MOVE(ClusterPresence)

    void start();
    void stop();
    int nodeCount() const { return int(m_nodes.size()); } // other servers heard from

private:
    struct Node
    {
        QHash<QString, QMap<QString, QString>> rooms; // room -> username key -> username
        QDeadlineTimer expires;
    };
    void publish();
    void onHeard(const QString &node, const QJsonObject &state);
    void sweep();
    void watch(Room *room);
    // Sets the room's members elsewhere from what every node said.
    void refresh(const QString &room);

    Bus *m_bus;
    RoomRegistry *m_rooms;
    int m_graceMs;
    QHash<QString, Node> m_nodes;
    QTimer m_heartbeat;
    QTimer m_changed; // a zero timer: one publication per pass for many joins
};

} // namespace Chat
