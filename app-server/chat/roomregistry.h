// Finds or creates rooms by name; a room with no members is closed.
#pragma once

#include "protocol.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QSet>

#include <functional>

namespace Chat {

class OutputFlusher;
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
    // Given to every room created from now on (Room::setFlusher).
    void setOutputFlusher(OutputFlusher *flusher) { m_flusher = flusher; }
    // A committed message from the bus: published in its room, if the room is
    // open here, in id order. Ids above the watermark + 1 wait until the ones
    // before them arrive; with a gap filler (several servers on one database)
    // the registry asks it for them at once.
    void deliver(const Chat::ChatMessage &message);
    // Asked to fetch the room's messages after `after` from the store and hand
    // them to caughtUp() (oldest first).
    using GapFiller = std::function<void(const QString &room, qint64 after)>;
    void setGapFiller(GapFiller filler) { m_gapFiller = std::move(filler); }
    // What the store holds after the watermark, oldest first, complete up to
    // `coveredUpTo`: delivered in order. A room's ids commit in id order, so an
    // id up to `coveredUpTo` missing from the answer was deleted by retention
    // and is not waited for. `complete`: the store has nothing after
    // `coveredUpTo`. A message still waiting above it after two complete
    // answers in a row was never committed (a bad bus message): it is dropped.
    void caughtUp(const QString &room, const QList<Chat::ChatMessage> &messages, qint64 coveredUpTo,
                  bool complete);
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
    void publishNow(const Chat::ChatMessage &message);
    void deliverWaiting(const QString &room);

    QHash<QString, qint64> m_delivered; // every room with messages, open here or not
    QHash<QString, QMap<qint64, Chat::ChatMessage>> m_waiting; // above a gap, by room
    QSet<QString> m_filling; // rooms whose gap the filler is fetching
    QHash<QString, int> m_fruitless; // complete answers in a row that closed no gap
    GapFiller m_gapFiller;
    OutputFlusher *m_flusher = nullptr;
};

} // namespace Chat
