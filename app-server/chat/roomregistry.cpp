// Room lookup and lifetime.
#include "roomregistry.h"

#include "room.h"

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
    qint64 &mark = m_delivered[message.room];
    mark = qMax(mark, message.id);
    if (Room *room = find(message.room))
        room->publish(message);
}

} // namespace Chat
