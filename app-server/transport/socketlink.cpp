// chat-server's own WebSocket framing on a QTcpSocket.
#include "socketlink.h"

#include <QScopedValueRollback>
#include <QTcpSocket>

namespace Chat {

namespace {
constexpr qint64 ReadChunk = 64 * 1024;
}

SocketLink::SocketLink(QTcpSocket *socket, qint64 maxMessageBytes, QObject *parent)
    : QObject(parent)
    , FramedLink(maxMessageBytes)
    , m_socket(socket)
    , m_peerAddress(socket->peerAddress())
    , m_peerPort(socket->peerPort())
{
    m_socket->setParent(this);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] { deadlineReached(); });
    connect(m_socket, &QIODevice::readyRead, this, &SocketLink::onReadyRead);
    connect(m_socket, &QIODevice::bytesWritten, this, &SocketLink::onBytesWritten);
    connect(m_socket, &QAbstractSocket::disconnected, this, [this] { streamEnded(); });
    // What the client sent with its handshake, already read from the kernel
    // but not yet by anyone: parsed once the listener is set.
    keepPending(m_socket->readAll());
}

SocketLink::~SocketLink()
{
    disconnect(m_socket, nullptr, this, nullptr);
}

QString SocketLink::peer() const
{
    return QStringLiteral("%1:%2").arg(m_peerAddress.toString()).arg(m_peerPort);
}

void SocketLink::schedulePending()
{
    QMetaObject::invokeMethod(
        this, [this] { onReadyRead(); }, Qt::QueuedConnection);
}

void SocketLink::startDeadline(int ms)
{
    m_deadline.start(ms);
}

void SocketLink::queueBytes(const QByteArray &bytes)
{
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(bytes); // the socket's buffer shares the bytes: no copy
}

void SocketLink::flush()
{
    if (state() == State::Gone)
        return;
    m_socket->flush();
    if (queuedBytes() == 0)
        outputDrained();
}

qint64 SocketLink::queuedBytes() const
{
    return m_socket->bytesToWrite();
}

void SocketLink::onBytesWritten()
{
    if (state() != State::Gone && queuedBytes() == 0)
        outputDrained();
}

void SocketLink::shutdownWrites()
{
    // The connection closes once the rest is written (disconnected() follows).
    m_socket->disconnectFromHost();
}

void SocketLink::closeStream()
{
    m_deadline.stop();
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
}

void SocketLink::onReadyRead()
{
    // Not re-entered: should writing (a pong, a close frame) emit readyRead()
    // from inside flush(), in the middle of a frame being parsed, the loop
    // below reads those bytes next.
    if (m_reading)
        return;
    const QScopedValueRollback reading(m_reading, true);
    receivePending();
    char buffer[ReadChunk];
    while (state() != State::Gone && m_socket->bytesAvailable() > 0) {
        const qint64 got = m_socket->read(buffer, ReadChunk);
        if (got <= 0)
            break;
        received(buffer, qsizetype(got)); // ignored once draining
    }
}

} // namespace Chat
