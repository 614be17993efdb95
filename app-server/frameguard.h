// Enforces the one rule of RFC 6455 framing that Qt 6.4's parser lets through:
// every frame a client sends must be masked (section 5.1); a server that gets an
// unmasked one must fail the connection (1002).
//
// Qt reads the bytes after the handshake itself, so chat-server watches them from
// the socket underneath: QWebSocket asks bytesAvailable() before every read and
// once more when it stops, so between two calls bytes either arrived (the count
// grew: scan them) or were read (it shrank). Bytes from an offending frame on are
// hidden from Qt, so nothing in it reaches the chat.
#pragma once

#include <QSslSocket>
#include <QTcpSocket>

#include <functional>

namespace Chat {

// Follows the frame headers of a client's byte stream.
class ClientFrameScanner
{
public:
    // Scans the next `size` bytes of the stream. Stops at the first unmasked frame.
    void feed(const char *data, qint64 size);
    // Stream offset where the first unmasked frame starts, or -1.
    qint64 violationAt() const { return m_violation; }
    qint64 scanned() const { return m_offset; }

private:
    enum class State : quint8 { Opcode, Length, ExtendedLength, Mask, Payload };
    State m_state = State::Opcode;
    quint8 m_needed = 0; // bytes still to come of the extended length or the mask key
    quint64 m_length = 0; // payload length, then what is left of the payload
    qint64 m_offset = 0;
    qint64 m_frameStart = 0;
    qint64 m_violation = -1;
};

class FrameGuard
{
public:
    // Starts watching: what the socket holds now is the first the client sent
    // after the handshake. `onViolation` is called once, from the event loop.
    void start(QObject *context, std::function<void()> onViolation);
    bool isActive() const { return m_active; }
    // What the reader may see of `buffered` bytes (called from bytesAvailable()).
    qint64 visible(qint64 buffered, QIODevice *device) const;

private:
    mutable ClientFrameScanner m_scanner;
    mutable qint64 m_seen = 0; // buffered bytes at the last look
    mutable qint64 m_consumed = 0; // stream bytes Qt has read
    mutable bool m_peeking = false;
    mutable bool m_reported = false;
    mutable bool m_active = false;
    QObject *m_context = nullptr;
    std::function<void()> m_onViolation;
};

// A front-door socket (QTcpSocket or QSslSocket) whose reader sees only what the
// guard lets through.
template<class Socket> class Guarded final : public Socket
{
public:
    using Socket::Socket;
    qint64 bytesAvailable() const override
    {
        return guard.visible(Socket::bytesAvailable(), const_cast<Guarded *>(this));
    }
    FrameGuard guard;
};
using GuardedTcpSocket = Guarded<QTcpSocket>;
using GuardedSslSocket = Guarded<QSslSocket>;

// The guard of a front-door socket, or null for any other socket.
FrameGuard *frameGuardOf(QTcpSocket *socket);

} // namespace Chat
