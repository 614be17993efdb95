// epoll event dispatcher.
#include "epolleventdispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>

#include <cerrno>
#include <ctime>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace Chat {

namespace {
constexpr int MaxEvents = 512;
thread_local epoll_event readyEvents[MaxEvents];
} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_epoll(epoll_create1(EPOLL_CLOEXEC))
    , m_wakeFd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{
    epoll_event ev {};
    ev.events = EPOLLIN;
    ev.data.fd = m_wakeFd;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &ev);
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    close(m_wakeFd);
    close(m_epoll);
}

qint64 EpollEventDispatcher::nowMs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void EpollEventDispatcher::applyChanges()
{
    for (const int fd : std::as_const(m_changed)) {
        const auto it = m_watches.find(fd);
        if (it == m_watches.end())
            continue;
        quint32 wanted = 0;
        if (it->read)
            wanted |= EPOLLIN | EPOLLRDHUP;
        if (it->write)
            wanted |= EPOLLOUT;
        if (it->exception)
            wanted |= EPOLLPRI;
        if (wanted == it->registered) {
            if (wanted == 0)
                m_watches.erase(it);
            continue;
        }
        epoll_event ev {};
        ev.data.fd = fd;
        ev.events = wanted;
        if (wanted == 0) {
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
            m_watches.erase(it);
            continue;
        }
        const int op = it->registered == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        if (epoll_ctl(m_epoll, op, fd, &ev) != 0) {
            // The fd was closed (and dropped by epoll) and reused, or is new after all.
            epoll_ctl(m_epoll, op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev);
        }
        it->registered = wanted;
    }
    m_changed.clear();
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Watch &watch = m_watches[fd];
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        watch.read = notifier;
        break;
    case QSocketNotifier::Write:
        watch.write = notifier;
        break;
    case QSocketNotifier::Exception:
        watch.exception = notifier;
        break;
    }
    m_changed.append(fd);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    if (it->read == notifier)
        it->read = nullptr;
    if (it->write == notifier)
        it->write = nullptr;
    if (it->exception == notifier)
        it->exception = nullptr;
    if (!it->read && !it->write && !it->exception) {
        // The socket is going away and its fd may be reused at once: forget it now.
        if (it->registered)
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        m_watches.erase(it);
        return;
    }
    m_changed.append(fd);
}

void EpollEventDispatcher::schedule(int timerId, Timer &timer, qint64 due)
{
    timer.due = due;
    timer.slot = m_due.emplace(due, timerId);
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    Timer timer;
    timer.interval = interval;
    timer.type = timerType;
    timer.object = object;
    Timer &stored = m_timers[timerId] = timer;
    schedule(timerId, stored, nowMs() + interval);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_due.erase(it->slot);
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->object == object) {
            m_due.erase(it->slot);
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it) {
        if (it->object == object)
            list.append(TimerInfo(it.key(), int(it->interval), it->type));
    }
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.constEnd())
        return -1;
    return int(std::max<qint64>(0, it->due - nowMs()));
}

void EpollEventDispatcher::wakeUp()
{
    const quint64 one = 1;
    [[maybe_unused]] const auto written = ::write(m_wakeFd, &one, sizeof one);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted = true;
    wakeUp();
}

int EpollEventDispatcher::activateTimers()
{
    // Fire each timer due now at most once per pass; ones that become due while
    // firing wait for the next pass (so zero-interval timers cannot starve sockets).
    const qint64 now = nowMs();
    QList<int> due;
    for (auto it = m_due.cbegin(); it != m_due.cend() && it->first <= now; ++it)
        due.append(it->second);
    int fired = 0;
    for (const int id : std::as_const(due)) {
        const auto it = m_timers.find(id);
        if (it == m_timers.end())
            continue; // killed by an earlier timer of this pass
        m_due.erase(it->slot);
        // A late timer is not fired in a burst to catch up: next time is from now.
        const qint64 next = it->due + it->interval;
        schedule(id, *it, next > now ? next : now + it->interval);
        QObject *object = it->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++fired;
    }
    return fired;
}

int EpollEventDispatcher::activateSockets(int ready)
{
    int activated = 0;
    for (int i = 0; i < ready; ++i) {
        const int fd = readyEvents[i].data.fd;
        const quint32 events = readyEvents[i].events;
        if (fd == m_wakeFd) {
            quint64 value = 0;
            [[maybe_unused]] const auto got = ::read(m_wakeFd, &value, sizeof value);
            continue;
        }
        const bool failed = events & (EPOLLERR | EPOLLHUP);
        // Each notifier is looked up again before it is sent: an earlier one may
        // have closed the socket or disabled it.
        const auto send = [&](QSocketNotifier *Watch::*which, bool wanted) {
            if (!wanted)
                return;
            const auto it = m_watches.constFind(fd);
            if (it == m_watches.constEnd() || !((*it).*which))
                return;
            QEvent event(QEvent::SockAct);
            QCoreApplication::sendEvent((*it).*which, &event);
            ++activated;
        };
        send(&Watch::read, (events & (EPOLLIN | EPOLLRDHUP)) || failed);
        send(&Watch::write, (events & EPOLLOUT) || failed);
        send(&Watch::exception, events & EPOLLPRI);
    }
    return activated;
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted = false;
    emit awake();
    QCoreApplication::sendPostedEvents();

    const bool mayWait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted;
    int timeout = 0;
    if (mayWait) {
        if (m_due.empty()) {
            timeout = -1;
        } else {
            const qint64 wait = m_due.cbegin()->first - nowMs();
            timeout = int(std::clamp<qint64>(wait, 0, 24 * 3600 * 1000));
        }
    }
    applyChanges();
    if (timeout != 0)
        emit aboutToBlock();
    int ready = epoll_wait(m_epoll, readyEvents, MaxEvents, timeout);
    if (ready < 0)
        ready = 0; // EINTR: a signal; go round again
    emit awake();

    int handled = 0;
    if (!(flags & QEventLoop::ExcludeSocketNotifiers))
        handled += activateSockets(ready);
    if (!(flags & QEventLoop::X11ExcludeTimers))
        handled += activateTimers();
    return handled > 0 || ready > 0;
}

} // namespace Chat
