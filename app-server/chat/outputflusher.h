// Coalesces socket writes: a session that queued frames asks to be flushed, and
// once per pass of the event loop every such session hands its bytes to the
// kernel in one go. One message to a room of N costs N writes, not N
// write-notifier round trips; many messages in one pass cost one write per socket.
// Rooms' presence batches (room.h) go out at the same moment, just before.
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace Chat {

class Room;
class Session;

class OutputFlusher final : public QObject
{
    Q_OBJECT
public:
    explicit OutputFlusher(QObject *parent = nullptr);
    ~OutputFlusher() override;
    Q_DISABLE_COPY_MOVE(OutputFlusher)

    void schedule(Session *session);
    // The room's presence batch goes out at the end of this pass, before the
    // sessions' bytes are handed to the kernel.
    void schedulePresence(Room *room);
    void flushAll();

private:
    QList<QPointer<Session>> m_dirty;
    QList<QPointer<Room>> m_presence;
    QTimer m_timer;
};

} // namespace Chat
