// The PostgreSQL store: the connection, and the schema created once by whichever
// server starts first.
#include "postgresmessagestore.h"

#include "serverlogging.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QUrlQuery>

namespace Chat {

namespace {
// libpq connection parameters a URL may set besides host (a socket folder).
const QStringList PassedParameters = {
    QStringLiteral("sslmode"),         QStringLiteral("sslrootcert"),
    QStringLiteral("sslcert"),         QStringLiteral("sslkey"),
    QStringLiteral("connect_timeout"), QStringLiteral("application_name"),
};
// Serialises the schema's creation between servers starting at once.
constexpr qint64 SchemaLockKey = 0x6c616e63686174; // "lanchat"
} // namespace

PostgresMessageStore::PostgresMessageStore(const QUrl &url)
    : SqlMessageStore(QStringLiteral("chat-pg-")), m_url(url)
{ }

PostgresMessageStore::~PostgresMessageStore() = default;

bool PostgresMessageStore::isPostgresUrl(const QString &text)
{
    return text.startsWith(QLatin1String("postgresql://"))
        || text.startsWith(QLatin1String("postgres://"));
}

bool PostgresMessageStore::validateUrl(const QUrl &url, QString *error)
{
    auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (!url.isValid() || !isPostgresUrl(url.toString()))
        return refuse(QStringLiteral("not a postgresql:// URL"));
    if (url.path().size() < 2)
        return refuse(QStringLiteral("the URL names no database (postgresql://HOST/DATABASE)"));
    const QUrlQuery query(url);
    for (const auto &item : query.queryItems()) {
        if (item.first != QLatin1String("host") && !PassedParameters.contains(item.first))
            return refuse(QStringLiteral("unknown parameter %1 in the URL").arg(item.first));
    }
    return true;
}

QString PostgresMessageStore::describe(const QUrl &url)
{
    return url.toString(QUrl::RemovePassword);
}

bool PostgresMessageStore::connect(QString *error)
{
    QSqlDatabase db = database();
    if (!db.isValid()) {
        db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName());
        if (!db.isValid()) {
            if (error)
                *error = QStringLiteral("Qt's PostgreSQL driver (QPSQL) is not installed");
            return false;
        }
        const QUrlQuery query(m_url);
        const QString socketDir = query.queryItemValue(QStringLiteral("host"), QUrl::FullyDecoded);
        db.setHostName(socketDir.isEmpty() ? m_url.host() : socketDir);
        if (m_url.port() > 0)
            db.setPort(m_url.port());
        db.setDatabaseName(m_url.path().mid(1));
        db.setUserName(m_url.userName());
        db.setPassword(m_url.password());
        QStringList options = {QStringLiteral("application_name=chat-server")};
        if (!query.hasQueryItem(QStringLiteral("connect_timeout")))
            options.append(QStringLiteral("connect_timeout=5"));
        for (const QString &name : PassedParameters) {
            if (query.hasQueryItem(name))
                options.append(name + QLatin1Char('=')
                               + query.queryItemValue(name, QUrl::FullyDecoded));
        }
        db.setConnectOptions(options.join(QLatin1Char(';')));
    }
    forgetStatements(); // prepared on the connection being closed
    if (db.isOpen())
        db.close();
    if (!db.open()) {
        if (error)
            *error = db.lastError().text();
        return false;
    }
    // "relation already exists, skipping" and the like are not for the log.
    QSqlQuery quiet(db);
    quiet.exec(QStringLiteral("SET client_min_messages = warning"));
    return true;
}

bool PostgresMessageStore::open(QString *error)
{
    QString why;
    if (!validateUrl(m_url, &why) || !connect(&why)) {
        if (error)
            *error = why;
        return false;
    }
    QSqlDatabase db = database();
    bool ok = db.transaction();
    QSqlQuery lock(db);
    ok = ok && lock.exec(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(SchemaLockKey));
    ok = ok && createSchema({"BIGINT", ""}, &why);
    ok = ok && db.commit();
    if (!ok) {
        if (why.isEmpty())
            why = db.lastError().text();
        db.rollback();
        if (error)
            *error = why;
        return false;
    }
    return true;
}

std::unique_ptr<MessageStore> PostgresMessageStore::sibling() const
{
    return std::make_unique<PostgresMessageStore>(m_url);
}

bool PostgresMessageStore::ensureConnected()
{
    if (!isSuspect() && database().isOpen())
        return true;
    // Something failed: a broken connection answers no query, so try one and
    // open the connection again if it does not answer.
    {
        QSqlQuery ping(database());
        if (database().isOpen() && ping.exec(QStringLiteral("SELECT 1"))) {
            clearSuspect();
            return true;
        }
    }
    QString why;
    if (!connect(&why)) {
        qCWarning(lcStore).noquote() << "PostgreSQL unreachable:" << why;
        return false;
    }
    qCInfo(lcStore).noquote() << "connected to PostgreSQL again:" << describe(m_url);
    clearSuspect();
    return true;
}

} // namespace Chat
