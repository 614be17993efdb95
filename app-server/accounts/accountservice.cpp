// Registration, sign-in and devices on the accounts worker (accountservice.h).
#include "accountservice.h"

#include "accountanswer.h"

#include "jwtverifier.h"
#include "messagestore.h"
#include "passwords.h"
#include "serverlogging.h"
#include "storeworker.h"
#include "validation.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTimer>

#include <utility>

namespace Chat {

namespace {
const QString &guestSuffix()
{
    static const QString suffix = QStringLiteral(" (guest)");
    return suffix;
}

ProtocolError error(ErrorCode code, const QString &message)
{
    return ProtocolError {code, message, {}};
}

ProtocolError busy()
{
    return error(ErrorCode::ServerBusy,
                 QStringLiteral("Accounts cannot be checked right now; try again in a moment."));
}

ProtocolError badCredentials()
{
    // The same words whether the name exists or not.
    return error(ErrorCode::BadCredentials, QStringLiteral("Wrong name or password."));
}

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// A new token for the account, kept as its hash.
AccountService::Outcome issueToken(AccountStore &accounts, const Account &account,
                                   const QString &device, qint64 lifetimeMs)
{
    AccountService::Outcome out;
    out.signedIn.account = account;
    out.signedIn.token = Passwords::randomToken(32);
    out.signedIn.tokenHash = Passwords::tokenHash(out.signedIn.token);
    out.signedIn.deviceId = Passwords::randomToken(9);
    const qint64 t = now();
    out.signedIn.expiresMs = t + lifetimeMs;
    const QString label
        = device.trimmed().isEmpty() ? QStringLiteral("unnamed device") : device.trimmed();
    if (!accounts.addToken(account.key, out.signedIn.tokenHash, out.signedIn.deviceId, label, t,
                           out.signedIn.expiresMs)) {
        out.error = busy();
        out.signedIn = {};
    }
    return out;
}

// What a hash of a password nobody has costs: a sign-in for a name that does
// not exist takes as long as one that does.
const QString &decoyHash()
{
    static const QString hash = Passwords::hash(Passwords::randomToken(16));
    return hash;
}
} // namespace

std::optional<AccountService::Registration>
AccountService::registrationFromName(const QString &name)
{
    if (name == QLatin1String("open"))
        return Registration::Open;
    if (name == QLatin1String("invite"))
        return Registration::Invite;
    if (name == QLatin1String("admin"))
        return Registration::Admin;
    return std::nullopt;
}

QString AccountService::registrationName(Registration registration)
{
    switch (registration) {
    case Registration::Open:
        return QStringLiteral("open");
    case Registration::Invite:
        return QStringLiteral("invite");
    case Registration::Admin:
        return QStringLiteral("admin");
    }
    return QStringLiteral("admin");
}

AccountService::AccountService(const Options &options, QObject *parent)
    : QObject(parent), m_options(options), m_throttle(options.throttle)
{ }

AccountService::~AccountService()
{
    stop();
}

void AccountService::setJwtVerifier(std::unique_ptr<JwtVerifier> verifier)
{
    m_jwt = std::move(verifier);
}

bool AccountService::start(std::unique_ptr<MessageStore> store, QString *error)
{
    if (!Passwords::initialize()) {
        if (error)
            *error = QStringLiteral("libsodium cannot start");
        return false;
    }
    m_worker = new StoreWorker(this);
    if (!m_worker->start(std::move(store), error, StoreWorker::Mode::Thread)) {
        delete m_worker;
        m_worker = nullptr;
        return false;
    }
    m_worker->post([](MessageStore &) { return decoyHash().size(); });
    // Rooms and moderation are checked on every request: read them once, now.
    bool loaded = false;
    m_worker->run([](MessageStore &db) { return answer(AccountStore(db).loadDirectory(now())); },
                  [this, &loaded](Answer<Directory> directory) {
                      if (directory.ok) {
                          m_directory = std::move(directory.value);
                          loaded = true;
                      }
                  },
                  Answer<Directory> {});
    m_worker->run([](MessageStore &db) { return answer(AccountStore(db).lastChange()); },
                  [this, &loaded](Answer<qint64> seq) {
                      m_changesSeen = seq.value;
                      loaded = loaded && seq.ok;
                  },
                  Answer<qint64> {});
    m_worker->finish();
    if (!loaded) {
        if (error)
            *error = QStringLiteral("cannot read the rooms' settings and the bans");
        m_worker->stop();
        delete std::exchange(m_worker, nullptr);
        return false;
    }
    m_changeTimer = new QTimer(this);
    m_changeTimer->setInterval(m_options.changeCheckMs);
    connect(m_changeTimer, &QTimer::timeout, this, &AccountService::checkChanges);
    m_changeTimer->start();
    qCInfo(lcServer).noquote() << "accounts:" << m_directory.rooms.size() << "room settings,"
                               << m_directory.bans.size() << "bans";
    return true;
}

void AccountService::stop()
{
    if (m_changeTimer)
        m_changeTimer->stop();
    if (m_worker)
        m_worker->stop();
}

void AccountService::checkChanges()
{
    if (!m_worker || m_checkingChanges)
        return;
    m_checkingChanges = true;
    constexpr int Batch = 500;
    m_worker->run(
        [seen = m_changesSeen](MessageStore &db) {
            return answer(AccountStore(db).changesSince(seen, now(), Batch));
        },
        [this](Answer<QList<AccountChange>> changes) {
            m_checkingChanges = false;
            if (!changes.ok)
                return; // the next check tries again from the same place
            for (const AccountChange &change : std::as_const(changes.value)) {
                m_changesSeen = qMax(m_changesSeen, change.seq);
                if (change.key == AccountStore::directoryChangeKey())
                    m_reloadWanted = m_options.sharedStore;
                else
                    emit accountChanged(change);
            }
            if (m_reloadWanted)
                reloadDirectory();
            if (changes.value.size() == Batch)
                checkChanges();
        },
        Answer<QList<AccountChange>> {});
}

QJsonObject AccountService::announcement() const
{
    QJsonObject o {{QStringLiteral("guests"), m_options.guests},
                   {QStringLiteral("passwords"), m_options.passwords}};
    if (m_options.passwords)
        o.insert(QStringLiteral("registration"), registrationName(m_options.registration));
    if (m_jwt)
        o.insert(QStringLiteral("jwt"), m_jwt->algorithm());
    return o;
}

QString AccountService::guestName(const QString &username, int maxLength)
{
    const int room = maxLength - int(guestSuffix().size());
    if (room < 1)
        return {};
    QString base = username.trimmed();
    if (base.endsWith(guestSuffix(), Qt::CaseInsensitive))
        base.chop(guestSuffix().size());
    base = base.left(room).trimmed();
    if (base.isEmpty())
        return {};
    if (base.size() && base.back().isHighSurrogate())
        base.chop(1);
    return base + guestSuffix();
}

QString AccountService::reservedNameProblem(const QString &username)
{
    const QString name = username.trimmed();
    if (name.endsWith(guestSuffix().trimmed(), Qt::CaseInsensitive))
        return QStringLiteral("Names ending in \"(guest)\" are for guests.");
    if (name.startsWith(QLatin1String("guest-"), Qt::CaseInsensitive))
        return QStringLiteral("Names starting with \"guest-\" are for guests.");
    return {};
}

void AccountService::refuseIfBanned(Outcome &out) const
{
    if (out.error)
        return;
    if (const qint64 until = bannedUntil(out.signedIn.account.key); until > 0) {
        out.error = error(ErrorCode::Banned,
                          QStringLiteral("You are banned from this server until %1.")
                              .arg(formatTimestamp(until)));
        out.signedIn = {};
    }
}

void AccountService::record(const ModerationEntry &entry)
{
    qCInfo(lcSession).noquote() << "moderation:" << entry.actor << entry.action << entry.target
                                << (entry.room.isEmpty() ? QString()
                                                         : QStringLiteral("in ") + entry.room)
                                << entry.detail;
    m_worker->post([entry](MessageStore &store) { return AccountStore(store).record(entry); });
}

void AccountService::moderationLog(int limit,
                                   std::function<void(bool, QList<ModerationEntry>)> done)
{
    m_worker->run(
        [limit](MessageStore &store) { return answer(AccountStore(store).moderationLog(limit)); },
        [done = std::move(done)](Answer<QList<ModerationEntry>> a) { done(a.ok, a.value); },
        Answer<QList<ModerationEntry>> {});
}

void AccountService::registeredNames(const QStringList &keys,
                                     std::function<void(bool, QHash<QString, QString>)> done)
{
    m_worker->run(
        [keys](MessageStore &store) { return answer(AccountStore(store).registeredNames(keys)); },
        [done = std::move(done)](Answer<QHash<QString, QString>> a) { done(a.ok, a.value); },
        Answer<QHash<QString, QString>> {});
}

void AccountService::setRole(const QString &key, Role role,
                             std::function<void(AccountStore::Result, QString)> done)
{
    using Answer = std::pair<AccountStore::Result, QString>;
    m_worker->run(
        [key, role](MessageStore &store) {
            AccountStore accounts(store);
            const AccountStore::Result result = accounts.setRole(key, role);
            const std::optional<Account> account
                = result == AccountStore::Result::Done ? accounts.find(key) : std::nullopt;
            return Answer {result, account ? account->name : QString()};
        },
        [done = std::move(done)](Answer a) { done(a.first, a.second); },
        Answer {AccountStore::Result::Failed, {}});
}

void AccountService::account(const QString &key,
                             std::function<void(std::optional<Account>, bool failed)> done)
{
    struct Answer
    {
        std::optional<Account> account;
        bool failed = true;
    };
    m_worker->run(
        [key](MessageStore &store) {
            Answer a;
            a.account = AccountStore(store).find(key, &a.failed);
            return a;
        },
        [done = std::move(done)](Answer a) { done(a.account, a.failed); }, Answer {});
}

void AccountService::revokeAllQuietly(const QString &key)
{
    m_worker->post([key](MessageStore &store) { return AccountStore(store).revokeAll(key); });
}

ProtocolError AccountService::throttledError(qint64 waitMs)
{
    const qint64 seconds = std::max<qint64>(1, (waitMs + 999) / 1000);
    return error(ErrorCode::Throttled,
                 QStringLiteral("Too many failed sign-ins; try again in %1 s.").arg(seconds));
}

void AccountService::login(const QString &username, QString password, const QString &device,
                           const QString &address, Done done)
{
    const QString key = Validation::usernameKey(username);
    if (const qint64 wait = m_throttle.begin(key, address); wait > 0) {
        ++m_throttled;
        Passwords::wipe(password);
        qCInfo(lcSession).noquote() << "sign-in throttled for" << username << "from" << address;
        QMetaObject::invokeMethod(
            this,
            [done = std::move(done), wait] {
                done({throttledError(wait), {}});
            },
            Qt::QueuedConnection);
        return;
    }
    const qint64 lifetime = m_options.tokenLifetimeMs;
    m_worker->run(
        [key, password, device, lifetime](MessageStore &store) mutable {
            AccountStore accounts(store);
            bool failed = false;
            const std::optional<Account> account = accounts.find(key, &failed);
            Outcome out;
            if (failed) {
                out.error = busy();
            } else if (!account) {
                Passwords::verify(decoyHash(), password);
                out.error = badCredentials();
            } else if (!Passwords::verify(account->passwordHash, password)) {
                out.error = badCredentials();
            } else if (account->disabled) {
                out.error = error(ErrorCode::AccountDisabled,
                                  QStringLiteral("This account is disabled."));
            } else {
                out = issueToken(accounts, *account, device, lifetime);
            }
            Passwords::wipe(password);
            return out;
        },
        [this, key, address, username, done = std::move(done)](Outcome out) {
            refuseIfBanned(out);
            if (!out.error) {
                m_throttle.succeeded(key, address);
                qCInfo(lcSession).noquote()
                    << "signed in" << out.signedIn.account.name << "from" << address;
            } else if (out.error->code == ErrorCode::BadCredentials) {
                ++m_refused;
                qCInfo(lcSession).noquote()
                    << "sign-in refused for" << username << "from" << address;
            }
            done(std::move(out));
        },
        Outcome {busy(), {}});
    Passwords::wipe(password);
}

void AccountService::registerAccount(const QString &username, QString password,
                                     const QString &invite, const QString &device,
                                     const QString &address, Done done)
{
    auto refuse = [this, &done, &password](ProtocolError e) {
        Passwords::wipe(password);
        QMetaObject::invokeMethod(
            this,
            [done = std::move(done), e] {
                done({e, {}});
            },
            Qt::QueuedConnection);
    };
    if (m_options.registration == Registration::Admin)
        return refuse(error(ErrorCode::RegistrationClosed,
                            QStringLiteral("Accounts on this server are made by its admin.")));
    if (m_options.registration == Registration::Invite && invite.isEmpty())
        return refuse(error(ErrorCode::BadInvite,
                            QStringLiteral("An invitation is needed to register here.")));
    if (const QString problem = reservedNameProblem(username); !problem.isEmpty())
        return refuse(error(ErrorCode::BadUsername, problem));
    if (password.size() < 8
        || Validation::usernameKey(password) == Validation::usernameKey(username))
        return refuse(error(ErrorCode::WeakPassword,
                            QStringLiteral("A password needs at least 8 characters, and not "
                                           "the name.")));
    // Registrations count against the address like failed sign-ins: a script
    // cannot fill the store with accounts.
    if (const qint64 wait = m_throttle.begin({}, address); wait > 0) {
        ++m_throttled;
        return refuse(throttledError(wait));
    }
    const bool needsInvite = m_options.registration == Registration::Invite;
    const qint64 lifetime = m_options.tokenLifetimeMs;
    m_worker->run(
        [username, password, invite, device, lifetime, needsInvite](MessageStore &store) mutable {
            AccountStore accounts(store);
            Outcome out;
            const QString key = Validation::usernameKey(username);
            bool failed = false;
            if (accounts.find(key, &failed) || failed) {
                Passwords::wipe(password);
                out.error = failed
                    ? busy()
                    : error(ErrorCode::NameTaken,
                            QStringLiteral("The name %1 is registered already.").arg(username));
                return out;
            }
            if (needsInvite && !accounts.takeInvite(Passwords::tokenHash(invite), now(), &failed)) {
                Passwords::wipe(password);
                out.error = failed ? busy()
                                   : error(ErrorCode::BadInvite,
                                           QStringLiteral("This invitation is unknown, used up "
                                                          "or expired."));
                return out;
            }
            Account account;
            account.name = username;
            account.key = key;
            account.passwordHash = Passwords::hash(password);
            Passwords::wipe(password);
            account.createdMs = now();
            if (account.passwordHash.isEmpty()) {
                out.error = busy();
                return out;
            }
            switch (accounts.create(account)) {
            case AccountStore::Result::Done:
                return issueToken(accounts, account, device, lifetime);
            case AccountStore::Result::Exists:
                out.error
                    = error(ErrorCode::NameTaken,
                            QStringLiteral("The name %1 is registered already.").arg(username));
                return out;
            default:
                out.error = busy();
                return out;
            }
        },
        [address, done = std::move(done)](Outcome out) {
            if (!out.error)
                qCInfo(lcSession).noquote()
                    << "registered" << out.signedIn.account.name << "from" << address;
            done(std::move(out));
        },
        Outcome {busy(), {}});
    Passwords::wipe(password);
}

void AccountService::signInWithToken(const QString &token, Done done)
{
    const QString hash = Passwords::tokenHash(token);
    m_worker->run(
        [hash](MessageStore &store) {
            AccountStore accounts(store);
            bool failed = false;
            Outcome out;
            const auto owner = accounts.useToken(hash, now(), &failed);
            if (failed)
                out.error = busy();
            else if (!owner)
                out.error = error(ErrorCode::BadAccountToken,
                                  QStringLiteral("This sign-in has ended; sign in again."));
            else if (owner->account.disabled)
                out.error = error(ErrorCode::AccountDisabled,
                                  QStringLiteral("This account is disabled."));
            else
                out.signedIn = SignedIn {owner->account, {}, hash, owner->deviceId, 0};
            return out;
        },
        [this, done = std::move(done)](Outcome out) {
            refuseIfBanned(out);
            done(std::move(out));
        },
        Outcome {busy(), {}});
}

void AccountService::revokeToken(const QString &tokenHash, Revoked done)
{
    m_worker->run(
        [tokenHash](MessageStore &store) { return AccountStore(store).revokeToken(tokenHash); },
        std::move(done), -1);
}

void AccountService::revokeDevice(const QString &accountKey, const QString &deviceId, Revoked done)
{
    m_worker->run(
        [accountKey, deviceId](MessageStore &store) {
            return AccountStore(store).revokeDevice(accountKey, deviceId);
        },
        std::move(done), -1);
}

void AccountService::revokeAll(const QString &accountKey, Revoked done)
{
    m_worker->run(
        [accountKey](MessageStore &store) { return AccountStore(store).revokeAll(accountKey); },
        std::move(done), -1);
}

void AccountService::devices(const QString &accountKey, const QString &currentDeviceId,
                             std::function<void(bool, QJsonArray)> done)
{
    m_worker->run(
        [accountKey, currentDeviceId](MessageStore &store) -> Answer<QJsonArray> {
            const auto list = AccountStore(store).devices(accountKey, now());
            if (!list)
                return {};
            QJsonArray out;
            for (const DeviceToken &d : *list) {
                out.append(
                    QJsonObject {{QStringLiteral("id"), d.deviceId},
                                 {QStringLiteral("device"), d.device},
                                 {QStringLiteral("signedIn"), formatTimestamp(d.createdMs)},
                                 {QStringLiteral("lastUsed"), formatTimestamp(d.lastUsedMs)},
                                 {QStringLiteral("expires"), formatTimestamp(d.expiresMs)},
                                 {QStringLiteral("current"), d.deviceId == currentDeviceId}});
            }
            return Answer<QJsonArray> {true, out};
        },
        [done = std::move(done)](Answer<QJsonArray> a) { done(a.ok, a.value); },
        Answer<QJsonArray> {});
}

} // namespace Chat
