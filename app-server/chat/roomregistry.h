// Finds or creates rooms by name; a room with no members is closed.
#pragma once

#include "protocol.h"

#include <QHash>
#include <QObject>

namespace Chat {

class Room;

class RoomRegistry final : public QObject
{
    Q_OBJECT
public:
    explicit RoomRegistry(QObject *parent = nullptr);
    ~RoomRegistry() override;
    Q_DISABLE_COPY_MOVE(RoomRegistry)

    Room *find(const QString &name) const;
    Room *findOrCreate(const QString &name);
    // A committed message from the bus: published in its room, if the room is open here.
    void deliver(const Chat::ChatMessage &message);
    int count() const { return int(m_rooms.size()); }
    QList<Room *> rooms() const;

signals:
    void roomCreated(Chat::Room *room);
    void roomClosed(const QString &name);

private:
    void onRoomEmpty(Room *room);

    QHash<QString, Room *> m_rooms;
};

} // namespace Chat
