// The account tables' queries (accountstore.h), in the SQL both engines speak.
#include "accountstore.h"

#include "serverlogging.h"
#include "sqlmessagestore.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Chat {

namespace {
constexpr auto AccountColumns
    = "SELECT name, name_key, password_hash, role, disabled, created FROM accounts ";

Account readAccount(const QSqlQuery &q, int first = 0)
{
    Account a;
    a.name = q.value(first).toString();
    a.key = q.value(first + 1).toString();
    a.passwordHash = q.value(first + 2).toString();
    a.role = roleFromName(q.value(first + 3).toString()).value_or(Role::Member);
    a.disabled = q.value(first + 4).toLongLong() != 0;
    a.createdMs = q.value(first + 5).toLongLong();
    return a;
}
} // namespace

QString roleName(Role role)
{
    switch (role) {
    case Role::Member:
        return QStringLiteral("member");
    case Role::Moderator:
        return QStringLiteral("moderator");
    case Role::Admin:
        return QStringLiteral("admin");
    }
    return QStringLiteral("member");
}

std::optional<Role> roleFromName(const QString &name)
{
    if (name == QLatin1String("member"))
        return Role::Member;
    if (name == QLatin1String("moderator"))
        return Role::Moderator;
    if (name == QLatin1String("admin"))
        return Role::Admin;
    return std::nullopt;
}

AccountStore::AccountStore(MessageStore &store) : m_store(dynamic_cast<SqlMessageStore *>(&store))
{
    Q_ASSERT(m_store);
}

namespace {
// Runs a prepared query; false (logged, the connection marked suspect) on failure.
bool run(SqlMessageStore *store, QSqlQuery &q, const char *what)
{
    if (q.exec())
        return true;
    qCWarning(lcStore) << "accounts: cannot" << what << q.lastError().text();
    store->noteFailure();
    return false;
}
} // namespace

std::optional<Account> AccountStore::find(const QString &key, bool *failed)
{
    if (failed)
        *failed = false;
    if (!m_store->connected()) {
        if (failed)
            *failed = true;
        return std::nullopt;
    }
    QSqlQuery q(m_store->database());
    q.prepare(QLatin1String(AccountColumns) + QStringLiteral("WHERE name_key = ?"));
    q.addBindValue(key);
    if (!run(m_store, q, "read an account")) {
        if (failed)
            *failed = true;
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return readAccount(q);
}

AccountStore::Result AccountStore::create(const Account &account)
{
    if (!m_store->connected())
        return Result::Failed;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral(
        "INSERT INTO accounts (name_key, name, password_hash, role, disabled, created)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name_key) DO NOTHING"));
    q.addBindValue(account.key);
    q.addBindValue(account.name);
    q.addBindValue(account.passwordHash);
    q.addBindValue(roleName(account.role));
    q.addBindValue(account.disabled ? 1 : 0);
    q.addBindValue(account.createdMs);
    if (!run(m_store, q, "create an account"))
        return Result::Failed;
    return q.numRowsAffected() == 1 ? Result::Done : Result::Exists;
}

AccountStore::Result AccountStore::setPassword(const QString &key, const QString &passwordHash)
{
    if (!m_store->connected())
        return Result::Failed;
    QSqlDatabase db = m_store->database();
    if (!db.transaction())
        return Result::Failed;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE accounts SET password_hash = ? WHERE name_key = ?"));
    q.addBindValue(passwordHash);
    q.addBindValue(key);
    if (!run(m_store, q, "set a password")) {
        db.rollback();
        return Result::Failed;
    }
    if (q.numRowsAffected() != 1) {
        db.rollback();
        return Result::NotFound;
    }
    QSqlQuery d(db);
    d.prepare(QStringLiteral("DELETE FROM account_tokens WHERE name_key = ?"));
    d.addBindValue(key);
    if (!run(m_store, d, "end sign-ins") || !db.commit()) {
        db.rollback();
        return Result::Failed;
    }
    return Result::Done;
}

AccountStore::Result AccountStore::setRole(const QString &key, Role role)
{
    if (!m_store->connected())
        return Result::Failed;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("UPDATE accounts SET role = ? WHERE name_key = ?"));
    q.addBindValue(roleName(role));
    q.addBindValue(key);
    if (!run(m_store, q, "set a role"))
        return Result::Failed;
    return q.numRowsAffected() == 1 ? Result::Done : Result::NotFound;
}

AccountStore::Result AccountStore::setDisabled(const QString &key, bool disabled)
{
    if (!m_store->connected())
        return Result::Failed;
    QSqlDatabase db = m_store->database();
    if (!db.transaction())
        return Result::Failed;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE accounts SET disabled = ? WHERE name_key = ?"));
    q.addBindValue(disabled ? 1 : 0);
    q.addBindValue(key);
    if (!run(m_store, q, "disable an account")) {
        db.rollback();
        return Result::Failed;
    }
    if (q.numRowsAffected() != 1) {
        db.rollback();
        return Result::NotFound;
    }
    if (disabled) {
        QSqlQuery d(db);
        d.prepare(QStringLiteral("DELETE FROM account_tokens WHERE name_key = ?"));
        d.addBindValue(key);
        if (!run(m_store, d, "end sign-ins")) {
            db.rollback();
            return Result::Failed;
        }
    }
    if (!db.commit()) {
        db.rollback();
        return Result::Failed;
    }
    return Result::Done;
}

std::optional<QList<Account>> AccountStore::list()
{
    if (!m_store->connected())
        return std::nullopt;
    QSqlQuery q(m_store->database());
    q.prepare(QLatin1String(AccountColumns) + QStringLiteral("ORDER BY name_key"));
    if (!run(m_store, q, "list accounts"))
        return std::nullopt;
    QList<Account> out;
    while (q.next())
        out.append(readAccount(q));
    return out;
}

bool AccountStore::addToken(const QString &key, const QString &tokenHash, const QString &deviceId,
                            const QString &device, qint64 nowMs, qint64 expiresMs)
{
    if (!m_store->connected())
        return false;
    QSqlDatabase db = m_store->database();
    if (!db.transaction())
        return false;
    // Expired tokens go whenever a new one comes.
    QSqlQuery d(db);
    d.prepare(QStringLiteral("DELETE FROM account_tokens WHERE name_key = ? AND expires <= ?"));
    d.addBindValue(key);
    d.addBindValue(nowMs);
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("INSERT INTO account_tokens"
                       " (token_hash, device_id, name_key, device, created, last_used, expires)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(tokenHash);
    q.addBindValue(deviceId);
    q.addBindValue(key);
    q.addBindValue(device);
    q.addBindValue(nowMs);
    q.addBindValue(nowMs);
    q.addBindValue(expiresMs);
    if (!run(m_store, d, "drop expired tokens") || !run(m_store, q, "keep a token")
        || !db.commit()) {
        db.rollback();
        return false;
    }
    return true;
}

std::optional<AccountStore::TokenOwner> AccountStore::useToken(const QString &tokenHash,
                                                               qint64 nowMs, bool *failed)
{
    if (failed)
        *failed = false;
    auto fail = [failed] {
        if (failed)
            *failed = true;
        return std::nullopt;
    };
    if (!m_store->connected())
        return fail();
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT a.name, a.name_key, a.password_hash, a.role, a.disabled,"
                             " a.created, t.device_id, t.expires"
                             " FROM account_tokens t JOIN accounts a ON a.name_key = t.name_key"
                             " WHERE t.token_hash = ?"));
    q.addBindValue(tokenHash);
    if (!run(m_store, q, "read a token"))
        return fail();
    if (!q.next())
        return std::nullopt;
    TokenOwner owner {readAccount(q), q.value(6).toString()};
    const qint64 expires = q.value(7).toLongLong();
    q.finish();
    if (expires <= nowMs) {
        revokeToken(tokenHash);
        return std::nullopt;
    }
    QSqlQuery u(m_store->database());
    u.prepare(QStringLiteral("UPDATE account_tokens SET last_used = ? WHERE token_hash = ?"));
    u.addBindValue(nowMs);
    u.addBindValue(tokenHash);
    run(m_store, u, "note a token's use"); // not worth refusing the sign-in for
    return owner;
}

int AccountStore::revokeToken(const QString &tokenHash)
{
    if (!m_store->connected())
        return -1;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("DELETE FROM account_tokens WHERE token_hash = ?"));
    q.addBindValue(tokenHash);
    return run(m_store, q, "revoke a token") ? q.numRowsAffected() : -1;
}

int AccountStore::revokeDevice(const QString &key, const QString &deviceId)
{
    if (!m_store->connected())
        return -1;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("DELETE FROM account_tokens WHERE name_key = ? AND device_id = ?"));
    q.addBindValue(key);
    q.addBindValue(deviceId);
    return run(m_store, q, "revoke a device") ? q.numRowsAffected() : -1;
}

int AccountStore::revokeAll(const QString &key)
{
    if (!m_store->connected())
        return -1;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("DELETE FROM account_tokens WHERE name_key = ?"));
    q.addBindValue(key);
    return run(m_store, q, "revoke every device") ? q.numRowsAffected() : -1;
}

std::optional<QList<DeviceToken>> AccountStore::devices(const QString &key, qint64 nowMs)
{
    if (!m_store->connected())
        return std::nullopt;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT device_id, device, created, last_used, expires"
                             " FROM account_tokens WHERE name_key = ? AND expires > ?"
                             " ORDER BY last_used DESC"));
    q.addBindValue(key);
    q.addBindValue(nowMs);
    if (!run(m_store, q, "list devices"))
        return std::nullopt;
    QList<DeviceToken> out;
    while (q.next()) {
        out.append(DeviceToken {q.value(0).toString(), q.value(1).toString(),
                                q.value(2).toLongLong(), q.value(3).toLongLong(),
                                q.value(4).toLongLong()});
    }
    return out;
}

bool AccountStore::addInvite(const QString &codeHash, const QString &createdBy, qint64 nowMs,
                             qint64 expiresMs, int uses)
{
    if (!m_store->connected())
        return false;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("INSERT INTO account_invites"
                             " (code_hash, created_by, created, expires, uses_left)"
                             " VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(codeHash);
    q.addBindValue(createdBy);
    q.addBindValue(nowMs);
    q.addBindValue(expiresMs);
    q.addBindValue(uses);
    return run(m_store, q, "keep an invitation");
}

bool AccountStore::takeInvite(const QString &codeHash, qint64 nowMs, bool *failed)
{
    if (failed)
        *failed = false;
    if (!m_store->connected()) {
        if (failed)
            *failed = true;
        return false;
    }
    // One statement: two registrations racing for the last use cannot both win.
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("UPDATE account_invites SET uses_left = uses_left - 1"
                             " WHERE code_hash = ? AND uses_left > 0 AND expires > ?"));
    q.addBindValue(codeHash);
    q.addBindValue(nowMs);
    if (!run(m_store, q, "use an invitation")) {
        if (failed)
            *failed = true;
        return false;
    }
    return q.numRowsAffected() == 1;
}

} // namespace Chat
