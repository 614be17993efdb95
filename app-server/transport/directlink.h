// A Link that speaks RFC 6455 framing itself, on the socket descriptor of a
// plain TCP connection that QWebSocketServer has upgraded.
//
// Why: a QWebSocket keeps a QTcpSocket, its socket engine and notifiers, about
// twenty signal connections, and read and write blocks per connection: some
// 17 KiB of memory for a connection that does nothing. A DirectLink is a
// descriptor and a few empty buffers. Its queues hold the broadcast frames
// themselves (shared, never copied) only while the kernel cannot take them, and
// a partial incoming frame only while the rest is on its way.
//
// The framing rules are FramedLink's (framedlink.h); this is the byte stream.
#pragma once

#include "framedlink.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>

#include <memory>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
class QTcpSocket;
QT_END_NAMESPACE

namespace Chat {

class DirectLink;

// One epoll set for every DirectLink of a server, watched through a single
// QSocketNotifier: a connection needs no QObject of its own, and a pass of the
// event loop costs O(ready connections), whatever event dispatcher runs it.
class LinkPoller final : public QObject
{
    Q_OBJECT
public:
    explicit LinkPoller(QObject *parent = nullptr);
    ~LinkPoller() override;
    Q_DISABLE_COPY_MOVE(LinkPoller)

    bool isValid() const { return m_epoll >= 0; }
    int linkCount() const { return int(m_links.size()); }

    // Returns the link's id, 0 on failure.
    quint64 add(DirectLink *link, int fd);
    void remove(quint64 id, int fd);
    void watchWrites(quint64 id, int fd, bool on);
    // Calls onDeadline() of the link after `ms`, unless it is gone by then.
    void setDeadline(quint64 id, int ms);
    // Calls onReadable() of the link from the event loop, unless it is gone by then.
    void post(quint64 id);
    // Scratch space for reads, shared by all links of this poller.
    char *readBuffer() { return m_readBuffer.data(); }
    static constexpr qsizetype ReadBufferSize = 64 * 1024;

private:
    void poll();

    int m_epoll = -1;
    QSocketNotifier *m_notifier = nullptr;
    QHash<quint64, DirectLink *> m_links;
    quint64 m_nextId = 1;
    QByteArray m_readBuffer;
};

class DirectLink final : public FramedLink
{
public:
    // Takes a plain TCP connection over from Qt right after QWebSocketServer
    // answered the handshake: a duplicate of the descriptor, and any bytes the
    // client already sent. Null if it cannot (TLS, no poller, the handshake
    // answer not fully sent). On success `wire` is closed without a word on the
    // wire (the connection lives on in the duplicate) and deleted later.
    static std::unique_ptr<DirectLink> adopt(QTcpSocket *wire, LinkPoller *poller,
                                             qint64 maxMessageBytes);

    DirectLink(int fd, const QByteArray &received, LinkPoller *poller, qint64 maxMessageBytes);
    ~DirectLink() override;
    Q_DISABLE_COPY_MOVE(DirectLink)

    QString peer() const override;
    void flush() override;
    void readNow() override { onReadable(); }
    qint64 queuedBytes() const override { return m_queued; }

    // From the poller.
    void onReadable();
    void onWritable() { flush(); }
    void onDeadline() { deadlineReached(); }

private:
    void queueBytes(const QByteArray &bytes) override;
    void shutdownWrites() override;
    void closeStream() override;
    void startDeadline(int ms) override;
    void schedulePending() override;

    int m_fd;
    quint64 m_id = 0;
    Q_IPV6ADDR m_peerAddress {}; // IPv4 as mapped IPv6; kept for the logs after the close
    quint16 m_peerPort = 0;
    LinkPoller *m_poller;
    QList<QByteArray> m_out; // frames the kernel has not taken yet
    qsizetype m_outOffset = 0; // bytes of m_out.first() already sent
    qint64 m_queued = 0;
    bool m_watchingWrites = false;
};

} // namespace Chat
