// The store's writer: the connection every write goes through. For a store
// whose commit waits (an fsync with --durability full; a round trip and
// PostgreSQL's fsync with --store postgresql://) it is a thread of its own, so
// that the event loop never waits for a commit: jobs run one at a time in the
// order they were given, and each one's completion runs back on the thread that
// owns the worker, in the same order. For a store whose commit does not wait
// (SQLite with synchronous=NORMAL: a write to the page cache, checkpoints on a
// thread of their own) the same jobs run inline and complete at once: a hop to
// another thread and back would cost more than the commit (docs/benchmarks.md,
// "The store's writer"). Reads (history pages) stay on the caller's connection,
// except for a shared store (PostgreSQL), whose joins and history pages are
// read by a second worker, the reader, on a thread of its own.
#pragma once

#include <QObject>

#include <functional>
#include <memory>
#include <type_traits>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace Chat {

class MessageStore;

class StoreWorker final : public QObject
{
    Q_OBJECT
public:
    explicit StoreWorker(QObject *parent = nullptr);
    ~StoreWorker() override; // stop()
    Q_DISABLE_COPY_MOVE(StoreWorker)

    enum class Mode { Thread, Inline };
    // Opens `store` (a connection nobody else uses) on the worker's thread, which
    // owns it from then on, or here for Inline. Blocks until it is open (start-up).
    bool start(std::unique_ptr<MessageStore> store, QString *error = nullptr,
               Mode mode = Mode::Thread);
    bool isRunning() const { return m_store != nullptr; }
    bool isThreaded() const { return m_store && !m_inline; }

    // Runs `work(store)` on the worker's thread, then `done(result)` on this one.
    // Without a running store, work is not run and done gets `failed`.
    template<typename Work, typename Done,
             typename Result = std::invoke_result_t<Work, MessageStore &>>
    void run(Work work, Done done, Result failed = Result {})
    {
        if (!m_store) {
            QMetaObject::invokeMethod(
                this, [done = std::move(done), failed]() mutable { done(failed); },
                Qt::QueuedConnection);
            return;
        }
        MessageStore *store = m_store;
        if (m_inline) {
            done(work(*store));
            return;
        }
        ++m_pending;
        QMetaObject::invokeMethod(
            m_runner.get(),
            [this, store, work = std::move(work), done = std::move(done)]() mutable {
                Result result = work(*store);
                QMetaObject::invokeMethod(
                    this,
                    [this, result = std::move(result), done = std::move(done)]() mutable {
                        --m_pending;
                        done(std::move(result));
                    },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }
    // Fire and forget.
    template<typename Work> void post(Work work)
    {
        run([work = std::move(work)](MessageStore &store) mutable { return work(store); },
            [](auto) {});
    }

    // Jobs given and not yet completed here.
    int pending() const { return m_pending; }
    // Blocks until every job given so far (and those their completions give)
    // has run and completed: shutdown and tests only.
    void finish();
    // finish(), then closes the store on its thread and ends the thread.
    void stop();

private:
    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<QObject> m_runner; // lives in m_thread; jobs are its events
    MessageStore *m_store = nullptr; // owned, used and deleted on m_thread only (if threaded)
    bool m_inline = false;
    int m_pending = 0;
};

} // namespace Chat
