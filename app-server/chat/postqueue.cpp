// Group commit of chat posts.
#include "postqueue.h"

#include "bus.h"
#include "outputflusher.h"
#include "serverlogging.h"
#include "session.h"

#include <QElapsedTimer>

namespace Chat {

PostQueue::PostQueue(MessageStore *store, Bus *bus, QObject *parent)
    : QObject(parent), m_store(store), m_bus(bus)
{
    // A zero timer fires once the event loop has handled the input it has now:
    // under load that is a batch, when idle it is a single post with no delay.
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &PostQueue::flush);
}

PostQueue::~PostQueue()
{
    flush();
}

void PostQueue::submit(const MessageStore::NewMessage &message, Session *origin)
{
    m_pending.append({message, origin});
    if (m_pending.size() >= m_maxBatch)
        flush();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void PostQueue::flush()
{
    commitPending();
    if (m_flusher)
        m_flusher->flushAll();
}

void PostQueue::commitPending()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return;
    const QList<Post> posts = std::exchange(m_pending, {});
    QList<MessageStore::NewMessage> batch;
    batch.reserve(posts.size());
    for (const Post &post : posts)
        batch.append(post.message);

    QElapsedTimer took;
    took.start();
    const auto stored = m_store->append(batch);
    m_commitSeconds.observe(double(took.nsecsElapsed()) / 1e9);
    ++m_transactions;
    if (!stored || stored->size() != posts.size()) {
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
        const MessageStore::Appended &result = stored->at(i);
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
