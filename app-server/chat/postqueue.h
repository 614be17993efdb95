// Group commit: chat posts that arrive in the same pass of the event loop, or
// while the previous transaction is committing, are stored in one transaction
// on the store's writer thread (storeworker.h), then published on the bus
// (bus.h), from which every server's rooms deliver them. One transaction is in
// flight at a time, so messages are published in commit order. Nothing is
// acknowledged or published before its transaction has committed.
#pragma once

#include "histogram.h"
#include "messagestore.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace Chat {

class Bus;
class OutputFlusher;
class Session;
class StoreWorker;

class PostQueue final : public QObject
{
    Q_OBJECT
public:
    PostQueue(StoreWorker *store, Bus *bus, QObject *parent = nullptr);
    ~PostQueue() override;
    Q_DISABLE_COPY_MOVE(PostQueue)

    void submit(const MessageStore::NewMessage &message, Session *origin);
    // Hands everything queued so far to the store, unless a transaction is in
    // flight (its completion hands on what queued meanwhile). A completed
    // transaction is announced and what that queued for the clients goes to the
    // kernel at once (`flusher`), in the same pass of the event loop.
    void flush();
    // Blocks until everything queued is committed and announced (shutdown).
    void drain();
    void setOutputFlusher(OutputFlusher *flusher) { m_flusher = flusher; }

    qint64 committedCount() const { return m_committed; }
    qint64 transactionCount() const { return m_transactions; }
    qint64 failedTransactionCount() const { return m_failedTransactions; }
    // Seconds each transaction took the store, from begin to commit.
    const Histogram &commitSeconds() const { return m_commitSeconds; }

signals:
    // After each transaction: whether the store took it.
    void storeAnswered(bool committed);

private:
    void commitPending();
    struct Post;
    struct Commit // what a transaction gives back from the writer's thread
    {
        bool ok = false;
        QList<MessageStore::Appended> stored;
        qint64 nanoseconds = 0; // begin to commit
    };
    void committed(const QList<Post> &posts, const Commit &commit);

    struct Post
    {
        MessageStore::NewMessage message;
        QPointer<Session> origin;
    };

    StoreWorker *m_store;
    Bus *m_bus;
    OutputFlusher *m_flusher = nullptr;
    QList<Post> m_pending;
    QTimer m_flushTimer;
    bool m_inFlight = false;
    int m_maxBatch = 256;
    qint64 m_committed = 0;
    qint64 m_transactions = 0;
    qint64 m_failedTransactions = 0;
    Histogram m_commitSeconds {Histogram::latencyBounds()};
};

} // namespace Chat
