// Group commit: chat posts that arrive in the same pass of the event loop are
// stored in one transaction, then published on the bus (bus.h), from which every
// server's rooms deliver them. Nothing is acknowledged or published before its
// transaction has committed.
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

class PostQueue final : public QObject
{
    Q_OBJECT
public:
    PostQueue(MessageStore *store, Bus *bus, QObject *parent = nullptr);
    ~PostQueue() override;
    Q_DISABLE_COPY_MOVE(PostQueue)

    void submit(const MessageStore::NewMessage &message, Session *origin);
    // Commits and announces everything queued so far, then hands what that
    // queued for the clients to the kernel at once (`flusher`), in the same
    // pass of the event loop as the commit rather than the next one.
    void flush();
    void setOutputFlusher(OutputFlusher *flusher) { m_flusher = flusher; }

    qint64 committedCount() const { return m_committed; }
    qint64 transactionCount() const { return m_transactions; }
    qint64 failedTransactionCount() const { return m_failedTransactions; }
    // Seconds each transaction took the store, from begin to commit.
    const Histogram &commitSeconds() const { return m_commitSeconds; }

private:
    void commitPending();

    struct Post
    {
        MessageStore::NewMessage message;
        QPointer<Session> origin;
    };

    MessageStore *m_store;
    Bus *m_bus;
    OutputFlusher *m_flusher = nullptr;
    QList<Post> m_pending;
    QTimer m_flushTimer;
    int m_maxBatch = 256;
    qint64 m_committed = 0;
    qint64 m_transactions = 0;
    qint64 m_failedTransactions = 0;
    Histogram m_commitSeconds {Histogram::latencyBounds()};
};

} // namespace Chat
