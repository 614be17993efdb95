// Members across servers.
#include "clusterpresence.h"

#include "bus.h"
#include "room.h"
#include "roomregistry.h"
#include "serverlogging.h"
#include "validation.h"

#include <QJsonArray>
#include <QSet>

namespace Chat {

namespace {
constexpr int HeartbeatMs = 2000;
constexpr int MaxRooms = 100000; // what one server's state may name
} // namespace

ClusterPresence::ClusterPresence(Bus *bus, RoomRegistry *rooms, const QString &node, int graceMs,
                                 QObject *parent)
    : QObject(parent)
    , m_bus(bus)
    , m_rooms(rooms)
    , m_node(node)
    , m_graceMs(qMax(graceMs, 3 * HeartbeatMs))
{
    m_heartbeat.setInterval(HeartbeatMs);
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        publish();
        sweep();
    });
    m_changed.setSingleShot(true);
    m_changed.setInterval(0);
    connect(&m_changed, &QTimer::timeout, this, &ClusterPresence::publish);
    connect(m_bus, &Bus::presenceHeard, this, &ClusterPresence::onHeard);
    connect(m_rooms, &RoomRegistry::roomCreated, this, &ClusterPresence::watch);
}

ClusterPresence::~ClusterPresence() = default;

void ClusterPresence::start()
{
    m_heartbeat.start();
    publish();
}

void ClusterPresence::stop()
{
    m_heartbeat.stop();
    m_changed.stop();
}

void ClusterPresence::watch(Room *room)
{
    connect(room, &Room::memberJoined, this, [this] { m_changed.start(); });
    connect(room, &Room::memberLeft, this, [this] { m_changed.start(); });
    refresh(room->name()); // a room that opens here shows who is in it elsewhere
}

void ClusterPresence::publish()
{
    QJsonObject rooms;
    for (const Room *room : m_rooms->rooms()) {
        if (room->memberCount() == 0)
            continue;
        QJsonArray members;
        // usernames() would include the others' members: only this server's.
        for (const QString &name : room->localUsernames())
            members.append(name);
        rooms.insert(room->name(), members);
    }
    QJsonObject state {{QStringLiteral("rooms"), rooms}};
    QJsonArray took;
    for (auto it = m_took.begin(); it != m_took.end();) {
        if (it->expires.hasExpired()) {
            it = m_took.erase(it);
            continue;
        }
        // The epoch as a string: a JSON number would lose its low bits.
        took.append(QJsonObject {{QStringLiteral("key"), it.key()},
                                 {QStringLiteral("node"), it->node},
                                 {QStringLiteral("epoch"), QString::number(it->epoch)}});
        ++it;
    }
    if (!took.isEmpty())
        state.insert(QStringLiteral("took"), took);
    m_bus->publishPresence(state);
}

QStringList ClusterPresence::roomsOf(const QString &node, const QString &key) const
{
    QStringList rooms;
    const auto found = m_nodes.constFind(node);
    if (found == m_nodes.constEnd())
        return rooms;
    for (auto it = found->rooms.cbegin(); it != found->rooms.cend(); ++it) {
        if (it->contains(key))
            rooms.append(it.key());
    }
    return rooms;
}

void ClusterPresence::noteTakeOver(const QString &key, const QString &node, quint64 epoch)
{
    m_took.insert(key, {node, epoch, QDeadlineTimer(m_graceMs)});
    m_changed.start();
}

void ClusterPresence::onHeard(const QString &node, const QJsonObject &state)
{
    const QJsonObject rooms = state.value(QLatin1String("rooms")).toObject();
    if (!state.value(QLatin1String("rooms")).isObject() || rooms.size() > MaxRooms) {
        qCWarning(lcServer) << "presence from" << node << "that does not parse, ignored";
        return;
    }
    Node next;
    for (auto it = rooms.constBegin(); it != rooms.constEnd(); ++it) {
        if (!Validation::roomProblem(it.key()).isEmpty() || !it.value().isArray())
            continue;
        QMap<QString, QString> members;
        for (const QJsonValue &v : it.value().toArray()) {
            const QString name = v.toString();
            if (Validation::usernameProblem(name).isEmpty())
                members.insert(Validation::usernameKey(name), name);
        }
        if (!members.isEmpty())
            next.rooms.insert(it.key(), members);
    }
    next.expires = QDeadlineTimer(m_graceMs);
    QSet<QString> touched;
    if (const auto old = m_nodes.constFind(node); old != m_nodes.constEnd()) {
        for (auto it = old->rooms.cbegin(); it != old->rooms.cend(); ++it)
            touched.insert(it.key());
    } else {
        qCInfo(lcServer).noquote() << "server" << node << "joined the cluster";
    }
    for (auto it = next.rooms.cbegin(); it != next.rooms.cend(); ++it)
        touched.insert(it.key());
    m_nodes.insert(node, std::move(next));
    for (const QString &room : std::as_const(touched))
        refresh(room);
    // Users taken over from here: they are in the rooms over there now (above),
    // so their going from here is no leave.
    for (const QJsonValue &v : state.value(QLatin1String("took")).toArray()) {
        const QJsonObject t = v.toObject();
        const QString key = t.value(QLatin1String("key")).toString();
        bool ok = false;
        const quint64 epoch = t.value(QLatin1String("epoch")).toString().toULongLong(&ok);
        if (t.value(QLatin1String("node")).toString() == m_node && ok && epoch != 0
            && Validation::usernameProblem(key).isEmpty())
            emit takenOver(key, epoch);
    }
}

void ClusterPresence::sweep()
{
    QSet<QString> touched;
    for (auto it = m_nodes.begin(); it != m_nodes.end();) {
        if (!it->expires.hasExpired()) {
            ++it;
            continue;
        }
        qCWarning(lcServer).noquote()
            << "server" << it.key() << "not heard from for" << m_graceMs << "ms: its users leave";
        for (auto room = it->rooms.cbegin(); room != it->rooms.cend(); ++room)
            touched.insert(room.key());
        it = m_nodes.erase(it);
    }
    for (const QString &room : std::as_const(touched))
        refresh(room);
}

void ClusterPresence::refresh(const QString &name)
{
    Room *room = m_rooms->find(name);
    if (!room)
        return;
    QMap<QString, QString> elsewhere;
    for (const Node &node : std::as_const(m_nodes))
        elsewhere.insert(node.rooms.value(name));
    room->setElsewhere(elsewhere);
}

} // namespace Chat
