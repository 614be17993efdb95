// A TLS connection before it is a Link: the handshake, then the plaintext
// relayed through a socket pair, so that Qt (the front door's inspection,
// QWebSocketServer's handshake, the HTTP service) sees a plain socket.
//
//   client <-TLS-> [descriptor, SSL] TlsFront [pair end] <-plain-> [pair end] QTcpSocket
//
// An HTTP connection stays relayed for its life. A WebSocket is taken over
// (takeOver()) right after QWebSocketServer answered the upgrade: its
// descriptor and SSL go to a DirectLink with everything still in flight in
// either direction, the pair is closed, and from then on the connection costs
// its SSL object and the DirectLink (tlscontext.h).
#pragma once

#include "connectionticket.h"
#include "linkpoller.h"
#include "tlscontext.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>

#include <optional>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace Chat {

class TlsFront final : public QObject, private Pollable
{
    Q_OBJECT
public:
    // Takes the descriptor of an accepted TCP connection and starts the
    // handshake; it must end within `handshakeMs`.
    TlsFront(int fd, const TlsContext &context, LinkPoller *poller, int handshakeMs,
             QObject *parent = nullptr);
    ~TlsFront() override;
    Q_DISABLE_COPY_MOVE(TlsFront)

    QHostAddress peerAddress() const { return m_peerAddress; }
    quint16 peerPort() const { return m_peerPort; }
    qint64 elapsedMs() const { return m_started.elapsed(); }
    // The connection counts against the front door's limits while the front
    // holds its ticket, and then its socket.
    void holdTicket(ConnectionTicket ticket) { m_ticket = std::move(ticket); }
    ConnectionTicket takeTicket() { return std::move(m_ticket); }

    struct Handoff
    {
        int fd = -1;
        SslHandle ssl;
        QByteArray received; // plaintext from the client nobody has read
        QByteArray unsent; // plaintext for the client not yet written to TLS
        int retry = 0; // bytes of `unsent` that OpenSSL holds for a retried SSL_write
    };
    // Takes the connection from the plain socket on the other end of the pair
    // (the caller deletes it): none if the connection is gone or ending.
    std::optional<Handoff> takeOver(QTcpSocket *plain);

signals:
    // The handshake is done: `plainFd` is the other end of the pair, for a QTcpSocket.
    void secured(int plainFd);

private:
    enum class State : quint8 { Handshaking, Relaying, Closing, Done };
    class PlainEnd final : public Pollable
    {
    public:
        explicit PlainEnd(TlsFront *front) : m_front(front) { }
        void onReadable() override { m_front->fromPlain(); }
        void onWritable() override { m_front->toPlain(); }
        void onDeadline() override { }

    private:
        TlsFront *m_front;
    };

    void onReadable() override;
    void onWritable() override;
    void onDeadline() override;
    void handshake();
    void secure();
    void fromClient();
    void toPlain();
    void fromPlain();
    void toClient();
    bool writeClient(const char *data, int size);
    void plainEnded();
    void closeClient();
    void finish();
    void updateWatch();

    int m_fd;
    int m_plainFd = -1;
    SslHandle m_ssl;
    LinkPoller *m_poller;
    quint64 m_id = 0;
    quint64 m_plainId = 0;
    PlainEnd m_plainEnd {this};
    ConnectionTicket m_ticket;
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;
    QElapsedTimer m_started;
    qint64 m_closingAt = 0; // m_started's reading when Closing began
    QByteArray m_toPlain; // decrypted, waiting for room in the pair
    QByteArray m_toClient; // an SSL_write to retry with these bytes
    State m_state = State::Handshaking;
    bool m_readWantsWrite = false;
};

} // namespace Chat
