// chat-server's own WebSocket framing on a plain TCP descriptor.
#include "directlink.h"

#include "serverlogging.h"
#include "wireframe.h"

#include <QHostAddress>
#include <QSocketNotifier>
#include <QSslSocket>
#include <QTimer>
#include <QWebSocket>

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
using Opcode = FrameParser::Opcode;

constexpr int CloseReplyMs = 3000; // our close frame sent: how long the client has to answer
constexpr int DrainMs = 2000; // writes shut: how long to wait for the client to hang up
constexpr int MaxReadsPerWake = 4; // then other connections get their turn
constexpr int MaxIov = 64;
} // namespace

// --- LinkPoller -------------------------------------------------------------

LinkPoller::LinkPoller(QObject *parent)
    : QObject(parent), m_readBuffer(ReadBufferSize, Qt::Uninitialized)
{
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0) {
        qCWarning(lcServer) << "epoll_create1 failed:" << qt_error_string(errno)
                            << "- every connection stays a QWebSocket";
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

std::unique_ptr<DirectLink> DirectLink::adopt(QWebSocket *socket, QTcpSocket *wire,
                                              LinkPoller *poller, qint64 maxMessageBytes)
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
    // yet (QWebSocket reads from the next pass of the event loop on).
    const QByteArray received = wire->readAll();
    // Closing Qt's descriptor sends nothing: the connection lives on in ours.
    wire->abort();
    socket->deleteLater();
    wire->deleteLater();
    auto link = std::make_unique<DirectLink>(fd, received, poller, maxMessageBytes);
    if (link->m_id == 0)
        return {}; // its destructor closed the descriptor, and so the connection
    return link;
}

DirectLink::DirectLink(int fd, const QByteArray &received, LinkPoller *poller,
                       qint64 maxMessageBytes)
    : m_fd(fd), m_poller(poller), m_pending(received), m_parser(maxMessageBytes)
{
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

void DirectLink::setListener(LinkListener *listener)
{
    m_listener = listener;
    if (!m_pending.isEmpty())
        m_poller->post(m_id); // handled from the event loop, after the listener's setup
}

QString DirectLink::peer() const
{
    QHostAddress address(m_peerAddress);
    bool isV4 = false;
    if (const quint32 v4 = address.toIPv4Address(&isV4); isV4)
        address.setAddress(v4);
    return QStringLiteral("%1:%2").arg(address.toString()).arg(m_peerPort);
}

// --- writing ----------------------------------------------------------------

void DirectLink::send(const QByteArray &frame)
{
    if (m_state != State::Open || m_closeSent)
        return;
    m_out.append(frame);
    m_queued += frame.size();
}

void DirectLink::queueControl(quint8 opcode, const QByteArray &payload)
{
    queueFrame(WireFrame::frame(opcode, payload.left(125))); // never masked
}

void DirectLink::queueFrame(const QByteArray &bytes)
{
    m_out.append(bytes);
    m_queued += bytes.size();
}

void DirectLink::flush()
{
    while (m_fd >= 0 && !m_out.isEmpty() && !m_writesShut) {
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
    const bool waiting = !m_out.isEmpty() && !m_writesShut;
    if (!waiting)
        m_out = {}; // an idle connection keeps no buffer
    if (waiting != m_watchingWrites) {
        m_watchingWrites = waiting;
        m_poller->watchWrites(m_id, m_fd, waiting);
    }
    if (!waiting && m_state == State::Draining && !m_writesShut) {
        m_writesShut = true;
        ::shutdown(m_fd, SHUT_WR); // our FIN after the close frame
    }
}

void DirectLink::onWritable()
{
    flush();
}

void DirectLink::ping()
{
    if (m_state != State::Open || m_closeSent)
        return;
    queueControl(quint8(Opcode::Ping), {});
    flush();
}

void DirectLink::sendClose(int code, const QByteArray &reason)
{
    m_closeSent = true;
    queueFrame(WireFrame::close(code, reason));
}

void DirectLink::close(int code, const QString &reason)
{
    if (m_state != State::Open || m_closeSent)
        return;
    m_closeCode = quint16(code);
    m_listener->onLinkClosing();
    sendClose(code, reason.toUtf8());
    m_state = State::Closing;
    flush();
    m_poller->setDeadline(m_id, CloseReplyMs);
}

void DirectLink::abort()
{
    finish();
}

void DirectLink::drain()
{
    m_state = State::Draining;
    flush(); // shuts writes once the close frame is out
    m_poller->setDeadline(m_id, DrainMs);
}

void DirectLink::onDeadline()
{
    if (m_state == State::Closing || m_state == State::Draining)
        finish();
}

void DirectLink::finish()
{
    if (m_fd < 0)
        return;
    m_poller->remove(m_id, m_fd);
    ::close(m_fd);
    m_fd = -1;
    m_state = State::Gone;
    m_out = {};
    m_outOffset = 0;
    m_queued = 0;
    m_pending = {};
    if (m_listener)
        m_listener->onLinkDisconnected(m_closeCode);
}

// --- reading ----------------------------------------------------------------

void DirectLink::onReadable()
{
    if (!m_pending.isEmpty()) {
        const QByteArray pending = std::exchange(m_pending, {});
        receive(pending.constData(), pending.size());
    }
    char *buffer = m_poller->readBuffer();
    for (int round = 0; round < MaxReadsPerWake && m_fd >= 0; ++round) {
        const ssize_t got = ::recv(m_fd, buffer, LinkPoller::ReadBufferSize, 0);
        if (got > 0) {
            if (m_state != State::Draining)
                receive(buffer, got);
            if (got < LinkPoller::ReadBufferSize)
                return;
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        finish(); // the client hung up, or the connection broke
        return;
    }
}

void DirectLink::receive(const char *data, qsizetype size)
{
    if (m_parser.feed(data, size, *this) == FrameParser::Status::Failed)
        fail(m_parser.failureCode(), m_parser.failureReason());
}

bool DirectLink::onFrame(Opcode opcode, const QByteArray &payload)
{
    switch (opcode) {
    case Opcode::Close:
        if (!m_closeSent) {
            const int code = FrameParser::closeCodeOf(payload);
            m_closeCode = quint16(code);
            m_listener->onLinkClosing();
            sendClose(code == 1005 ? 1000 : code, {}); // the echo (RFC 6455 5.5.1)
        }
        drain();
        return false; // nothing after a close frame is read
    case Opcode::Ping:
        if (m_state == State::Open && !m_closeSent) {
            queueControl(quint8(Opcode::Pong), payload);
            flush();
        }
        break;
    case Opcode::Pong:
        m_listener->onLinkPong();
        break;
    case Opcode::Text:
    case Opcode::Binary:
        // After our close frame, what the client still sends is not read.
        if (m_state == State::Open && !m_closeSent) {
            if (opcode == Opcode::Text)
                m_listener->onLinkText(payload);
            else
                m_listener->onLinkBinary();
        }
        break;
    case Opcode::Continuation:
        break;
    }
    return m_fd >= 0 && (m_state == State::Open || m_state == State::Closing);
}

void DirectLink::fail(int code, const char *reason)
{
    qCInfo(lcSession).noquote() << "failing the connection of" << peer() << ":" << reason;
    if (!m_closeSent) {
        m_closeCode = quint16(code);
        if (m_listener)
            m_listener->onLinkClosing();
        sendClose(code, reason);
    }
    drain();
}

} // namespace Chat
