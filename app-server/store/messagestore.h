// Where chat messages are kept. SQLite is the embedded default; the interface
// keeps the server independent of it.
#pragma once

#include "protocol.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace Chat {

class MessageStore
{
public:
    struct NewMessage
    {
        QString room;
        QString username;
        QString text;
        QString clientId; // empty: not deduplicated
        qint64 timestampMs = 0;
    };
    struct Appended
    {
        ChatMessage message;
        bool duplicate = false; // the (user, clientId) was stored before; message is the original
    };
    struct Page
    {
        QList<ChatMessage> messages; // oldest first
        bool more = false; // older messages exist before this page
    };

    // What a Socket.IO client needs to get its connection back (connection state
    // recovery): kept in the store, so that it outlives the server process.
    struct Recovery
    {
        QString pid; // the private id the client was given (random, 128 bits)
        QString sid; // its socket.id
        QString username;
        QString resumeToken; // the identity's resume token, to reattach it while parked
        bool guest = false;
        qint64 expiresMs = 0;
    };

    virtual ~MessageStore() = default;

    // Opens (creating if needed) the store; on failure says why in `error`.
    virtual bool open(QString *error = nullptr) = 0;
    // A second connection to the same store, not yet open, for another thread
    // (StoreWorker: the writer's own connection).
    virtual std::unique_ptr<MessageStore> sibling() const = 0;

    // Stores the batch in one transaction; returns nothing if it could not commit.
    virtual std::optional<QList<Appended>> append(const QList<NewMessage> &batch) = 0;
    // The newest `limit` messages with id < before (before <= 0: no bound).
    virtual Page before(const QString &room, qint64 before, int limit) = 0;
    // The newest `limit` messages with id > after; `more` if some after it were left out.
    virtual Page after(const QString &room, qint64 after, int limit) = 0;
    // The oldest `limit` messages with id > after, oldest first; `more` if there
    // are others after them (catching up with what other servers stored).
    virtual Page following(const QString &room, qint64 after, int limit) = 0;
    // Lowest id still stored in the room (0 if none), highest id ever given (0 if none).
    virtual qint64 firstId(const QString &room) = 0;
    virtual qint64 lastId(const QString &room) = 0;
    virtual QStringList rooms() = 0;
    // Every room's highest id ever given, in one read.
    virtual QHash<QString, qint64> lastIds() = 0;
    // Deletes up to maxRows of the room's oldest messages that are beyond the newest
    // keepCount (0: no count limit) or older than olderThanMs (0: no age limit);
    // returns how many it deleted, or -1 on failure. Ids are never reused.
    virtual int prune(const QString &room, int keepCount, qint64 olderThanMs, int maxRows) = 0;
    // Deletes one message (a moderator's or its author's act). With `onlyUserKey`
    // set, only if that user wrote it. The id is never given again.
    struct Deleted
    {
        bool failed = false;
        bool deleted = false;
        QString author; // who wrote it, if it was deleted
    };
    virtual Deleted deleteMessage(const QString &room, qint64 id, const QString &onlyUserKey) = 0;
    // Makes everything written durable and checkpoints; called on shutdown.
    virtual bool flush() = 0;
    // Whether the store answers now (a database server may be down); a broken
    // connection is opened again here.
    virtual bool ping() = 0;
    // Whether a commit waits for I/O (an fsync, a round trip): then the server
    // commits on a thread of its own (StoreWorker).
    virtual bool commitWaits() const = 0;
    // Whether other servers may write to it (then this one follows what they
    // commit: StoreFollower).
    virtual bool isShared() const = 0;
    // "sqlite", "postgresql": for /healthz and /metrics.
    virtual const char *engine() const = 0;

    // Keeps (or replaces) a recovery record; drops the expired ones.
    virtual bool saveRecovery(const Recovery &recovery) = 0;
    // The record of `pid` if it has not expired at nowMs, removed from the store.
    virtual std::optional<Recovery> takeRecovery(const QString &pid, qint64 nowMs) = 0;
};

} // namespace Chat
