// Several servers on one database (--store postgresql://): what the others
// commit reaches this server's rooms from the store, the source of truth. Every
// `intervalMs`, for each room open here, the store is asked for what it holds
// beyond the room's watermark; and a gap the registry finds (this server's own
// message above one another server committed just before) is filled at once.
// Both read on the store's writer connection, off the event loop. A room that
// opens here (its first member joins) starts from the store's last id, read on
// the reading connection before the joiner's history. A bus between servers
// (Redis) only makes delivery sooner; this keeps it complete.
#pragma once

#include <QObject>
#include <QTimer>

namespace Chat {

class MessageStore;
class Room;
class RoomRegistry;
class StoreWorker;

class StoreFollower final : public QObject
{
    Q_OBJECT
public:
    StoreFollower(MessageStore *reader, StoreWorker *store, RoomRegistry *rooms,
                  QObject *parent = nullptr);
    ~StoreFollower() override;
    Q_DISABLE_COPY_MOVE(StoreFollower)

    void start(int intervalMs);
    void stop() { m_timer.stop(); }

private:
    void poll();
    void catchUp(const QString &room, qint64 after);
    void onRoomOpened(Room *room);

    MessageStore *m_reader;
    StoreWorker *m_store;
    RoomRegistry *m_rooms;
    QTimer m_timer;
    bool m_polling = false;
};

} // namespace Chat
