// chat-server's own WebSocket framing on a TCP descriptor, plain or TLS.
#include "directlink.h"

#include "serverlogging.h"
#include "tlsfront.h"

#include <QHostAddress>
#include <QSslSocket>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace Chat {

namespace {
constexpr int MaxReadsPerWake = 4; // then other connections get their turn
constexpr int MaxIov = 64;
} // namespace

// --- DirectLink -------------------------------------------------------------

std::unique_ptr<DirectLink> DirectLink::adopt(QTcpSocket *wire, LinkPoller *poller,
                                              qint64 maxMessageBytes)
{
    if (!wire || !poller || !poller->isValid() || qobject_cast<QSslSocket *>(wire)
        || wire->state() != QAbstractSocket::ConnectedState)
        return {};
    wire->flush(); // the handshake answer; a new connection's send buffer is empty
    if (wire->bytesToWrite() > 0)
        return {};
    const int fd = ::fcntl(int(wire->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
        return {};
    // What the client sent right after its handshake; nothing of it was parsed
    // yet (the hand-over happens before anything else reads the socket).
    const QByteArray received = wire->readAll();
    // Closing Qt's descriptor sends nothing: the connection lives on in ours.
    wire->abort();
    wire->deleteLater();
    auto link = std::make_unique<DirectLink>(fd, received, poller, maxMessageBytes);
    if (link->m_id == 0)
        return {}; // its destructor closed the descriptor, and so the connection
    return link;
}

std::unique_ptr<DirectLink> DirectLink::adoptTls(QTcpSocket *wire, TlsFront *front,
                                                 LinkPoller *poller, qint64 maxMessageBytes)
{
    if (!wire || !front || !poller || !poller->isValid()
        || wire->state() != QAbstractSocket::ConnectedState)
        return {};
    std::optional<TlsFront::Handoff> handoff = front->takeOver(wire);
    if (!handoff)
        return {};
    wire->abort(); // the pair's end: the connection lives on in the descriptor
    wire->deleteLater();
    auto link
        = std::make_unique<DirectLink>(handoff->fd, std::move(handoff->ssl), handoff->received,
                                       handoff->unsent, handoff->retry, poller, maxMessageBytes);
    if (link->m_id == 0)
        return {};
    link->flush(); // Qt's handshake answer
    return link;
}

DirectLink::DirectLink(int fd, SslHandle ssl, const QByteArray &received, const QByteArray &unsent,
                       int retry, LinkPoller *poller, qint64 maxMessageBytes)
    : DirectLink(fd, received, poller, maxMessageBytes)
{
    m_ssl = std::move(ssl);
    if (!unsent.isEmpty()) {
        m_out.append(unsent);
        m_queued = unsent.size();
        m_tlsRetry = retry;
    }
}

DirectLink::DirectLink(int fd, const QByteArray &received, LinkPoller *poller,
                       qint64 maxMessageBytes)
    : FramedLink(maxMessageBytes), m_fd(fd), m_poller(poller)
{
    keepPending(received);
    ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    sockaddr_storage address {};
    socklen_t size = sizeof(address);
    if (::getpeername(m_fd, reinterpret_cast<sockaddr *>(&address), &size) == 0) {
        const QHostAddress host(reinterpret_cast<const sockaddr *>(&address));
        m_peerAddress = host.toIPv6Address();
        m_peerPort = ntohs(address.ss_family == AF_INET6
                               ? reinterpret_cast<const sockaddr_in6 *>(&address)->sin6_port
                               : reinterpret_cast<const sockaddr_in *>(&address)->sin_port);
    }
    m_id = m_poller->add(this, m_fd);
}

DirectLink::~DirectLink()
{
    if (m_fd >= 0) {
        m_poller->remove(m_id, m_fd);
        m_ssl.reset();
        ::close(m_fd);
    }
}

QString DirectLink::peer() const
{
    QHostAddress address(m_peerAddress);
    bool isV4 = false;
    if (const quint32 v4 = address.toIPv4Address(&isV4); isV4)
        address.setAddress(v4);
    return QStringLiteral("%1:%2").arg(address.toString()).arg(m_peerPort);
}

void DirectLink::schedulePending()
{
    m_poller->post(m_id);
}

void DirectLink::startDeadline(int ms)
{
    m_poller->setDeadline(m_id, ms);
}

// --- writing ----------------------------------------------------------------

void DirectLink::queueBytes(const QByteArray &bytes)
{
    if (m_fd < 0 || writesShut() || bytes.isEmpty())
        return;
    m_out.append(bytes); // shared with every other recipient: no copy
    m_queued += bytes.size();
}

void DirectLink::consume(qsizetype written)
{
    m_queued -= written;
    qsizetype left = written;
    while (left > 0) {
        const qsizetype rest = m_out.first().size() - m_outOffset;
        if (left < rest) {
            m_outOffset += left;
            break;
        }
        left -= rest;
        m_out.removeFirst();
        m_outOffset = 0;
    }
}

void DirectLink::dropOutput()
{
    // The connection is broken: reading will say so, from the event loop
    // (callers of flush() must not see the listener go away).
    m_out = {};
    m_outOffset = 0;
    m_queued = 0;
    m_tlsRetry = 0;
    ::shutdown(m_fd, SHUT_RDWR);
}

void DirectLink::setWatchingWrites(bool on)
{
    if (on != m_watchingWrites) {
        m_watchingWrites = on;
        m_poller->watchWrites(m_id, m_fd, on);
    }
}

void DirectLink::flush()
{
    if (m_ssl) {
        flushTls();
        return;
    }
    while (m_fd >= 0 && !m_out.isEmpty() && !writesShut()) {
        iovec iov[MaxIov];
        int count = 0;
        for (qsizetype i = 0; i < m_out.size() && count < MaxIov; ++i, ++count) {
            const qsizetype skip = i == 0 ? m_outOffset : 0;
            iov[count].iov_base = const_cast<char *>(m_out.at(i).constData() + skip);
            iov[count].iov_len = size_t(m_out.at(i).size() - skip);
        }
        msghdr message {};
        message.msg_iov = iov;
        message.msg_iovlen = size_t(count);
        const ssize_t written = ::sendmsg(m_fd, &message, MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            dropOutput();
            return;
        }
        consume(written);
    }
    if (m_fd < 0)
        return;
    const bool waiting = !m_out.isEmpty() && !writesShut();
    if (!waiting)
        m_out = {}; // an idle connection keeps no buffer
    setWatchingWrites(waiting);
    if (!waiting)
        outputDrained();
}

void DirectLink::flushTls()
{
    // Frames go out gathered into records of up to 16 KiB (one SSL_write, one
    // send each). A write the kernel could not take is retried with the same
    // bytes, which are still the front of m_out.
    while (m_fd >= 0 && !m_out.isEmpty() && !writesShut()) {
        const QByteArray &first = m_out.first();
        const qsizetype want
            = m_tlsRetry > 0 ? m_tlsRetry : qMin<qint64>(m_queued, LinkPoller::WriteBufferSize);
        const char *data = first.constData() + m_outOffset;
        if (first.size() - m_outOffset < want) {
            char *gathered = m_poller->writeBuffer();
            qsizetype filled = 0;
            for (qsizetype i = 0; filled < want; ++i) {
                const qsizetype skip = i == 0 ? m_outOffset : 0;
                const qsizetype take = qMin(m_out.at(i).size() - skip, want - filled);
                memcpy(gathered + filled, m_out.at(i).constData() + skip, size_t(take));
                filled += take;
            }
            data = gathered;
        }
        ERR_clear_error();
        const int written = SSL_write(m_ssl.get(), data, int(want));
        if (written > 0) {
            m_tlsRetry = 0;
            consume(written);
            continue;
        }
        const int error = SSL_get_error(m_ssl.get(), written);
        if (error == SSL_ERROR_WANT_WRITE || error == SSL_ERROR_WANT_READ) {
            m_tlsRetry = int(want);
            break;
        }
        dropOutput();
        return;
    }
    if (m_fd < 0)
        return;
    const bool waiting = !m_out.isEmpty() && !writesShut();
    if (!waiting)
        m_out = {};
    setWatchingWrites(waiting || m_tlsReadWantsWrite);
    if (!waiting)
        outputDrained();
}

void DirectLink::shutdownWrites()
{
    if (m_ssl) {
        ERR_clear_error();
        SSL_shutdown(m_ssl.get()); // close_notify, then our FIN
    }
    ::shutdown(m_fd, SHUT_WR);
}

void DirectLink::closeStream()
{
    if (m_fd < 0)
        return;
    m_poller->remove(m_id, m_fd);
    m_ssl.reset();
    ::close(m_fd);
    m_fd = -1;
    m_out = {};
    m_tlsRetry = 0;
    m_outOffset = 0;
    m_queued = 0;
}

// --- reading ----------------------------------------------------------------

void DirectLink::onReadable()
{
    receivePending();
    if (m_ssl) {
        readTls();
        return;
    }
    char *buffer = m_poller->readBuffer();
    for (int round = 0; round < MaxReadsPerWake && m_fd >= 0; ++round) {
        const ssize_t got = ::recv(m_fd, buffer, LinkPoller::ReadBufferSize, 0);
        if (got > 0) {
            received(buffer, got); // ignored once draining
            if (got < LinkPoller::ReadBufferSize)
                return;
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        streamEnded(); // the client hung up, or the connection broke
        return;
    }
}

void DirectLink::onWritable()
{
    if (m_tlsReadWantsWrite)
        readTls(); // it writes first
    else
        flush();
}

void DirectLink::readTls()
{
    if (m_fd < 0)
        return;
    if (m_tlsReadWantsWrite) {
        m_tlsReadWantsWrite = false;
        flushTls();
    }
    char *buffer = m_poller->readBuffer();
    for (int round = 0; round < MaxReadsPerWake * 4 && m_fd >= 0; ++round) {
        ERR_clear_error();
        const int got = SSL_read(m_ssl.get(), buffer, int(LinkPoller::ReadBufferSize));
        if (got > 0) {
            received(buffer, got); // ignored once draining
            continue;
        }
        const int error = SSL_get_error(m_ssl.get(), got);
        if (error == SSL_ERROR_WANT_READ)
            return;
        if (error == SSL_ERROR_WANT_WRITE) {
            m_tlsReadWantsWrite = true;
            setWatchingWrites(true);
            return;
        }
        streamEnded(); // close_notify, the client hung up, or the connection broke
        return;
    }
    // Records OpenSSL read ahead are not the kernel's to report.
    if (m_fd >= 0 && SSL_has_pending(m_ssl.get()))
        m_poller->post(m_id);
}

} // namespace Chat
