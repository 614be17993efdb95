// Coalesces socket writes: a session that queued frames asks to be flushed, and
// once per pass of the event loop every such session hands its bytes to the
// kernel in one go. One message to a room of N costs N writes, not N
// write-notifier round trips; many messages in one pass cost one write per socket.
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace Chat {

class Session;

class OutputFlusher final : public QObject
{
    Q_OBJECT
public:
    explicit OutputFlusher(QObject *parent = nullptr);
    ~OutputFlusher() override;
    Q_DISABLE_COPY_MOVE(OutputFlusher)

    void schedule(Session *session);
    void flushAll();

private:
    QList<QPointer<Session>> m_dirty;
    QTimer m_timer;
};

} // namespace Chat
