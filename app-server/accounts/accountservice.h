// Accounts for the chat core (--auth accounts): registration, sign-in with a
// password, sign-in with a token, sign-out and the devices list. Every query
// and every Argon2id hash runs on a worker thread of its own (a StoreWorker on
// its own connection to the store), so a sign-in never stalls the event loop;
// answers come back on the thread that owns the service, as callbacks.
// Attempts are throttled here, before any work is queued (LoginThrottle).
#pragma once

#include "accountstore.h"
#include "loginthrottle.h"
#include "protocol.h"

#include <QJsonObject>
#include <QObject>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

#include <functional>
#include <memory>
#include <optional>

namespace Chat {

class JwtVerifier;
class MessageStore;
class StoreWorker;

class AccountService final : public QObject
{
    Q_OBJECT
public:
    enum class Registration { Open, Invite, Admin };
    static std::optional<Registration> registrationFromName(const QString &name);
    static QString registrationName(Registration registration);

    struct Options
    {
        bool passwords = true; // --auth accounts (jwt alone: no passwords)
        Registration registration = Registration::Admin;
        bool guests = false; // unregistered users, under names marked as guests
        qint64 tokenLifetimeMs = 30LL * 24 * 3600 * 1000;
        LoginThrottle::Limits throttle;
        // How often the store is asked whether an account changed elsewhere
        // (accountChanged): by `chat-server user` in a shell, or on another
        // server of a cluster.
        int changeCheckMs = 2000;
        // A store other servers write too (PostgreSQL): a change of rooms and
        // moderation there is read back from it (the bus brings it sooner,
        // but not while Redis is away).
        bool sharedStore = false;
    };

    explicit AccountService(const Options &options, QObject *parent = nullptr);
    ~AccountService() override;
    Q_DISABLE_COPY_MOVE(AccountService)

    // Opens `store` (a connection of its own) on the worker's thread.
    bool start(std::unique_ptr<MessageStore> store, QString *error = nullptr);
    void stop();

    const Options &options() const { return m_options; }
    // --auth jwt: tokens of the single sign-on (JwtVerifier); null without.
    void setJwtVerifier(std::unique_ptr<JwtVerifier> verifier);
    const JwtVerifier *jwt() const { return m_jwt.get(); }
    // What `welcome.accounts` says.
    QJsonObject announcement() const;

    // The name a user who is not signed in appears under ("Bob (guest)"): it
    // can never be a registered one. Empty if that cannot fit the limits.
    static QString guestName(const QString &username, int maxLength);
    // Why a name cannot be registered (a guest's form), or empty.
    static QString reservedNameProblem(const QString &username);

    struct SignedIn
    {
        Account account;
        QString token; // only on a new sign-in; a token sign-in does not repeat it
        QString tokenHash;
        QString deviceId;
        qint64 expiresMs = 0;
    };
    struct Outcome
    {
        std::optional<ProtocolError> error;
        SignedIn signedIn;
    };
    using Done = std::function<void(Outcome)>;

    void login(const QString &username, QString password, const QString &device,
               const QString &address, Done done);
    void registerAccount(const QString &username, QString password, const QString &invite,
                         const QString &device, const QString &address, Done done);
    void signInWithToken(const QString &token, Done done);

    // How many tokens went (-1: the store failed).
    using Revoked = std::function<void(int)>;
    void revokeToken(const QString &tokenHash, Revoked done);
    void revokeDevice(const QString &accountKey, const QString &deviceId, Revoked done);
    void revokeAll(const QString &accountKey, Revoked done);
    // The account's devices, as `devices.devices`; ok false if the store failed.
    void devices(const QString &accountKey, const QString &currentDeviceId,
                 std::function<void(bool ok, QJsonArray)> done);

    // Rooms and moderation, in memory (read at start, written through to the
    // store). A room without settings is public and nobody's.
    const RoomSettings *roomSettings(const QString &room) const;
    // Whether the account (its name key; empty: not signed in) may see and join the room.
    bool mayEnter(const QString &room, const QString &key) const;
    void saveRoom(const RoomSettings &room); // settings and members
    // The private rooms and direct messages the account is a member of.
    QStringList roomsOf(const QString &key) const;
    void addRoomMember(const QString &room, const QString &key, const QString &name);
    void removeRoomMember(const QString &room, const QString &key);
    // 0 if not banned (muted) now.
    qint64 bannedUntil(const QString &key) const;
    qint64 mutedUntil(const QString &room, const QString &key) const;
    void setBan(const QString &key, qint64 untilMs); // 0: lifted
    void setMute(const QString &room, const QString &key, qint64 untilMs);
    void record(const ModerationEntry &entry);
    // A change another server made (directoryChanged there), into the
    // directory here; the store has it already. False if it does not parse.
    bool applyDirectoryChange(const QJsonObject &change);
    void moderationLog(int limit, std::function<void(bool ok, QList<ModerationEntry>)> done);
    void registeredNames(const QStringList &keys,
                         std::function<void(bool ok, QHash<QString, QString>)> done);
    // `done` gets the result and the account's name as registered.
    void setRole(const QString &key, Role role,
                 std::function<void(AccountStore::Result, QString)> done);
    // The account of a name key (nullopt: none), or `failed`.
    void account(const QString &key, std::function<void(std::optional<Account>, bool failed)> done);
    // The account's tokens go (a ban); the connections are the caller's.
    void revokeAllQuietly(const QString &key);

    // Checks the store for changes now (also done every changeCheckMs).
    void checkChanges();

    qint64 signInsRefused() const { return m_refused; }
    qint64 signInsThrottled() const { return m_throttled; }

signals:
    // An account's sign-ins or role changed, here or elsewhere: its connections
    // whose token is not among change.tokenHashes are signed out.
    void accountChanged(const Chat::AccountChange &change);
    // The directory changed here (a room's settings or members, a ban, a
    // mute): for the other servers of a cluster (applyDirectoryChange).
    void directoryChanged(const QJsonObject &change);

private:
    void roomChanged(const QString &room);
    static ProtocolError throttledError(qint64 waitMs);
    // A banned account's sign-in is refused here, after the password.
    void refuseIfBanned(Outcome &out) const;
    Options m_options;
    std::unique_ptr<JwtVerifier> m_jwt;
    Directory m_directory;
    LoginThrottle m_throttle;
    StoreWorker *m_worker = nullptr;
    QTimer *m_changeTimer = nullptr;
    qint64 m_changesSeen = 0;
    bool m_checkingChanges = false;
    // Rooms and moderation read again from the store (sharedStore): wanted
    // since a change was seen; the generation counts the changes made here
    // (and from the bus), so that a read that raced one is not taken.
    void reloadDirectory();
    bool m_reloadWanted = false;
    bool m_reloading = false;
    quint64 m_directoryGeneration = 0;
    qint64 m_refused = 0;
    qint64 m_throttled = 0;
};

} // namespace Chat
