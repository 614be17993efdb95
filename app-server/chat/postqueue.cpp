// Group commit of chat posts.
#include "postqueue.h"

#include "bus.h"
#include "outputflusher.h"
#include "serverlogging.h"
#include "session.h"
#include "storeworker.h"

#include <QElapsedTimer>

namespace Chat {

PostQueue::PostQueue(StoreWorker *store, Bus *bus, QObject *parent)
    : QObject(parent), m_store(store), m_bus(bus)
{
    // A zero timer fires once the event loop has handled the input it has now:
    // under load that is a batch, when idle it is a single post with no delay.
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &PostQueue::flush);
}

PostQueue::~PostQueue() = default; // the owner drains (drain()) while the writer runs

void PostQueue::submit(const MessageStore::NewMessage &message, Session *origin)
{
    m_pending.append({message, origin});
    if (m_pending.size() >= m_maxBatch && !m_inFlight)
        flush();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void PostQueue::flush()
{
    commitPending();
}

void PostQueue::drain()
{
    commitPending();
    m_store->finish(); // completions hand on what queued meanwhile
}

void PostQueue::commitPending()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty() || m_inFlight)
        return;
    QList<Post> posts = std::exchange(m_pending, {});
    QList<MessageStore::NewMessage> batch;
    batch.reserve(posts.size());
    for (const Post &post : posts)
        batch.append(post.message);

    m_inFlight = true;
    m_store->run(
        [batch = std::move(batch)](MessageStore &store) { // on the writer's thread
            QElapsedTimer took;
            took.start();
            Commit commit;
            if (auto stored = store.append(batch)) {
                commit.ok = true;
                commit.stored = std::move(*stored);
            }
            commit.nanoseconds = took.nsecsElapsed();
            return commit;
        },
        [this, posts = std::move(posts)](const Commit &commit) {
            m_inFlight = false;
            m_commitSeconds.observe(double(commit.nanoseconds) / 1e9);
            committed(posts, commit);
            emit storeAnswered(commit.ok);
            if (m_flusher)
                m_flusher->flushAll();
            commitPending(); // what came in while this one was committing
        });
}

void PostQueue::committed(const QList<Post> &posts, const Commit &commit)
{
    ++m_transactions;
    if (!commit.ok || commit.stored.size() != posts.size()) {
        ++m_failedTransactions;
        qCWarning(lcStore) << "could not store" << posts.size() << "messages";
        for (const Post &post : posts) {
            if (post.origin)
                post.origin->sendError(ErrorCode::StoreFailed,
                                       QStringLiteral("The message could not be saved; try again."),
                                       post.message.clientId);
        }
        return;
    }
    for (qsizetype i = 0; i < posts.size(); ++i) {
        const MessageStore::Appended &result = commit.stored.at(i);
        if (result.duplicate) {
            // A retry: the sender gets the original message, nobody else anything.
            if (posts.at(i).origin)
                posts.at(i).origin->send(result.message);
            continue;
        }
        ++m_committed;
        m_bus->publish(result.message); // every server's rooms deliver it from the bus
    }
}

} // namespace Chat
