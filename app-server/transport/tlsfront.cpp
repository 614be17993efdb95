// The TLS handshake and the plaintext relay of a connection before it is a Link.
#include "tlsfront.h"

#include "serverlogging.h"

#include <QTcpSocket>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Chat {

namespace {
constexpr int LingerMs
    = 1000; // after our close_notify: how long what the client still sends is read

// Reads what a non-blocking descriptor has now; false once it ended.
bool readAvailable(int fd, QByteArray *into, char *buffer, qsizetype size)
{
    for (;;) {
        const ssize_t got = ::recv(fd, buffer, size_t(size), 0);
        if (got > 0) {
            into->append(buffer, got);
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        return got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
}
} // namespace

TlsFront::TlsFront(int fd, const TlsContext &context, LinkPoller *poller, int handshakeMs,
                   QObject *parent)
    : QObject(parent), m_fd(fd), m_ssl(context.accept(fd)), m_poller(poller)
{
    m_started.start();
    ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    sockaddr_storage address {};
    socklen_t size = sizeof(address);
    if (::getpeername(m_fd, reinterpret_cast<sockaddr *>(&address), &size) == 0) {
        m_peerAddress = QHostAddress(reinterpret_cast<const sockaddr *>(&address));
        m_peerPort = ntohs(address.ss_family == AF_INET6
                               ? reinterpret_cast<const sockaddr_in6 *>(&address)->sin6_port
                               : reinterpret_cast<const sockaddr_in *>(&address)->sin_port);
    }
    if (m_ssl)
        m_id = m_poller->add(this, m_fd);
    if (m_id == 0) {
        qCWarning(lcServer).noquote() << "cannot start TLS with" << m_peerAddress.toString() << ":"
                                      << TlsContext::lastError();
        finish();
        return;
    }
    m_poller->setDeadline(m_id, handshakeMs);
}

TlsFront::~TlsFront()
{
    if (m_plainFd >= 0) {
        m_poller->remove(m_plainId, m_plainFd);
        ::close(m_plainFd);
    }
    if (m_fd >= 0) {
        m_poller->remove(m_id, m_fd);
        m_ssl.reset();
        ::close(m_fd);
    }
}

void TlsFront::onReadable()
{
    if (m_state == State::Handshaking)
        handshake();
    else
        fromClient();
}

void TlsFront::onWritable()
{
    if (m_state == State::Handshaking) {
        handshake();
        return;
    }
    if (!m_toClient.isEmpty())
        toClient();
    if (m_readWantsWrite)
        fromClient();
    updateWatch();
}

void TlsFront::onDeadline()
{
    if (m_state == State::Handshaking) {
        qCInfo(lcServer).noquote() << "TLS handshake timeout from" << m_peerAddress.toString();
        finish();
    } else if (m_state == State::Closing && m_started.elapsed() - m_closingAt >= LingerMs - 10) {
        finish(); // (the handshake's deadline may come first: ignored)
    }
}

void TlsFront::updateWatch()
{
    if (m_state == State::Done)
        return;
    const bool reads = m_toPlain.isEmpty();
    const bool writes = !m_toClient.isEmpty() || m_readWantsWrite;
    m_poller->watch(m_id, m_fd, reads, writes);
    if (m_plainFd >= 0)
        m_poller->watch(m_plainId, m_plainFd, m_toClient.isEmpty(), !m_toPlain.isEmpty());
}

// --- the handshake ----------------------------------------------------------

void TlsFront::handshake()
{
    ERR_clear_error();
    const int result = SSL_accept(m_ssl.get());
    if (result == 1) {
        secure();
        return;
    }
    switch (SSL_get_error(m_ssl.get(), result)) {
    case SSL_ERROR_WANT_READ:
        m_poller->watch(m_id, m_fd, true, false);
        return;
    case SSL_ERROR_WANT_WRITE:
        m_poller->watch(m_id, m_fd, true, true);
        return;
    default:
        qCDebug(lcServer).noquote() << "TLS handshake failed from" << m_peerAddress.toString()
                                    << ":" << TlsContext::lastError();
        finish();
    }
}

void TlsFront::secure()
{
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0) {
        qCWarning(lcServer) << "socketpair failed:" << qt_error_string(errno);
        finish();
        return;
    }
    m_plainFd = pair[0];
    m_plainId = m_poller->add(&m_plainEnd, m_plainFd);
    m_state = State::Relaying;
    emit secured(pair[1]);
    if (m_state == State::Relaying)
        fromClient(); // what came with the client's last handshake flight
}

// --- client to Qt -----------------------------------------------------------

void TlsFront::fromClient()
{
    m_readWantsWrite = false;
    char *buffer = m_poller->readBuffer();
    while (m_toPlain.isEmpty() && m_state != State::Done) {
        ERR_clear_error();
        const int got = SSL_read(m_ssl.get(), buffer, int(LinkPoller::ReadBufferSize));
        if (got > 0) {
            if (m_state != State::Relaying)
                continue; // closing: what the client still sends is dropped
            const ssize_t sent = ::send(m_plainFd, buffer, size_t(got), MSG_NOSIGNAL);
            if (sent < got) {
                if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                    plainEnded();
                    continue;
                }
                m_toPlain
                    = QByteArray(buffer + qMax<ssize_t>(sent, 0), got - qMax<ssize_t>(sent, 0));
            }
            continue;
        }
        const int error = SSL_get_error(m_ssl.get(), got);
        if (error == SSL_ERROR_WANT_READ)
            break;
        if (error == SSL_ERROR_WANT_WRITE) {
            m_readWantsWrite = true;
            break;
        }
        // The client closed (close_notify or EOF), or the connection broke.
        finish();
        return;
    }
    updateWatch();
}

void TlsFront::toPlain()
{
    if (m_toPlain.isEmpty() || m_plainFd < 0)
        return;
    const ssize_t sent
        = ::send(m_plainFd, m_toPlain.constData(), size_t(m_toPlain.size()), MSG_NOSIGNAL);
    if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        plainEnded();
        return;
    }
    if (sent > 0)
        m_toPlain.remove(0, sent);
    if (m_toPlain.isEmpty())
        fromClient(); // reads resume
    else
        updateWatch();
}

// --- Qt to client -----------------------------------------------------------

bool TlsFront::writeClient(const char *data, int size)
{
    ERR_clear_error();
    const int written = SSL_write(m_ssl.get(), data, size);
    if (written > 0)
        return true;
    const int error = SSL_get_error(m_ssl.get(), written);
    if (error == SSL_ERROR_WANT_WRITE || error == SSL_ERROR_WANT_READ) {
        if (m_toClient.isEmpty())
            m_toClient = QByteArray(data, size);
        return false;
    }
    finish(); // the connection broke
    return false;
}

void TlsFront::fromPlain()
{
    char *buffer = m_poller->writeBuffer();
    while (m_toClient.isEmpty() && m_plainFd >= 0) {
        const ssize_t got = ::recv(m_plainFd, buffer, size_t(LinkPoller::WriteBufferSize), 0);
        if (got > 0) {
            if (!writeClient(buffer, int(got)))
                break;
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        plainEnded(); // Qt closed its end
        return;
    }
    updateWatch();
}

void TlsFront::toClient()
{
    const QByteArray retry = m_toClient;
    if (!writeClient(retry.constData(), int(retry.size())))
        return;
    m_toClient.clear();
    if (m_plainFd >= 0)
        fromPlain();
    else if (m_state == State::Closing)
        closeClient();
}

// --- the end ----------------------------------------------------------------

void TlsFront::plainEnded()
{
    if (m_plainFd >= 0) {
        m_poller->remove(m_plainId, m_plainFd);
        ::close(m_plainFd);
        m_plainFd = -1;
    }
    m_toPlain.clear();
    if (m_state == State::Relaying) {
        m_state = State::Closing;
        m_closingAt = m_started.elapsed();
        m_poller->setDeadline(m_id, LingerMs);
    }
    if (m_toClient.isEmpty())
        closeClient();
}

void TlsFront::closeClient()
{
    // Our close_notify and FIN after everything Qt wrote; what the client still
    // sends is read and dropped until it closes, so that it reads the answer
    // instead of a reset (at most LingerMs).
    if (m_state == State::Done)
        return;
    ERR_clear_error();
    SSL_shutdown(m_ssl.get());
    ::shutdown(m_fd, SHUT_WR);
    updateWatch();
}

void TlsFront::finish()
{
    if (m_state == State::Done)
        return;
    m_state = State::Done;
    if (m_plainFd >= 0) {
        m_poller->remove(m_plainId, m_plainFd);
        ::close(m_plainFd); // Qt's end reads the end of the stream
        m_plainFd = -1;
    }
    if (m_fd >= 0) {
        m_poller->remove(m_id, m_fd);
        m_ssl.reset();
        ::close(m_fd);
        m_fd = -1;
    }
    deleteLater();
}

std::optional<TlsFront::Handoff> TlsFront::takeOver(QTcpSocket *plain)
{
    if (m_state != State::Relaying || m_plainFd < 0)
        return std::nullopt;
    plain->flush(); // Qt's handshake answer, into the pair (a new pair has room for it)
    if (plain->bytesToWrite() > 0)
        return std::nullopt;
    Handoff handoff;
    handoff.unsent = m_toClient;
    handoff.retry = int(m_toClient.size());
    char *buffer = m_poller->writeBuffer();
    if (!readAvailable(m_plainFd, &handoff.unsent, buffer, LinkPoller::WriteBufferSize))
        return std::nullopt;
    // Oldest first: what Qt has buffered, what is in the pair, what waits here,
    // then what OpenSSL has decrypted and not handed out.
    handoff.received = plain->readAll();
    buffer = m_poller->readBuffer();
    if (!readAvailable(int(plain->socketDescriptor()), &handoff.received, buffer,
                       LinkPoller::ReadBufferSize))
        return std::nullopt;
    handoff.received += m_toPlain;
    for (;;) {
        ERR_clear_error();
        const int got = SSL_read(m_ssl.get(), buffer, int(LinkPoller::ReadBufferSize));
        if (got > 0) {
            handoff.received.append(buffer, got);
            continue;
        }
        const int error = SSL_get_error(m_ssl.get(), got);
        if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE)
            break;
        return std::nullopt; // the client is gone
    }
    m_poller->remove(m_plainId, m_plainFd);
    ::close(m_plainFd);
    m_plainFd = -1;
    m_poller->remove(m_id, m_fd);
    handoff.fd = std::exchange(m_fd, -1);
    handoff.ssl = std::move(m_ssl);
    m_state = State::Done;
    deleteLater();
    return handoff;
}

} // namespace Chat
