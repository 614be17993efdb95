// The epoll set of the transport layer.
#include "linkpoller.h"

#include "serverlogging.h"

#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <sys/epoll.h>
#include <unistd.h>

namespace Chat {

LinkPoller::LinkPoller(QObject *parent, int maxEventsPerPass)
    : QObject(parent)
    , m_maxEventsPerPass(qBound(1, maxEventsPerPass, 256))
    , m_readBuffer(ReadBufferSize, Qt::Uninitialized)
    , m_writeBuffer(WriteBufferSize, Qt::Uninitialized)
{
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_epoll < 0) {
        qCWarning(lcServer) << "epoll_create1 failed:" << qt_error_string(errno)
                            << "- connections are served through their QTcpSocket (SocketLink)";
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

quint64 LinkPoller::add(Pollable *target, int fd)
{
    const quint64 id = m_nextId++;
    epoll_event event {};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.u64 = id;
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) != 0) {
        qCWarning(lcServer) << "epoll_ctl ADD failed:" << qt_error_string(errno);
        return 0;
    }
    m_links.insert(id, target);
    return id;
}

void LinkPoller::remove(quint64 id, int fd)
{
    if (m_links.remove(id))
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
}

void LinkPoller::watch(quint64 id, int fd, bool reads, bool writes)
{
    epoll_event event {};
    event.events = (reads ? quint32(EPOLLIN | EPOLLRDHUP) : 0u) | (writes ? quint32(EPOLLOUT) : 0u);
    event.data.u64 = id;
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
}

void LinkPoller::setDeadline(quint64 id, int ms)
{
    QTimer::singleShot(ms, this, [this, id] {
        if (Pollable *target = m_links.value(id))
            target->onDeadline();
    });
}

void LinkPoller::post(quint64 id)
{
    QMetaObject::invokeMethod(
        this,
        [this, id] {
            if (Pollable *target = m_links.value(id))
                target->onReadable();
        },
        Qt::QueuedConnection);
}

void LinkPoller::poll()
{
    // Level-triggered: a connection with more to read than one turn allows is
    // reported again on the next pass, after the others had theirs.
    epoll_event events[256];
    const int ready = ::epoll_wait(m_epoll, events, m_maxEventsPerPass, 0);
    for (int i = 0; i < ready; ++i) {
        const quint64 id = events[i].data.u64;
        const quint32 what = events[i].events;
        if (what & EPOLLOUT) {
            if (Pollable *target = m_links.value(id))
                target->onWritable();
        }
        if (what & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
            if (Pollable *target = m_links.value(id))
                target->onReadable();
        }
    }
}

} // namespace Chat
