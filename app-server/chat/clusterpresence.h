// Who is in each room on the other servers (--bus redis://): every server
// publishes its rooms' members on the bus at once when they change and every
// 2 s; each room here shows the others' members too (Room::setElsewhere), so
// member lists and usersInRoom count the whole cluster. A server not heard
// from for the grace period (--resume-grace) is gone: its members leave, once,
// for everyone here. A pause of the bus shorter than that makes nobody leave.
// A resume taken over from another server rides on the same publication as the
// member lists that show the user here, so that server lets the user go
// without anyone seeing them leave.
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
    ClusterPresence(Bus *bus, RoomRegistry *rooms, const QString &node, int graceMs,
                    QObject *parent = nullptr);
    ~ClusterPresence() override;
    Q_DISABLE_COPY_MOVE(ClusterPresence)

    void start();
    void stop();
    int nodeCount() const { return int(m_nodes.size()); } // other servers heard from

    // The rooms a user (by username key) is in on another server, as it last said.
    QStringList roomsOf(const QString &node, const QString &key) const;
    // This server took the user over from `node` (a resume): said to it with
    // the member lists, for the grace period.
    void noteTakeOver(const QString &key, const QString &node, quint64 epoch);

signals:
    // Another server took over a name held here (that holding's epoch).
    void takenOver(const QString &key, quint64 epoch);

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

    struct TakeOver
    {
        QString node;
        quint64 epoch = 0;
        QDeadlineTimer expires;
    };

    Bus *m_bus;
    RoomRegistry *m_rooms;
    QString m_node;
    QHash<QString, TakeOver> m_took; // username key -> whence
    int m_graceMs;
    QHash<QString, Node> m_nodes;
    QTimer m_heartbeat;
    QTimer m_changed; // a zero timer: one publication per pass for many joins
};

} // namespace Chat
