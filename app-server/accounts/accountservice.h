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

#include <functional>
#include <memory>
#include <optional>

namespace Chat {

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
        Registration registration = Registration::Admin;
        bool guests = false; // unregistered users, under names marked as guests
        qint64 tokenLifetimeMs = 30LL * 24 * 3600 * 1000;
        LoginThrottle::Limits throttle;
    };

    explicit AccountService(const Options &options, QObject *parent = nullptr);
    ~AccountService() override;
    Q_DISABLE_COPY_MOVE(AccountService)

    // Opens `store` (a connection of its own) on the worker's thread.
    bool start(std::unique_ptr<MessageStore> store, QString *error = nullptr);
    void stop();

    const Options &options() const { return m_options; }
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
    // The account's devices, as `devices.devices`; nullopt if the store failed.
    void devices(const QString &accountKey, const QString &currentDeviceId,
                 std::function<void(std::optional<QJsonArray>)> done);

    qint64 signInsRefused() const { return m_refused; }
    qint64 signInsThrottled() const { return m_throttled; }

private:
    static ProtocolError throttledError(qint64 waitMs);
    Options m_options;
    LoginThrottle m_throttle;
    StoreWorker *m_worker = nullptr;
    qint64 m_refused = 0;
    qint64 m_throttled = 0;
};

} // namespace Chat
