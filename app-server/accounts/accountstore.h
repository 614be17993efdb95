// Accounts, their sign-in tokens and their invitations, kept in the message
// store's own database (the SQLite file of --db, or the PostgreSQL database of
// --store), so that `chat-server user ...` works on the same store as a running
// server, and several servers on one PostgreSQL share them. The server runs
// these queries on its accounts worker's thread (AccountService), never on the
// event loop.
//
// Secrets are never stored: a password as its Argon2id string (passwords.h), a
// token and an invitation code as their SHA-256.
#pragma once

#include "role.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

QT_BEGIN_NAMESPACE
class QSqlQuery;
QT_END_NAMESPACE

namespace Chat {

class MessageStore;
class SqlMessageStore;

struct Account
{
    QString name; // as registered
    QString key; // Validation::usernameKey(name)
    QString passwordHash; // crypto_pwhash_str's string
    Role role = Role::Member;
    bool disabled = false;
    qint64 createdMs = 0;
};

// One signed-in device: a token, listed by its id (the token is never shown again).
struct DeviceToken
{
    QString deviceId;
    QString device; // the label the client gave ("Firefox on Linux")
    qint64 createdMs = 0;
    qint64 lastUsedMs = 0;
    qint64 expiresMs = 0;
};

// A room's settings: an owner, a topic, public or private, and for a private
// room (a direct message is one) who may be in it.
struct RoomSettings
{
    QString name;
    QString owner; // the account's name key; empty: nobody's
    QString topic;
    bool isPrivate = false;
    bool dm = false; // a direct message: private, its members fixed at the start
    qint64 createdMs = 0;
    QMap<QString, QString> members; // name key -> name (private rooms)
};

// Everything about rooms and moderation the server checks on every request,
// read at start and kept in memory (AccountService).
struct Directory
{
    QHash<QString, RoomSettings> rooms;
    QHash<QString, qint64> bans; // name key -> until (ms since the epoch)
    QHash<QString, qint64> mutes; // room + '\n' + name key -> until
};

// One moderation act: who did what to whom, where and when.
struct ModerationEntry
{
    qint64 atMs = 0;
    QString actor;
    QString action; // kick, mute, unmute, ban, unban, delete, role
    QString target;
    QString room;
    QString detail;
};

// An account as it is after a change (AccountStore::changesSince).
struct AccountChange
{
    qint64 seq = 0;
    QString key;
    bool exists = false;
    bool disabled = false;
    Role role = Role::Member;
    QStringList tokenHashes; // the unexpired sign-ins
};

class AccountStore final
{
public:
    // `store` must be one of the SQL stores (every MessageStore is) and open.
    explicit AccountStore(MessageStore &store);

    enum class Result { Done, Exists, NotFound, Failed };

    // nullopt if there is none; `failed` says whether the store could not answer.
    std::optional<Account> find(const QString &key, bool *failed = nullptr);
    Result create(const Account &account);
    // A new password ends every sign-in of the account.
    Result setPassword(const QString &key, const QString &passwordHash);
    Result setRole(const QString &key, Role role);
    // Disabling ends every sign-in of the account.
    Result setDisabled(const QString &key, bool disabled);
    std::optional<QList<Account>> list();

    bool addToken(const QString &key, const QString &tokenHash, const QString &deviceId,
                  const QString &device, qint64 nowMs, qint64 expiresMs);
    struct TokenOwner
    {
        Account account;
        QString deviceId;
    };
    // The account a token signs in as, if the token is known and unexpired at
    // nowMs (then its last use becomes nowMs). An expired token is deleted.
    std::optional<TokenOwner> useToken(const QString &tokenHash, qint64 nowMs,
                                       bool *failed = nullptr);
    // How many tokens went; -1 if the store failed.
    int revokeToken(const QString &tokenHash);
    int revokeDevice(const QString &key, const QString &deviceId);
    int revokeAll(const QString &key);
    std::optional<QList<DeviceToken>> devices(const QString &key, qint64 nowMs);

    // Changes to an account's sign-ins or role (a password, a role, disabling,
    // a revoke) are numbered, so that a server holding its connections (this
    // one, while `chat-server user` runs in a shell, or another in a cluster)
    // can find them: the last number given, and the accounts changed after one.
    std::optional<qint64> lastChange();
    // The key a change to rooms and moderation is numbered under: no account
    // can have it (a name cannot hold a control character).
    static QString directoryChangeKey() { return QStringLiteral("\ndirectory"); }
    std::optional<QList<AccountChange>> changesSince(qint64 seq, qint64 nowMs, int limit);

    bool addInvite(const QString &codeHash, const QString &createdBy, qint64 nowMs,
                   qint64 expiresMs, int uses);
    // Uses the invitation once if it is valid at nowMs.
    bool takeInvite(const QString &codeHash, qint64 nowMs, bool *failed = nullptr);

    // Rooms and moderation (Directory); expired bans and mutes are left out.
    std::optional<Directory> loadDirectory(qint64 nowMs);
    bool saveRoom(const RoomSettings &room); // the settings, not the members
    bool addRoomMember(const QString &room, const QString &key, const QString &name);
    bool removeRoomMember(const QString &room, const QString &key);
    bool setBan(const QString &key, qint64 untilMs); // untilMs 0: lifted
    bool setMute(const QString &room, const QString &key, qint64 untilMs); // 0: lifted
    bool record(const ModerationEntry &entry);
    std::optional<QList<ModerationEntry>> moderationLog(int limit);
    // The registered names among `keys`, as registered (key -> name).
    std::optional<QHash<QString, QString>> registeredNames(const QStringList &keys);

private:
    // Sets one column of the account, ends its sign-ins if asked, and numbers
    // the change, in one transaction.
    Result update(const QString &key, const char *column, const QVariant &value, bool endSignIns,
                  const char *what);
    // Runs a write to rooms and moderation and numbers it as a change of the
    // directory (directoryChangeKey()), in one transaction.
    bool writeDirectory(QSqlQuery &q, const char *what);
    // Numbers a change to the account (in the caller's transaction, if any).
    bool noteChange(const QString &key);
    SqlMessageStore *m_store;
};

} // namespace Chat
