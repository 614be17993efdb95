// A Link that speaks RFC 6455 framing itself, on the socket descriptor of a
// TCP connection that QWebSocketServer has upgraded: plain, or TLS through an
// SSL object on the same descriptor (tlscontext.h, tlsfront.h).
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
#include "linkpoller.h"
#include "tlscontext.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>

#include <memory>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace Chat {

class TlsFront;

class DirectLink final : public FramedLink, public Pollable
{
public:
    // Takes a plain TCP connection over from Qt right after QWebSocketServer
    // answered the handshake: a duplicate of the descriptor, and any bytes the
    // client already sent. Null if it cannot (TLS, no poller, the handshake
    // answer not fully sent). On success `wire` is closed without a word on the
    // wire (the connection lives on in the duplicate) and deleted later.
    static std::unique_ptr<DirectLink> adopt(QTcpSocket *wire, LinkPoller *poller,
                                             qint64 maxMessageBytes);

    // Takes a TLS connection over from its TlsFront, the same way.
    static std::unique_ptr<DirectLink> adoptTls(QTcpSocket *wire, TlsFront *front,
                                                LinkPoller *poller, qint64 maxMessageBytes);

    DirectLink(int fd, const QByteArray &received, LinkPoller *poller, qint64 maxMessageBytes);
    // TLS: `unsent` is plaintext for the client queued first, of which OpenSSL
    // holds the first `retry` bytes for an SSL_write to be retried.
    DirectLink(int fd, SslHandle ssl, const QByteArray &received, const QByteArray &unsent,
               int retry, LinkPoller *poller, qint64 maxMessageBytes);
    ~DirectLink() override;
    Q_DISABLE_COPY_MOVE(DirectLink)

    QString peer() const override;
    void flush() override;
    void readNow() override { onReadable(); }
    qint64 queuedBytes() const override { return m_queued; }

    // From the poller.
    void onReadable() override;
    void onWritable() override;
    void onDeadline() override { deadlineReached(); }

private:
    void queueBytes(const QByteArray &bytes) override;
    void shutdownWrites() override;
    void closeStream() override;
    void startDeadline(int ms) override;
    void schedulePending() override;
    void flushTls();
    void readTls();
    void dropOutput();
    void consume(qsizetype written);
    void setWatchingWrites(bool on);

    int m_fd;
    SslHandle m_ssl; // null for plain TCP
    quint64 m_id = 0;
    Q_IPV6ADDR m_peerAddress {}; // IPv4 as mapped IPv6; kept for the logs after the close
    quint16 m_peerPort = 0;
    LinkPoller *m_poller;
    QList<QByteArray> m_out; // frames the kernel has not taken yet
    qsizetype m_outOffset = 0; // bytes of m_out.first() already sent
    qint64 m_queued = 0;
    int m_tlsRetry = 0; // bytes of m_out OpenSSL holds for a retried SSL_write
    bool m_watchingWrites = false;
    bool m_tlsReadWantsWrite = false;
};

} // namespace Chat
