// Room lookup and lifetime.
#include "roomregistry.h"

#include "room.h"
#include "serverlogging.h"

namespace Chat {

RoomRegistry::RoomRegistry(QObject *parent) : QObject(parent) { }

RoomRegistry::~RoomRegistry() = default;

Room *RoomRegistry::find(const QString &name) const
{
    return m_rooms.value(name);
}

Room *RoomRegistry::findOrCreate(const QString &name)
{
    if (Room *room = find(name))
        return room;
    auto *room = new Room(name, this);
    room->setFlusher(m_flusher);
    m_rooms.insert(name, room);
    connect(room, &Room::becameEmpty, this, [this, room] { onRoomEmpty(room); });
    emit roomCreated(room);
    return room;
}

QList<Room *> RoomRegistry::rooms() const
{
    return m_rooms.values();
}

void RoomRegistry::onRoomEmpty(Room *room)
{
    const QString name = room->name();
    m_rooms.remove(name);
    room->deleteLater();
    emit roomClosed(name);
}

void RoomRegistry::deliver(const ChatMessage &message)
{
    const qint64 mark = m_delivered.value(message.room);
    if (message.id <= mark)
        return; // delivered already (a server's own message coming back, a refill)
    if (message.id > mark + 1 && m_gapFiller) {
        m_waiting[message.room].insert(message.id, message);
        if (!m_filling.contains(message.room)) {
            m_filling.insert(message.room);
            m_gapFiller(message.room, mark);
        }
        return;
    }
    publishNow(message);
    deliverWaiting(message.room);
}

void RoomRegistry::caughtUp(const QString &room, const QList<ChatMessage> &messages,
                            qint64 coveredUpTo, bool complete)
{
    m_filling.remove(room);
    const qint64 before = m_delivered.value(room);
    for (const ChatMessage &message : messages) {
        if (message.id > m_delivered.value(room))
            publishNow(message); // ids skipped before it are not in the store: deleted
    }
    qint64 &mark = m_delivered[room];
    mark = qMax(mark, coveredUpTo);
    deliverWaiting(room);
    const auto still = m_waiting.find(room);
    if (still == m_waiting.end() || still->isEmpty()) {
        m_fruitless.remove(room);
        return;
    }
    if (complete && m_delivered.value(room) == before) {
        // The second answer in a row was asked for after these arrived, and the
        // store still does not have them: they were never committed.
        if (++m_fruitless[room] >= 2) {
            qCWarning(lcServer).noquote()
                << "dropping" << still->size() << "message(s) in" << room
                << "that the store does not have (from the bus, never committed)";
            m_waiting.erase(still);
            m_fruitless.remove(room);
            return;
        }
    } else {
        m_fruitless.remove(room);
    }
    if (m_gapFiller) {
        m_filling.insert(room); // cut short, or asked for before the gap: again
        m_gapFiller(room, m_delivered.value(room));
    }
}

void RoomRegistry::deliverWaiting(const QString &room)
{
    const auto it = m_waiting.find(room);
    if (it == m_waiting.end())
        return;
    QMap<qint64, ChatMessage> &waiting = *it;
    while (!waiting.isEmpty() && waiting.firstKey() <= m_delivered.value(room) + 1) {
        const ChatMessage next = waiting.take(waiting.firstKey());
        if (next.id > m_delivered.value(room))
            publishNow(next);
    }
    if (waiting.isEmpty())
        m_waiting.erase(it);
}

void RoomRegistry::publishNow(const ChatMessage &message)
{
    qint64 &mark = m_delivered[message.room];
    mark = qMax(mark, message.id);
    if (Room *room = find(message.room))
        room->publish(message);
}

} // namespace Chat
