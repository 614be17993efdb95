// An event dispatcher on Linux epoll for the server's main thread. Qt's Unix
// dispatcher builds a poll() array of every socket on every pass of the event
// loop, so each event costs O(connections); with epoll it costs O(ready sockets).
// Socket notifiers map to epoll registrations, timers live in a map ordered by
// due time, and wake-ups come through an eventfd.
#pragma once

#include <QAbstractEventDispatcher>
#include <QHash>

#include <atomic>
#include <map>

namespace Chat {

class EpollEventDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;
    Q_DISABLE_COPY_MOVE(EpollEventDispatcher)

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 registered = 0; // the events epoll has for this fd now
    };
    struct Timer
    {
        qint64 interval = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        QObject *object = nullptr;
        qint64 due = 0;
        std::multimap<qint64, int>::iterator slot;
    };

    // Notifier changes are applied just before waiting: Qt enables and disables a
    // socket's write notifier around every write, and a change undone within the
    // same pass then costs no epoll_ctl at all.
    void applyChanges();
    void schedule(int timerId, Timer &timer, qint64 due);
    int activateTimers();
    int activateSockets(int ready);
    static qint64 nowMs();

    int m_epoll = -1;
    int m_wakeFd = -1;
    std::atomic<bool> m_interrupted {false};
    QHash<int, Watch> m_watches;
    QList<int> m_changed; // fds whose notifiers changed since the last wait
    QHash<int, Timer> m_timers;
    std::multimap<qint64, int> m_due; // due time -> timer id
};

} // namespace Chat
