// The SQLite store: the file, WAL, durability and checkpoints. Ids come from
// rooms.last_id, so they keep increasing even after old messages are deleted.
#include "sqlitemessagestore.h"

#include "serverlogging.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>

namespace Chat {

SqliteMessageStore::SqliteMessageStore(const QString &path, Durability durability)
    : SqlMessageStore(QStringLiteral("chat-store-")), m_path(path), m_durability(durability)
{ }

SqliteMessageStore::~SqliteMessageStore()
{
    stopCheckpointer();
}

QString SqliteMessageStore::defaultPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/chat-server");
    return dir + QStringLiteral("/chat.sqlite");
}

bool SqliteMessageStore::open(QString *error)
{
    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath())) {
        if (error)
            *error = QStringLiteral("cannot create the folder %1").arg(info.absolutePath());
        return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName());
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
    const QStringList pragmas = {
        QStringLiteral("PRAGMA journal_mode=WAL"), QStringLiteral("PRAGMA synchronous=") + sync,
        QStringLiteral("PRAGMA wal_autocheckpoint=0"), // see startCheckpointer()
    };
    for (const QString &sql : pragmas) {
        if (!exec(sql, error))
            return false;
    }
    if (!createSchema({"INTEGER", " WITHOUT ROWID"}, error)
        || !exec(QStringLiteral("PRAGMA user_version=1"), error))
        return false;
    // Once per file: the writer's connection (a sibling) does not say it again.
    if (m_checkpoints)
        qCInfo(lcStore).noquote() << "opened" << m_path
                                  << QString(QStringLiteral("(WAL, synchronous=") + sync
                                             + QLatin1Char(')'));
    if (m_checkpoints)
        startCheckpointer();
    return true;
}

bool SqliteMessageStore::beginWrite()
{
    // Waits for the lock up to the busy timeout (5 s), then fails.
    QSqlQuery q(database());
    return q.exec(QStringLiteral("BEGIN IMMEDIATE"));
}

std::unique_ptr<MessageStore> SqliteMessageStore::sibling() const
{
    auto store = std::make_unique<SqliteMessageStore>(m_path, m_durability);
    store->m_checkpoints = false;
    return store;
}

void SqliteMessageStore::startCheckpointer()
{
    const QString path = m_path;
    const QString name = connectionName() + QStringLiteral("-checkpoint");
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

bool SqliteMessageStore::flush()
{
    return exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
}

} // namespace Chat
