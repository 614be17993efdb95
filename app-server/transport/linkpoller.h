// One epoll set for many connections, watched through a single QSocketNotifier:
// a connection needs no QObject of its own, and a pass of the event loop costs
// O(ready connections), whatever event dispatcher runs it. DirectLinks are
// polled here, and so is the TLS front (tlsfront.h) during the handshake.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

namespace Chat {

// What a poller calls, from the event loop.
class Pollable
{
public:
    virtual void onReadable() = 0;
    virtual void onWritable() = 0;
    virtual void onDeadline() = 0;

protected:
    ~Pollable() = default;
};

class LinkPoller final : public QObject
{
    Q_OBJECT
public:
    // At most `maxEventsPerPass` targets are called per pass of the event loop;
    // the rest are reported again on the next (level-triggered). Where a call
    // can be long (a TLS handshake step signs), a small number keeps the
    // event loop's other work from waiting behind a storm.
    explicit LinkPoller(QObject *parent = nullptr, int maxEventsPerPass = 256);
    ~LinkPoller() override;
    Q_DISABLE_COPY_MOVE(LinkPoller)

    bool isValid() const { return m_epoll >= 0; }
    int linkCount() const { return int(m_links.size()); }

    // Returns the registration's id, 0 on failure. Reads are watched.
    quint64 add(Pollable *target, int fd);
    void remove(quint64 id, int fd);
    void watch(quint64 id, int fd, bool reads, bool writes);
    void watchWrites(quint64 id, int fd, bool on) { watch(id, fd, true, on); }
    // Calls onDeadline() of the target after `ms`, unless it is gone by then.
    void setDeadline(quint64 id, int ms);
    // Calls onReadable() of the target from the event loop, unless it is gone by then.
    void post(quint64 id);
    // Scratch space for reads, shared by all targets of this poller.
    char *readBuffer() { return m_readBuffer.data(); }
    // Scratch space for gathering output: never live across a return to the loop.
    char *writeBuffer() { return m_writeBuffer.data(); }
    static constexpr qsizetype ReadBufferSize = 64 * 1024;
    static constexpr qsizetype WriteBufferSize = 16 * 1024;

private:
    void poll();

    int m_epoll = -1;
    int m_maxEventsPerPass;
    QSocketNotifier *m_notifier = nullptr;
    QHash<quint64, Pollable *> m_links;
    quint64 m_nextId = 1;
    QByteArray m_readBuffer;
    QByteArray m_writeBuffer;
};

} // namespace Chat
