// chat-server's own WebSocket framing on a plain TCP descriptor.
#include "directlink.h"

#include "serverlogging.h"

#include <QHostAddress>
#include <QSocketNotifier>
#include <QSslSocket>
#include <QTimer>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace Chat {

namespace {
constexpr int MaxReadsPerWake = 4; // then other connections get their turn
constexpr int MaxIov = 64;
} // namespace

// --- LinkPoller -------------------------------------------------------------

LinkPoller::LinkPoller(QObject *parent)
    : QObject(parent), m_readBuffer(ReadBufferSize, Qt::Uninitialized)
{
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0) {
        qCWarning(lcServer)
            << "epoll_create1 failed:" << qt_error_string(errno)
            << "- plain connections are served through their QTcpSocket (SocketLink)";
        return;
    }
    m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &LinkPoller::poll);
}

LinkPoller::~LinkPoller()
{
    if (m_epoll >= 0)
        ::close(m_epoll);
}

quint64 LinkPoller::add(DirectLink *link, int fd)
{
    const quint64 id = m_nextId++;
    epoll_event event {};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.u64 = id;
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) != 0) {
        qCWarning(lcServer) << "epoll_ctl ADD failed:" << qt_error_string(errno);
        return 0;
    }
    m_links.insert(id, link);
    return id;
}

void LinkPoller::remove(quint64 id, int fd)
{
    if (m_links.remove(id))
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
}

void LinkPoller::watchWrites(quint64 id, int fd, bool on)
{
    epoll_event event {};
    event.events = EPOLLIN | EPOLLRDHUP | (on ? quint32(EPOLLOUT) : 0u);
    event.data.u64 = id;
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
}

void LinkPoller::setDeadline(quint64 id, int ms)
{
    QTimer::singleShot(ms, this, [this, id] {
        if (DirectLink *link = m_links.value(id))
            link->onDeadline();
    });
}

void LinkPoller::post(quint64 id)
{
    QMetaObject::invokeMethod(
        this,
        [this, id] {
            if (DirectLink *link = m_links.value(id))
                link->onReadable();
        },
        Qt::QueuedConnection);
}

void LinkPoller::poll()
{
    // Level-triggered: a connection with more to read than one turn allows is
    // reported again on the next pass, after the others had theirs.
    epoll_event events[256];
    const int ready = ::epoll_wait(m_epoll, events, 256, 0);
    for (int i = 0; i < ready; ++i) {
        const quint64 id = events[i].data.u64;
        const quint32 what = events[i].events;
        if (what & EPOLLOUT) {
            if (DirectLink *link = m_links.value(id))
                link->onWritable();
        }
        if (what & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
            if (DirectLink *link = m_links.value(id))
                link->onReadable();
        }
    }
}

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
    if (m_fd < 0 || writesShut())
        return;
    m_out.append(bytes); // shared with every other recipient: no copy
    m_queued += bytes.size();
}

void DirectLink::flush()
{
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
            // The connection is broken: reading will say so, from the event
            // loop (callers of flush() must not see the listener go away).
            m_out = {};
            m_outOffset = 0;
            m_queued = 0;
            ::shutdown(m_fd, SHUT_RDWR);
            return;
        }
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
    if (m_fd < 0)
        return;
    const bool waiting = !m_out.isEmpty() && !writesShut();
    if (!waiting)
        m_out = {}; // an idle connection keeps no buffer
    if (waiting != m_watchingWrites) {
        m_watchingWrites = waiting;
        m_poller->watchWrites(m_id, m_fd, waiting);
    }
    if (!waiting)
        outputDrained();
}

void DirectLink::shutdownWrites()
{
    ::shutdown(m_fd, SHUT_WR);
}

void DirectLink::closeStream()
{
    if (m_fd < 0)
        return;
    m_poller->remove(m_id, m_fd);
    ::close(m_fd);
    m_fd = -1;
    m_out = {};
    m_outOffset = 0;
    m_queued = 0;
}

// --- reading ----------------------------------------------------------------

void DirectLink::onReadable()
{
    receivePending();
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

} // namespace Chat
