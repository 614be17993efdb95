// What the SQLite and PostgreSQL stores share: the schema's shape and every
// query, written in the SQL both engines speak (upserts with RETURNING, partial
// unique indexes, LIMIT with bound values). A store adds how it connects and
// its engine's column types.
//
// Per-room ids come from the room's row in `rooms`: a transaction takes its ids
// with one upsert per room (`last_id = last_id + n RETURNING last_id`), which
// on PostgreSQL locks that row until the commit. So ids are strictly increasing
// across every server sharing the database, and a room's transactions commit
// in id order. Rooms are taken in name order, so two transactions never wait
// for each other in a cycle.
#pragma once

#include "messagestore.h"

#include <QSqlDatabase>
#include <QSqlQuery>

#include <array>
#include <memory>

namespace Chat {

class SqlMessageStore : public MessageStore
{
public:
    ~SqlMessageStore() override;
    Q_DISABLE_COPY_MOVE(SqlMessageStore)

    std::optional<QList<Appended>> append(const QList<NewMessage> &batch) override;
    Page before(const QString &room, qint64 before, int limit) override;
    Page after(const QString &room, qint64 after, int limit) override;
    Page following(const QString &room, qint64 after, int limit) override;
    qint64 firstId(const QString &room) override;
    qint64 lastId(const QString &room) override;
    QStringList rooms() override;
    QHash<QString, qint64> lastIds() override;
    int prune(const QString &room, int keepCount, qint64 olderThanMs, int maxRows) override;
    Deleted deleteMessage(const QString &room, qint64 id, const QString &onlyUserKey) override;
    bool saveRecovery(const Recovery &recovery) override;
    std::optional<Recovery> takeRecovery(const QString &pid, qint64 nowMs) override;
    bool ping() override;

    // For the queries of AccountStore, on this connection and its thread.
    QSqlDatabase database() const;
    // False if the connection is broken and cannot be opened again now.
    bool connected() { return ensureConnected(); }
    void noteFailure() { markSuspect(); }
    // Begins a transaction that writes. SQLite takes the write lock at once
    // (BEGIN IMMEDIATE): a deferred transaction that reads first and then
    // writes fails at once (SQLITE_BUSY_SNAPSHOT, no busy wait) when another
    // connection to the file (the accounts worker's) committed in between.
    virtual bool beginWrite();

protected:
    struct Dialect
    {
        const char *integer; // a 64-bit integer column
        const char *tableSuffix; // after a table's definition
    };
    explicit SqlMessageStore(const QString &connectionPrefix);

    QString connectionName() const { return m_connectionName; }
    bool exec(const QString &sql, QString *error = nullptr);
    // Creates the tables and indexes that do not exist yet.
    bool createSchema(const Dialect &dialect, QString *error);
    // Called before each operation: a store whose connection broke (a database
    // server restarted) opens it again here. True if it is usable.
    virtual bool ensureConnected() { return true; }
    // An operation failed: the next one checks the connection first (and
    // prepares its statements anew).
    void markSuspect()
    {
        m_suspect = true;
        forgetStatements();
    }
    // Drops the prepared statements; before the connection is closed.
    void forgetStatements();
    bool isSuspect() const { return m_suspect; }
    void clearSuspect() { m_suspect = false; }

private:
    // The newest (or with `oldestFirst` the oldest) `limit` messages of the room
    // whose id meets `idCondition` ("id < ?", "id > ?") for `bound`, oldest first.
    Page pageOf(const QString &room, const char *idCondition, qint64 bound, int limit,
                bool oldestFirst = false);
    std::optional<ChatMessage> findByClientId(const QString &userKey, const QString &clientId);
    // Takes `count` ids in `room`; returns the first, or 0 on failure.
    qint64 takeIds(const QString &room, int count);

    // The statements of every commit, prepared once per connection: SQLite
    // parsed them on every commit, a third of the commit's time when a pass
    // carries one message (many small rooms).
    enum class Statement { TakeIds, Insert, FindByClientId, Count };
    // The statement, prepared; null if it cannot be (the connection is broken).
    QSqlQuery *prepared(Statement which);

    QString m_connectionName;
    std::array<std::unique_ptr<QSqlQuery>, size_t(Statement::Count)> m_statements;
    bool m_suspect = false;
};

} // namespace Chat
