// The queries both stores share (sqlmessagestore.h).
#include "sqlmessagestore.h"

#include "serverlogging.h"
#include "validation.h"

#include <QDateTime>
#include <QMap>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <algorithm>
#include <limits>

namespace Chat {

namespace {
constexpr auto SelectColumns = "SELECT room, id, username, text, ts, client_id FROM messages ";

ChatMessage readMessage(const QSqlQuery &q)
{
    ChatMessage m;
    m.room = q.value(0).toString();
    m.id = q.value(1).toLongLong();
    m.username = q.value(2).toString();
    m.text = q.value(3).toString();
    m.timestampMs = q.value(4).toLongLong();
    m.clientId = q.value(5).toString();
    return m;
}
} // namespace

SqlMessageStore::SqlMessageStore(const QString &connectionPrefix)
    : m_connectionName(connectionPrefix + QUuid::createUuid().toString(QUuid::WithoutBraces))
{ }

SqlMessageStore::~SqlMessageStore()
{
    forgetStatements();
    if (QSqlDatabase::contains(m_connectionName)) {
        {
            QSqlDatabase db = database();
            if (db.isOpen())
                db.close();
        }
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

bool SqlMessageStore::beginWrite()
{
    return database().transaction();
}

QSqlDatabase SqlMessageStore::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

bool SqlMessageStore::createSchema(const Dialect &d, QString *error)
{
    const QString integer = QLatin1String(d.integer);
    const QString suffix = QLatin1String(d.tableSuffix);
    const QStringList statements = {
        QStringLiteral("CREATE TABLE IF NOT EXISTS rooms ("
                       " name TEXT PRIMARY KEY,"
                       " last_id %1 NOT NULL DEFAULT 0)%2")
            .arg(integer, suffix),
        QStringLiteral("CREATE TABLE IF NOT EXISTS messages ("
                       " room TEXT NOT NULL,"
                       " id %1 NOT NULL,"
                       " username TEXT NOT NULL,"
                       " user_key TEXT NOT NULL,"
                       " text TEXT NOT NULL,"
                       " ts %1 NOT NULL,"
                       " client_id TEXT,"
                       " PRIMARY KEY (room, id))%2")
            .arg(integer, suffix),
        QStringLiteral("CREATE UNIQUE INDEX IF NOT EXISTS messages_by_client"
                       " ON messages (user_key, client_id) WHERE client_id IS NOT NULL"),
        // Socket.IO connection state recovery (MessageStore::Recovery).
        QStringLiteral("CREATE TABLE IF NOT EXISTS socketio_recovery ("
                       " pid TEXT PRIMARY KEY,"
                       " sid TEXT NOT NULL,"
                       " username TEXT NOT NULL,"
                       " resume_token TEXT NOT NULL,"
                       " guest INTEGER NOT NULL,"
                       " expires %1 NOT NULL)%2")
            .arg(integer, suffix),
        QStringLiteral("CREATE INDEX IF NOT EXISTS socketio_recovery_by_expiry"
                       " ON socketio_recovery (expires)"),
        // Accounts (--auth accounts; AccountStore). Names are keyed case-folded.
        QStringLiteral("CREATE TABLE IF NOT EXISTS accounts ("
                       " name_key TEXT PRIMARY KEY,"
                       " name TEXT NOT NULL,"
                       " password_hash TEXT NOT NULL,"
                       " role TEXT NOT NULL,"
                       " disabled INTEGER NOT NULL DEFAULT 0,"
                       " created %1 NOT NULL)%2")
            .arg(integer, suffix),
        // Sign-in tokens, by the SHA-256 of the token: the token itself is never stored.
        QStringLiteral("CREATE TABLE IF NOT EXISTS account_tokens ("
                       " token_hash TEXT PRIMARY KEY,"
                       " device_id TEXT NOT NULL,"
                       " name_key TEXT NOT NULL,"
                       " device TEXT NOT NULL,"
                       " created %1 NOT NULL,"
                       " last_used %1 NOT NULL,"
                       " expires %1 NOT NULL)%2")
            .arg(integer, suffix),
        QStringLiteral("CREATE INDEX IF NOT EXISTS account_tokens_by_user"
                       " ON account_tokens (name_key)"),
        // Rooms with settings (an owner, a topic, private, a direct message), the
        // members of private ones, bans, mutes and the moderation log.
        QStringLiteral("CREATE TABLE IF NOT EXISTS room_settings ("
                       " name TEXT PRIMARY KEY,"
                       " owner TEXT NOT NULL,"
                       " topic TEXT NOT NULL,"
                       " private INTEGER NOT NULL,"
                       " dm INTEGER NOT NULL,"
                       " created %1 NOT NULL)%2")
            .arg(integer, suffix),
        QStringLiteral("CREATE TABLE IF NOT EXISTS room_members ("
                       " room TEXT NOT NULL,"
                       " name_key TEXT NOT NULL,"
                       " name TEXT NOT NULL,"
                       " PRIMARY KEY (room, name_key))%1")
            .arg(suffix),
        QStringLiteral("CREATE TABLE IF NOT EXISTS account_bans ("
                       " name_key TEXT PRIMARY KEY,"
                       " until %1 NOT NULL)%2")
            .arg(integer, suffix),
        QStringLiteral("CREATE TABLE IF NOT EXISTS room_mutes ("
                       " room TEXT NOT NULL,"
                       " name_key TEXT NOT NULL,"
                       " until %1 NOT NULL,"
                       " PRIMARY KEY (room, name_key))%2")
            .arg(integer, suffix),
        QStringLiteral("CREATE TABLE IF NOT EXISTS moderation_log ("
                       " id TEXT PRIMARY KEY,"
                       " at %1 NOT NULL,"
                       " actor TEXT NOT NULL,"
                       " action TEXT NOT NULL,"
                       " target TEXT NOT NULL,"
                       " room TEXT NOT NULL,"
                       " detail TEXT NOT NULL)%2")
            .arg(integer, suffix),
        QStringLiteral("CREATE INDEX IF NOT EXISTS moderation_log_by_time ON moderation_log (at)"),
        // What changed an account's sign-ins or role, for the servers that hold
        // its connections (AccountStore::noteChange): one row per account, the
        // last change's number from the counter below.
        QStringLiteral("CREATE TABLE IF NOT EXISTS account_changes ("
                       " name_key TEXT PRIMARY KEY,"
                       " seq %1 NOT NULL)%2")
            .arg(integer, suffix),
        QStringLiteral("CREATE INDEX IF NOT EXISTS account_changes_by_seq"
                       " ON account_changes (seq)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS counters ("
                       " name TEXT PRIMARY KEY,"
                       " value %1 NOT NULL)%2")
            .arg(integer, suffix),
        QStringLiteral("CREATE TABLE IF NOT EXISTS account_invites ("
                       " code_hash TEXT PRIMARY KEY,"
                       " created_by TEXT NOT NULL,"
                       " created %1 NOT NULL,"
                       " expires %1 NOT NULL,"
                       " uses_left %1 NOT NULL)%2")
            .arg(integer, suffix),
    };
    for (const QString &sql : statements) {
        if (!exec(sql, error))
            return false;
    }
    return true;
}

MessageStore::Deleted SqlMessageStore::deleteMessage(const QString &room, qint64 id,
                                                     const QString &onlyUserKey)
{
    Deleted out;
    if (!ensureConnected()) {
        out.failed = true;
        return out;
    }
    QSqlQuery q(database());
    q.prepare(
        onlyUserKey.isEmpty()
            ? QStringLiteral("DELETE FROM messages WHERE room = ? AND id = ? RETURNING username")
            : QStringLiteral("DELETE FROM messages WHERE room = ? AND id = ? AND user_key = ?"
                             " RETURNING username"));
    q.addBindValue(room);
    q.addBindValue(id);
    if (!onlyUserKey.isEmpty())
        q.addBindValue(onlyUserKey);
    if (!q.exec()) {
        qCWarning(lcStore) << "cannot delete a message:" << q.lastError().text();
        markSuspect();
        out.failed = true;
        return out;
    }
    if (q.next()) {
        out.deleted = true;
        out.author = q.value(0).toString();
    }
    return out;
}

void SqlMessageStore::forgetStatements()
{
    for (std::unique_ptr<QSqlQuery> &statement : m_statements)
        statement.reset();
}

QSqlQuery *SqlMessageStore::prepared(Statement which)
{
    std::unique_ptr<QSqlQuery> &statement = m_statements[size_t(which)];
    if (statement)
        return statement.get();
    QString sql;
    switch (which) {
    case Statement::TakeIds:
        sql = QStringLiteral("INSERT INTO rooms (name, last_id) VALUES (?, ?)"
                             " ON CONFLICT (name) DO UPDATE SET last_id = rooms.last_id + ?"
                             " RETURNING last_id");
        break;
    case Statement::Insert:
        sql = QStringLiteral("INSERT INTO messages (room, id, username, user_key, text, ts,"
                             " client_id) VALUES (?, ?, ?, ?, ?, ?, ?)");
        break;
    case Statement::FindByClientId:
        sql = QLatin1String(SelectColumns) + QLatin1String("WHERE user_key = ? AND client_id = ?");
        break;
    case Statement::Count:
        return nullptr;
    }
    auto q = std::make_unique<QSqlQuery>(database());
    q->setForwardOnly(true);
    if (!q->prepare(sql)) {
        qCWarning(lcStore) << "cannot prepare:" << q->lastError().text();
        return nullptr;
    }
    statement = std::move(q);
    return statement.get();
}

qint64 SqlMessageStore::takeIds(const QString &room, int count)
{
    QSqlQuery *q = prepared(Statement::TakeIds);
    if (!q)
        return 0;
    q->bindValue(0, room);
    q->bindValue(1, count);
    q->bindValue(2, count);
    if (!q->exec() || !q->next()) {
        qCWarning(lcStore) << "cannot take ids:" << q->lastError().text();
        return 0;
    }
    const qint64 last = q->value(0).toLongLong();
    q->finish(); // the statement is done: it holds nothing until the next commit
    return last - count + 1;
}

std::optional<QList<MessageStore::Appended>> SqlMessageStore::append(const QList<NewMessage> &batch)
{
    if (!ensureConnected())
        return std::nullopt;
    QSqlDatabase db = database();
    if (!beginWrite()) {
        qCWarning(lcStore) << "cannot begin:" << db.lastError().text();
        markSuspect();
        return std::nullopt;
    }
    auto fail = [&](const QString &why) -> std::optional<QList<Appended>> {
        qCWarning(lcStore).noquote() << "commit failed, rolling back:" << why;
        db.rollback();
        markSuspect();
        return std::nullopt;
    };
    // Retries first: a (user, clientId) stored before, or earlier in this batch,
    // gets the original and no id.
    QList<Appended> results(batch.size());
    QList<bool> isNew(batch.size(), true);
    QStringList userKeys;
    userKeys.reserve(batch.size());
    for (const NewMessage &n : batch)
        userKeys.append(Validation::usernameKey(n.username));
    QHash<QString, qsizetype> firstInBatch; // user key + clientId -> index
    QMap<QString, int> perRoom; // name order: see the header
    for (qsizetype i = 0; i < batch.size(); ++i) {
        const NewMessage &n = batch.at(i);
        if (!n.clientId.isEmpty()) {
            const QString &userKey = userKeys.at(i);
            const QString key = userKey + QChar(0) + n.clientId;
            if (const auto it = firstInBatch.constFind(key); it != firstInBatch.constEnd()) {
                isNew[i] = false;
                results[i].duplicate = true;
                results[i].message.id = -1 - *it; // filled in below, once that one has its id
                continue;
            }
            if (auto original = findByClientId(userKey, n.clientId)) {
                isNew[i] = false;
                results[i] = {*original, true};
                continue;
            }
            firstInBatch.insert(key, i);
        }
        ++perRoom[n.room];
    }
    QHash<QString, qint64> nextId;
    for (auto it = perRoom.cbegin(); it != perRoom.cend(); ++it) {
        const qint64 first = takeIds(it.key(), it.value());
        if (first <= 0)
            return fail(QStringLiteral("no ids for room ") + it.key());
        nextId.insert(it.key(), first);
    }
    QSqlQuery *insert = prepared(Statement::Insert);
    if (!insert)
        return fail(QStringLiteral("insert: cannot prepare"));
    for (qsizetype i = 0; i < batch.size(); ++i) {
        if (!isNew.at(i))
            continue;
        const NewMessage &n = batch.at(i);
        const qint64 id = nextId[n.room]++;
        insert->bindValue(0, n.room);
        insert->bindValue(1, id);
        insert->bindValue(2, n.username);
        insert->bindValue(3, userKeys.at(i));
        insert->bindValue(4, n.text);
        insert->bindValue(5, n.timestampMs);
        insert->bindValue(6, n.clientId.isEmpty() ? QVariant() : QVariant(n.clientId));
        if (!insert->exec())
            return fail(QStringLiteral("insert: ") + insert->lastError().text());
        results[i]
            = {ChatMessage {n.room, id, n.username, n.text, n.timestampMs, n.clientId}, false};
    }
    for (qsizetype i = 0; i < batch.size(); ++i) {
        if (results.at(i).duplicate && results.at(i).message.id < 0)
            results[i] = {results.at(-1 - results.at(i).message.id).message, true};
    }
    if (!db.commit())
        return fail(db.lastError().text());
    return results;
}

MessageStore::Page SqlMessageStore::before(const QString &room, qint64 before, int limit)
{
    return pageOf(room, "id < ?", before > 0 ? before : std::numeric_limits<qint64>::max(), limit);
}

MessageStore::Page SqlMessageStore::after(const QString &room, qint64 after, int limit)
{
    return pageOf(room, "id > ?", after, limit);
}

MessageStore::Page SqlMessageStore::following(const QString &room, qint64 after, int limit)
{
    return pageOf(room, "id > ?", after, limit, true);
}

MessageStore::Page SqlMessageStore::pageOf(const QString &room, const char *idCondition,
                                           qint64 bound, int limit, bool oldestFirst)
{
    Page page;
    if (!ensureConnected())
        return page;
    QSqlQuery q(database());
    q.setForwardOnly(true);
    q.prepare(QLatin1String(SelectColumns) + QLatin1String("WHERE room = ? AND ")
              + QLatin1String(idCondition)
              + QLatin1String(oldestFirst ? " ORDER BY id LIMIT ?" : " ORDER BY id DESC LIMIT ?"));
    q.addBindValue(room);
    q.addBindValue(bound);
    q.addBindValue(limit + 1); // one more: whether there are more
    if (!q.exec()) {
        qCWarning(lcStore) << "history query failed:" << q.lastError().text();
        markSuspect();
        return page;
    }
    while (q.next())
        page.messages.append(readMessage(q));
    if (page.messages.size() > limit) {
        page.more = true;
        page.messages.removeLast();
    }
    if (!oldestFirst)
        std::reverse(page.messages.begin(), page.messages.end());
    return page;
}

qint64 SqlMessageStore::firstId(const QString &room)
{
    if (!ensureConnected())
        return 0;
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT MIN(id) FROM messages WHERE room = ?"));
    q.addBindValue(room);
    if (q.exec() && q.next())
        return q.value(0).toLongLong();
    return 0;
}

qint64 SqlMessageStore::lastId(const QString &room)
{
    if (!ensureConnected())
        return 0;
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT last_id FROM rooms WHERE name = ?"));
    q.addBindValue(room);
    if (q.exec() && q.next())
        return q.value(0).toLongLong();
    return 0;
}

QStringList SqlMessageStore::rooms()
{
    QStringList names;
    if (!ensureConnected())
        return names;
    QSqlQuery q(database());
    q.setForwardOnly(true);
    if (q.exec(QStringLiteral("SELECT name FROM rooms ORDER BY name"))) {
        while (q.next())
            names.append(q.value(0).toString());
    }
    return names;
}

QHash<QString, qint64> SqlMessageStore::lastIds()
{
    QHash<QString, qint64> ids;
    if (!ensureConnected())
        return ids;
    QSqlQuery q(database());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT name, last_id FROM rooms"))) {
        markSuspect();
        return ids;
    }
    while (q.next())
        ids.insert(q.value(0).toString(), q.value(1).toLongLong());
    return ids;
}

int SqlMessageStore::prune(const QString &room, int keepCount, qint64 olderThanMs, int maxRows)
{
    if (!ensureConnected())
        return -1;
    const qint64 countLimit = keepCount > 0 ? lastId(room) - keepCount : 0; // ids <= this go
    if (countLimit <= 0 && olderThanMs <= 0)
        return 0;
    QSqlQuery q(database());
    q.prepare(QStringLiteral("DELETE FROM messages WHERE room = ? AND id IN ("
                             " SELECT id FROM messages WHERE room = ? AND (id <= ? OR ts < ?)"
                             " ORDER BY id LIMIT ?)"));
    q.addBindValue(room);
    q.addBindValue(room);
    q.addBindValue(countLimit);
    q.addBindValue(olderThanMs);
    q.addBindValue(maxRows);
    if (!q.exec()) {
        qCWarning(lcStore) << "prune failed:" << q.lastError().text();
        markSuspect();
        return -1;
    }
    return q.numRowsAffected();
}

std::optional<MessageStore::Recovery> SqlMessageStore::takeRecovery(const QString &pid,
                                                                    qint64 nowMs)
{
    if (!ensureConnected())
        return std::nullopt;
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT sid, username, resume_token, guest, expires"
                             " FROM socketio_recovery WHERE pid = ?"));
    q.addBindValue(pid);
    if (!q.exec() || !q.next())
        return std::nullopt;
    Recovery r;
    r.pid = pid;
    r.sid = q.value(0).toString();
    r.username = q.value(1).toString();
    r.resumeToken = q.value(2).toString();
    r.guest = q.value(3).toInt() != 0;
    r.expiresMs = q.value(4).toLongLong();
    q.finish();
    QSqlQuery remove(database());
    remove.prepare(QStringLiteral("DELETE FROM socketio_recovery WHERE pid = ?"));
    remove.addBindValue(pid);
    remove.exec();
    if (r.expiresMs < nowMs)
        return std::nullopt;
    return r;
}

std::optional<ChatMessage> SqlMessageStore::findByClientId(const QString &userKey,
                                                           const QString &clientId)
{
    QSqlQuery *q = prepared(Statement::FindByClientId);
    if (!q)
        return std::nullopt;
    q->bindValue(0, userKey);
    q->bindValue(1, clientId);
    std::optional<ChatMessage> found;
    if (q->exec() && q->next())
        found = readMessage(*q);
    q->finish();
    return found;
}

bool SqlMessageStore::exec(const QString &sql, QString *error)
{
    QSqlQuery q(database());
    if (q.exec(sql))
        return true;
    const QString why = q.lastError().text();
    qCWarning(lcStore) << "SQL failed:" << sql << why;
    if (error)
        *error = why;
    return false;
}

bool SqlMessageStore::ping()
{
    if (!ensureConnected())
        return false;
    QSqlQuery q(database());
    if (q.exec(QStringLiteral("SELECT 1")))
        return true;
    markSuspect();
    return false;
}

bool SqlMessageStore::saveRecovery(const Recovery &r)
{
    if (!ensureConnected())
        return false;
    QSqlQuery prune(database());
    prune.prepare(QStringLiteral("DELETE FROM socketio_recovery WHERE expires < ?"));
    prune.addBindValue(QDateTime::currentMSecsSinceEpoch());
    QSqlQuery q(database());
    q.prepare(QStringLiteral("INSERT INTO socketio_recovery"
                             " (pid, sid, username, resume_token, guest, expires)"
                             " VALUES (?, ?, ?, ?, ?, ?)"
                             " ON CONFLICT (pid) DO UPDATE SET sid = excluded.sid,"
                             " username = excluded.username, resume_token = excluded.resume_token,"
                             " guest = excluded.guest, expires = excluded.expires"));
    q.addBindValue(r.pid);
    q.addBindValue(r.sid);
    q.addBindValue(r.username);
    q.addBindValue(r.resumeToken);
    q.addBindValue(r.guest ? 1 : 0);
    q.addBindValue(r.expiresMs);
    if (!prune.exec() || !q.exec()) {
        qCWarning(lcStore) << "could not keep a recovery record:" << q.lastError().text();
        markSuspect();
        return false;
    }
    return true;
}

} // namespace Chat
