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
    // The room's watermark: the highest id this server has delivered (or found
    // stored when it started). A message above it may be committed but still on
    // its way here from the store's thread or the bus; history pages stop at
    // the watermark, so that it reaches a joining client only once, live.
    qint64 delivered(const QString &room) const { return m_delivered.value(room); }
    void setDelivered(const QString &room, qint64 id) { m_delivered.insert(room, id); }
    int count() const { return int(m_rooms.size()); }
    QList<Room *> rooms() const;

signals:
    void roomCreated(Chat::Room *room);
    void roomClosed(const QString &name);

private:
    void onRoomEmpty(Room *room);

    QHash<QString, Room *> m_rooms;
    QHash<QString, qint64> m_delivered; // every room with messages, open here or not
};

} // namespace Chat
