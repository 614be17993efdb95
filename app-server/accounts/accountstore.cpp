// The account tables' queries (accountstore.h), in the SQL both engines speak.
#include "accountstore.h"

#include "serverlogging.h"
#include "sqlmessagestore.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include <functional>

namespace Chat {

namespace {
constexpr auto AccountColumns
    = "SELECT name, name_key, password_hash, role, disabled, created FROM accounts ";

// A null QString binds as SQL NULL; the text columns are NOT NULL.
QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

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

AccountStore::Result AccountStore::update(const QString &key, const char *column,
                                          const QVariant &value, bool endSignIns, const char *what)
{
    if (!m_store->connected())
        return Result::Failed;
    QSqlDatabase db = m_store->database();
    if (!m_store->beginWrite())
        return Result::Failed;
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("UPDATE accounts SET %1 = ? WHERE name_key = ?").arg(QLatin1String(column)));
    q.addBindValue(value);
    q.addBindValue(key);
    if (!run(m_store, q, what)) {
        db.rollback();
        return Result::Failed;
    }
    if (q.numRowsAffected() != 1) {
        db.rollback();
        return Result::NotFound;
    }
    bool ok = true;
    if (endSignIns) {
        QSqlQuery d(db);
        d.prepare(QStringLiteral("DELETE FROM account_tokens WHERE name_key = ?"));
        d.addBindValue(key);
        ok = run(m_store, d, "end sign-ins");
    }
    if (!ok || !noteChange(key) || !db.commit()) {
        db.rollback();
        return Result::Failed;
    }
    return Result::Done;
}

AccountStore::Result AccountStore::setPassword(const QString &key, const QString &passwordHash)
{
    return update(key, "password_hash", passwordHash, true, "set a password");
}

AccountStore::Result AccountStore::setRole(const QString &key, Role role)
{
    return update(key, "role", roleName(role), false, "set a role");
}

AccountStore::Result AccountStore::setDisabled(const QString &key, bool disabled)
{
    return update(key, "disabled", disabled ? 1 : 0, disabled, "disable an account");
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
    if (!m_store->beginWrite())
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
    q.addBindValue(text(device));
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

namespace {
// Deletes the account's tokens that `q` (prepared, bound) selects, and numbers
// the change: how many went, or -1.
int revokeNoted(SqlMessageStore *store, QSqlQuery &q, const char *what,
                const std::function<bool()> &noteChange)
{
    QSqlDatabase db = store->database();
    if (!store->beginWrite())
        return -1;
    if (!run(store, q, what)) {
        db.rollback();
        return -1;
    }
    const int count = q.numRowsAffected();
    if ((count > 0 && !noteChange()) || !db.commit()) {
        db.rollback();
        return -1;
    }
    return count;
}
} // namespace

int AccountStore::revokeDevice(const QString &key, const QString &deviceId)
{
    if (!m_store->connected())
        return -1;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("DELETE FROM account_tokens WHERE name_key = ? AND device_id = ?"));
    q.addBindValue(key);
    q.addBindValue(deviceId);
    return revokeNoted(m_store, q, "revoke a device", [this, &key] { return noteChange(key); });
}

int AccountStore::revokeAll(const QString &key)
{
    if (!m_store->connected())
        return -1;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("DELETE FROM account_tokens WHERE name_key = ?"));
    q.addBindValue(key);
    return revokeNoted(m_store, q, "revoke every device", [this, &key] { return noteChange(key); });
}

bool AccountStore::noteChange(const QString &key)
{
    // The counter's row is locked until the commit: numbers are taken in the
    // order the changes commit, so a reader that saw N has seen every one below.
    QSqlQuery c(m_store->database());
    c.prepare(QStringLiteral("INSERT INTO counters (name, value) VALUES ('account_changes', 1)"
                             " ON CONFLICT (name) DO UPDATE SET value = counters.value + 1"
                             " RETURNING value"));
    if (!run(m_store, c, "number a change") || !c.next())
        return false;
    const qint64 seq = c.value(0).toLongLong();
    c.finish();
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("INSERT INTO account_changes (name_key, seq) VALUES (?, ?)"
                             " ON CONFLICT (name_key) DO UPDATE SET seq = excluded.seq"));
    q.addBindValue(key);
    q.addBindValue(seq);
    return run(m_store, q, "note a change");
}

std::optional<qint64> AccountStore::lastChange()
{
    if (!m_store->connected())
        return std::nullopt;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT value FROM counters WHERE name = 'account_changes'"));
    if (!run(m_store, q, "read the changes' counter"))
        return std::nullopt;
    return q.next() ? q.value(0).toLongLong() : 0;
}

std::optional<QList<AccountChange>> AccountStore::changesSince(qint64 seq, qint64 nowMs, int limit)
{
    if (!m_store->connected())
        return std::nullopt;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral(
        "SELECT c.seq, c.name_key, a.name_key, a.role, a.disabled FROM account_changes c"
        " LEFT JOIN accounts a ON a.name_key = c.name_key WHERE c.seq > ? ORDER BY c.seq LIMIT ?"));
    q.addBindValue(seq);
    q.addBindValue(limit);
    if (!run(m_store, q, "read the changes"))
        return std::nullopt;
    QList<AccountChange> out;
    while (q.next()) {
        AccountChange change;
        change.seq = q.value(0).toLongLong();
        change.key = q.value(1).toString();
        change.exists = !q.value(2).isNull();
        change.role = roleFromName(q.value(3).toString()).value_or(Role::Member);
        change.disabled = q.value(4).toLongLong() != 0;
        out.append(change);
    }
    q.finish();
    QSqlQuery t(m_store->database());
    t.prepare(
        QStringLiteral("SELECT token_hash FROM account_tokens WHERE name_key = ? AND expires > ?"));
    for (AccountChange &change : out) {
        if (!change.exists || change.disabled)
            continue;
        t.addBindValue(change.key);
        t.addBindValue(nowMs);
        if (!run(m_store, t, "read the sign-ins"))
            return std::nullopt;
        while (t.next())
            change.tokenHashes.append(t.value(0).toString());
    }
    return out;
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
    q.addBindValue(text(createdBy));
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

std::optional<Directory> AccountStore::loadDirectory(qint64 nowMs)
{
    if (!m_store->connected())
        return std::nullopt;
    Directory d;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT name, owner, topic, private, dm, created FROM room_settings"));
    if (!run(m_store, q, "read room settings"))
        return std::nullopt;
    while (q.next()) {
        RoomSettings r;
        r.name = q.value(0).toString();
        r.owner = q.value(1).toString();
        r.topic = q.value(2).toString();
        r.isPrivate = q.value(3).toLongLong() != 0;
        r.dm = q.value(4).toLongLong() != 0;
        r.createdMs = q.value(5).toLongLong();
        d.rooms.insert(r.name, r);
    }
    QSqlQuery m(m_store->database());
    m.prepare(QStringLiteral("SELECT room, name_key, name FROM room_members"));
    if (!run(m_store, m, "read room members"))
        return std::nullopt;
    while (m.next()) {
        auto it = d.rooms.find(m.value(0).toString());
        if (it != d.rooms.end())
            it->members.insert(m.value(1).toString(), m.value(2).toString());
    }
    QSqlQuery b(m_store->database());
    b.prepare(QStringLiteral("SELECT name_key, until FROM account_bans WHERE until > ?"));
    b.addBindValue(nowMs);
    if (!run(m_store, b, "read bans"))
        return std::nullopt;
    while (b.next())
        d.bans.insert(b.value(0).toString(), b.value(1).toLongLong());
    QSqlQuery u(m_store->database());
    u.prepare(QStringLiteral("SELECT room, name_key, until FROM room_mutes WHERE until > ?"));
    u.addBindValue(nowMs);
    if (!run(m_store, u, "read mutes"))
        return std::nullopt;
    while (u.next())
        d.mutes.insert(u.value(0).toString() + QLatin1Char('\n') + u.value(1).toString(),
                       u.value(2).toLongLong());
    return d;
}

bool AccountStore::writeDirectory(QSqlQuery &q, const char *what)
{
    QSqlDatabase db = m_store->database();
    if (!m_store->beginWrite())
        return false;
    if (!run(m_store, q, what) || !noteChange(directoryChangeKey()) || !db.commit()) {
        db.rollback();
        return false;
    }
    return true;
}

bool AccountStore::saveRoom(const RoomSettings &room)
{
    if (!m_store->connected())
        return false;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("INSERT INTO room_settings (name, owner, topic, private, dm, created)"
                             " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                             " owner = excluded.owner, topic = excluded.topic,"
                             " private = excluded.private, dm = excluded.dm"));
    q.addBindValue(room.name);
    q.addBindValue(text(room.owner));
    q.addBindValue(text(room.topic));
    q.addBindValue(room.isPrivate ? 1 : 0);
    q.addBindValue(room.dm ? 1 : 0);
    q.addBindValue(room.createdMs);
    return writeDirectory(q, "keep room settings");
}

bool AccountStore::addRoomMember(const QString &room, const QString &key, const QString &name)
{
    if (!m_store->connected())
        return false;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("INSERT INTO room_members (room, name_key, name) VALUES (?, ?, ?)"
                             " ON CONFLICT (room, name_key) DO NOTHING"));
    q.addBindValue(room);
    q.addBindValue(key);
    q.addBindValue(name);
    return writeDirectory(q, "add a room member");
}

bool AccountStore::removeRoomMember(const QString &room, const QString &key)
{
    if (!m_store->connected())
        return false;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("DELETE FROM room_members WHERE room = ? AND name_key = ?"));
    q.addBindValue(room);
    q.addBindValue(key);
    return writeDirectory(q, "remove a room member");
}

bool AccountStore::setBan(const QString &key, qint64 untilMs)
{
    if (!m_store->connected())
        return false;
    QSqlQuery q(m_store->database());
    if (untilMs <= 0) {
        q.prepare(QStringLiteral("DELETE FROM account_bans WHERE name_key = ?"));
        q.addBindValue(key);
    } else {
        q.prepare(QStringLiteral("INSERT INTO account_bans (name_key, until) VALUES (?, ?)"
                                 " ON CONFLICT (name_key) DO UPDATE SET until = excluded.until"));
        q.addBindValue(key);
        q.addBindValue(untilMs);
    }
    return writeDirectory(q, "keep a ban");
}

bool AccountStore::setMute(const QString &room, const QString &key, qint64 untilMs)
{
    if (!m_store->connected())
        return false;
    QSqlQuery q(m_store->database());
    if (untilMs <= 0) {
        q.prepare(QStringLiteral("DELETE FROM room_mutes WHERE room = ? AND name_key = ?"));
        q.addBindValue(room);
        q.addBindValue(key);
    } else {
        q.prepare(
            QStringLiteral("INSERT INTO room_mutes (room, name_key, until) VALUES (?, ?, ?)"
                           " ON CONFLICT (room, name_key) DO UPDATE SET until = excluded.until"));
        q.addBindValue(room);
        q.addBindValue(key);
        q.addBindValue(untilMs);
    }
    return writeDirectory(q, "keep a mute");
}

bool AccountStore::record(const ModerationEntry &e)
{
    if (!m_store->connected())
        return false;
    QSqlQuery q(m_store->database());
    q.prepare(
        QStringLiteral("INSERT INTO moderation_log (id, at, actor, action, target, room, detail)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(QUuid::createUuid().toString(QUuid::WithoutBraces));
    q.addBindValue(e.atMs);
    q.addBindValue(text(e.actor));
    q.addBindValue(text(e.action));
    q.addBindValue(text(e.target));
    q.addBindValue(text(e.room));
    q.addBindValue(text(e.detail));
    return run(m_store, q, "record a moderation act");
}

std::optional<QList<ModerationEntry>> AccountStore::moderationLog(int limit)
{
    if (!m_store->connected())
        return std::nullopt;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT at, actor, action, target, room, detail FROM moderation_log"
                             " ORDER BY at DESC LIMIT ?"));
    q.addBindValue(limit);
    if (!run(m_store, q, "read the moderation log"))
        return std::nullopt;
    QList<ModerationEntry> out;
    while (q.next()) {
        out.append(ModerationEntry {q.value(0).toLongLong(), q.value(1).toString(),
                                    q.value(2).toString(), q.value(3).toString(),
                                    q.value(4).toString(), q.value(5).toString()});
    }
    return out;
}

std::optional<QHash<QString, QString>> AccountStore::registeredNames(const QStringList &keys)
{
    QHash<QString, QString> out;
    for (const QString &key : keys) {
        bool failed = false;
        const std::optional<Account> a = find(key, &failed);
        if (failed)
            return std::nullopt;
        if (a)
            out.insert(key, a->name);
    }
    return out;
}

} // namespace Chat
