#include "sqlitemaintenance.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <optional>

namespace Chat {

namespace {
// A QSqlDatabase connection for one admin command, removed when it goes.
class Connection
{
public:
    Connection(const QString &path, bool readOnly)
        : m_name(QStringLiteral("maintenance-") + QUuid::createUuid().toString(QUuid::Id128))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        // A running server holds the write lock for a commit at a time: wait for it.
        db.setConnectOptions(
            readOnly ? QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000;QSQLITE_OPEN_READONLY")
                     : QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
        m_open = db.open();
        if (!m_open)
            m_error = db.lastError().text();
    }
    ~Connection()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    Q_DISABLE_COPY_MOVE(Connection)

    bool isOpen() const { return m_open; }
    QString error() const { return m_error; }
    QSqlDatabase database() const { return QSqlDatabase::database(m_name, false); }

private:
    QString m_name;
    bool m_open = false;
    QString m_error;
};

bool isStore(const QString &path, QString *error)
{
    const QFileInfo info(path);
    if (!info.isFile() || !info.isReadable()) {
        *error = QStringLiteral("no readable database at %1").arg(path);
        return false;
    }
    return true;
}
} // namespace

bool SqliteMaintenance::backup(const QString &path, const QString &target, QString *error)
{
    if (!isStore(path, error))
        return false;
    if (QFileInfo::exists(target)) {
        *error = QStringLiteral("%1 exists: give a new file").arg(target);
        return false;
    }
    const QString partial = target + QStringLiteral(".partial");
    QFile::remove(partial);
    {
        Connection source(path, false);
        if (!source.isOpen()) {
            *error = source.error();
            return false;
        }
        QSqlQuery q(source.database());
        q.prepare(QStringLiteral("VACUUM INTO ?"));
        q.addBindValue(partial);
        if (!q.exec()) {
            *error = QStringLiteral("VACUUM INTO: %1").arg(q.lastError().text());
            QFile::remove(partial);
            return false;
        }
    }
    const Report report = check(partial);
    if (!report.ok) {
        *error = QStringLiteral("the copy does not check out: %1").arg(report.problem);
        QFile::remove(partial);
        return false;
    }
    if (!QFile::rename(partial, target)) {
        *error = QStringLiteral("cannot move the copy to %1").arg(target);
        QFile::remove(partial);
        return false;
    }
    return true;
}

SqliteMaintenance::Report SqliteMaintenance::check(const QString &path)
{
    Report report;
    if (!isStore(path, &report.problem))
        return report;
    Connection c(path, true);
    if (!c.isOpen()) {
        report.problem = c.error();
        return report;
    }
    QSqlQuery q(c.database());
    auto single = [&](const QString &sql) -> std::optional<QVariant> {
        if (!q.exec(sql) || !q.next()) {
            report.problem = QStringLiteral("%1: %2").arg(sql, q.lastError().text());
            return std::nullopt;
        }
        return q.value(0);
    };
    // integrity_check answers "ok", or one row per problem found.
    if (!q.exec(QStringLiteral("PRAGMA integrity_check"))) {
        report.problem = q.lastError().text();
        return report;
    }
    QStringList problems;
    while (q.next()) {
        const QString row = q.value(0).toString();
        if (row != QLatin1String("ok"))
            problems.append(row);
    }
    if (!problems.isEmpty()) {
        report.problem = QStringLiteral("integrity_check: ") + problems.join(QStringLiteral("; "));
        return report;
    }
    const auto version = single(QStringLiteral("PRAGMA user_version"));
    if (!version)
        return report;
    report.schemaVersion = version->toInt();
    if (report.schemaVersion != 1) {
        report.problem
            = QStringLiteral("schema version %1, this server knows 1").arg(report.schemaVersion);
        return report;
    }
    const auto messages = single(QStringLiteral("SELECT COUNT(*) FROM messages"));
    const auto rooms = single(QStringLiteral("SELECT COUNT(*) FROM rooms"));
    const auto beyond = single(
        QStringLiteral("SELECT COUNT(*) FROM messages m LEFT JOIN rooms r ON r.name = m.room"
                       " WHERE r.name IS NULL OR m.id > r.last_id"));
    if (!messages || !rooms || !beyond)
        return report;
    report.messages = messages->toLongLong();
    report.rooms = rooms->toInt();
    if (beyond->toLongLong() != 0) {
        report.problem = QStringLiteral("%1 messages have an id their room has not given out")
                             .arg(beyond->toLongLong());
        return report;
    }
    report.ok = true;
    return report;
}

} // namespace Chat
