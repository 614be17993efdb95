// SQLite message store. Ids come from rooms.last_id, so they keep increasing even
// after old messages are deleted; (user_key, client_id) is unique for dedup.
#include "sqlitemessagestore.h"

#include "serverlogging.h"
#include "validation.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>
#include <QUuid>

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

SqliteMessageStore::SqliteMessageStore(const QString &path, Durability durability)
    : m_path(path)
    , m_connectionName(QStringLiteral("chat-store-")
                       + QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_durability(durability)
{ }

SqliteMessageStore::~SqliteMessageStore()
{
    stopCheckpointer();
    if (QSqlDatabase::contains(m_connectionName)) {
        {
            QSqlDatabase db = database();
            if (db.isOpen())
                db.close();
        }
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

QString SqliteMessageStore::defaultPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/chat-server");
    return dir + QStringLiteral("/chat.sqlite");
}

QSqlDatabase SqliteMessageStore::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

bool SqliteMessageStore::exec(const QString &sql, QString *error)
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

bool SqliteMessageStore::open(QString *error)
{
    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath())) {
        if (error)
            *error = QStringLiteral("cannot create the folder %1").arg(info.absolutePath());
        return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        if (error)
            *error = db.lastError().text();
        return false;
    }
    // WAL: readers never block the writer, and a commit is one sequential append.
    // synchronous=NORMAL: a committed transaction survives the process being killed
    // (the WAL is in the OS page cache); FULL also survives power loss, at an fsync
    // per commit. See docs/protocol.md, "Durability".
    const QString sync
        = m_durability == Durability::Full ? QStringLiteral("FULL") : QStringLiteral("NORMAL");
    const QStringList setup = {
        QStringLiteral("PRAGMA journal_mode=WAL"), QStringLiteral("PRAGMA synchronous=") + sync,
        QStringLiteral("CREATE TABLE IF NOT EXISTS rooms ("
                       " name TEXT PRIMARY KEY,"
                       " last_id INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS messages ("
                       " room TEXT NOT NULL,"
                       " id INTEGER NOT NULL,"
                       " username TEXT NOT NULL,"
                       " user_key TEXT NOT NULL,"
                       " text TEXT NOT NULL,"
                       " ts INTEGER NOT NULL,"
                       " client_id TEXT,"
                       " PRIMARY KEY (room, id)) WITHOUT ROWID"),
        QStringLiteral("CREATE UNIQUE INDEX IF NOT EXISTS messages_by_client"
                       " ON messages (user_key, client_id) WHERE client_id IS NOT NULL"),
        // Socket.IO connection state recovery (MessageStore::Recovery).
        QStringLiteral("CREATE TABLE IF NOT EXISTS socketio_recovery ("
                       " pid TEXT PRIMARY KEY,"
                       " sid TEXT NOT NULL,"
                       " username TEXT NOT NULL,"
                       " resume_token TEXT NOT NULL,"
                       " guest INTEGER NOT NULL,"
                       " expires INTEGER NOT NULL) WITHOUT ROWID"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS socketio_recovery_by_expiry"
                       " ON socketio_recovery (expires)"),
        QStringLiteral("PRAGMA user_version=1"),
        QStringLiteral("PRAGMA wal_autocheckpoint=0"), // see startCheckpointer()
    };
    for (const QString &sql : setup) {
        if (!exec(sql, error))
            return false;
    }
    qCInfo(lcStore).noquote() << "opened" << m_path
                              << QString(QStringLiteral("(WAL, synchronous=") + sync
                                         + QLatin1Char(')'));
    startCheckpointer();
    return true;
}

void SqliteMessageStore::startCheckpointer()
{
    const QString path = m_path;
    const QString name = m_connectionName + QStringLiteral("-checkpoint");
    m_checkpointer.reset(QThread::create([this, path, name] {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path);
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=1000"));
            if (db.open()) {
                QSqlQuery q(db);
                while (!m_stopCheckpointer) {
                    for (int i = 0; i < 20 && !m_stopCheckpointer; ++i)
                        QThread::msleep(100);
                    // PASSIVE: copies what it can without blocking the writer.
                    q.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
                }
                db.close();
            }
        }
        QSqlDatabase::removeDatabase(name);
    }));
    m_checkpointer->start();
}

void SqliteMessageStore::stopCheckpointer()
{
    if (!m_checkpointer)
        return;
    m_stopCheckpointer = true;
    m_checkpointer->wait();
    m_checkpointer.reset();
}

std::optional<ChatMessage> SqliteMessageStore::findByClientId(const QString &userKey,
                                                              const QString &clientId)
{
    QSqlQuery q(database());
    q.prepare(QLatin1String(SelectColumns) + QLatin1String("WHERE user_key = ? AND client_id = ?"));
    q.addBindValue(userKey);
    q.addBindValue(clientId);
    if (q.exec() && q.next())
        return readMessage(q);
    return std::nullopt;
}

std::optional<QList<MessageStore::Appended>>
SqliteMessageStore::append(const QList<NewMessage> &batch)
{
    QSqlDatabase db = database();
    if (!db.transaction()) {
        qCWarning(lcStore) << "cannot begin:" << db.lastError().text();
        return std::nullopt;
    }
    QList<Appended> results;
    results.reserve(batch.size());
    QHash<QString, qint64> touched;
    bool ok = true;
    QSqlQuery insert(db);
    insert.prepare(
        QStringLiteral("INSERT INTO messages (room, id, username, user_key, text, ts, client_id)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)"));
    for (const NewMessage &n : batch) {
        const QString userKey = Validation::usernameKey(n.username);
        if (!n.clientId.isEmpty()) {
            if (auto original = findByClientId(userKey, n.clientId)) {
                results.append({*original, true});
                continue;
            }
        }
        const qint64 id = (touched.contains(n.room) ? touched.value(n.room) : lastId(n.room)) + 1;
        insert.addBindValue(n.room);
        insert.addBindValue(id);
        insert.addBindValue(n.username);
        insert.addBindValue(userKey);
        insert.addBindValue(n.text);
        insert.addBindValue(n.timestampMs);
        insert.addBindValue(n.clientId.isEmpty() ? QVariant() : QVariant(n.clientId));
        if (!insert.exec()) {
            qCWarning(lcStore) << "insert failed:" << insert.lastError().text();
            ok = false;
            break;
        }
        touched.insert(n.room, id);
        results.append(
            {ChatMessage {n.room, id, n.username, n.text, n.timestampMs, n.clientId}, false});
    }
    if (ok && !touched.isEmpty()) {
        QSqlQuery upsert(db);
        upsert.prepare(
            QStringLiteral("INSERT INTO rooms (name, last_id) VALUES (?, ?)"
                           " ON CONFLICT(name) DO UPDATE SET last_id = excluded.last_id"));
        for (auto it = touched.cbegin(); ok && it != touched.cend(); ++it) {
            upsert.addBindValue(it.key());
            upsert.addBindValue(it.value());
            ok = upsert.exec();
        }
    }
    if (!ok || !db.commit()) {
        qCWarning(lcStore) << "commit failed, rolling back:" << db.lastError().text();
        db.rollback();
        for (auto it = touched.cbegin(); it != touched.cend(); ++it)
            m_lastIds.remove(it.key());
        return std::nullopt;
    }
    for (auto it = touched.cbegin(); it != touched.cend(); ++it)
        m_lastIds.insert(it.key(), it.value());
    return results;
}

MessageStore::Page SqliteMessageStore::before(const QString &room, qint64 before, int limit)
{
    Page page;
    QSqlQuery q(database());
    q.setForwardOnly(true);
    q.prepare(QLatin1String(SelectColumns)
              + QLatin1String("WHERE room = ? AND id < ? ORDER BY id DESC LIMIT ?"));
    q.addBindValue(room);
    q.addBindValue(before > 0 ? before : std::numeric_limits<qint64>::max());
    q.addBindValue(limit + 1);
    if (!q.exec()) {
        qCWarning(lcStore) << "history query failed:" << q.lastError().text();
        return page;
    }
    while (q.next())
        page.messages.append(readMessage(q));
    if (page.messages.size() > limit) {
        page.more = true;
        page.messages.removeLast();
    }
    std::reverse(page.messages.begin(), page.messages.end());
    return page;
}

MessageStore::Page SqliteMessageStore::after(const QString &room, qint64 after, int limit)
{
    Page page;
    QSqlQuery q(database());
    q.setForwardOnly(true);
    q.prepare(QLatin1String(SelectColumns)
              + QLatin1String("WHERE room = ? AND id > ? ORDER BY id DESC LIMIT ?"));
    q.addBindValue(room);
    q.addBindValue(after);
    q.addBindValue(limit + 1);
    if (!q.exec()) {
        qCWarning(lcStore) << "recovery query failed:" << q.lastError().text();
        return page;
    }
    while (q.next())
        page.messages.append(readMessage(q));
    if (page.messages.size() > limit) {
        page.more = true;
        page.messages.removeLast();
    }
    std::reverse(page.messages.begin(), page.messages.end());
    return page;
}

qint64 SqliteMessageStore::firstId(const QString &room)
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT MIN(id) FROM messages WHERE room = ?"));
    q.addBindValue(room);
    if (q.exec() && q.next())
        return q.value(0).toLongLong();
    return 0;
}

qint64 SqliteMessageStore::lastId(const QString &room)
{
    if (const auto it = m_lastIds.constFind(room); it != m_lastIds.constEnd())
        return *it;
    qint64 id = 0;
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT last_id FROM rooms WHERE name = ?"));
    q.addBindValue(room);
    if (q.exec() && q.next())
        id = q.value(0).toLongLong();
    m_lastIds.insert(room, id);
    return id;
}

QStringList SqliteMessageStore::rooms()
{
    QStringList names;
    QSqlQuery q(database());
    q.setForwardOnly(true);
    if (q.exec(QStringLiteral("SELECT name FROM rooms ORDER BY name"))) {
        while (q.next())
            names.append(q.value(0).toString());
    }
    return names;
}

int SqliteMessageStore::prune(const QString &room, int keepCount, qint64 olderThanMs, int maxRows)
{
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
        return -1;
    }
    return q.numRowsAffected();
}

bool SqliteMessageStore::flush()
{
    return exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
}

bool SqliteMessageStore::saveRecovery(const Recovery &r)
{
    QSqlQuery prune(database());
    prune.prepare(QStringLiteral("DELETE FROM socketio_recovery WHERE expires < ?"));
    prune.addBindValue(QDateTime::currentMSecsSinceEpoch());
    QSqlQuery q(database());
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO socketio_recovery"
                             " (pid, sid, username, resume_token, guest, expires)"
                             " VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(r.pid);
    q.addBindValue(r.sid);
    q.addBindValue(r.username);
    q.addBindValue(r.resumeToken);
    q.addBindValue(r.guest ? 1 : 0);
    q.addBindValue(r.expiresMs);
    if (!prune.exec() || !q.exec()) {
        qCWarning(lcStore) << "could not keep a recovery record:" << q.lastError().text();
        return false;
    }
    return true;
}

std::optional<MessageStore::Recovery> SqliteMessageStore::takeRecovery(const QString &pid,
                                                                       qint64 nowMs)
{
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

} // namespace Chat
