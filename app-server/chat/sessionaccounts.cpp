// Accounts in a session (--auth accounts): registering, signing in with a
// password or a token, signing out, and the devices list. The work runs on the
// accounts worker; the request waits in a Session::Wait meanwhile, with what
// the client sends, and runs again with the answer in hand.
#include "sessionwait.h"

#include "accountservice.h"
#include "identityregistry.h"
#include "jwtverifier.h"
#include "passwords.h"
#include "serverlogging.h"
#include "validation.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTimer>

namespace Chat {

namespace {
constexpr int SignedOutCloseCode = 4006;

bool sameName(const QString &a, const QString &b)
{
    return Validation::usernameKey(a) == Validation::usernameKey(b);
}

QString typeName(RequestType type)
{
    switch (type) {
    case RequestType::Register:
        return QStringLiteral("register");
    case RequestType::Login:
        return QStringLiteral("login");
    case RequestType::Logout:
        return QStringLiteral("logout");
    case RequestType::Devices:
        return QStringLiteral("devices");
    case RequestType::Revoke:
        return QStringLiteral("revoke");
    default:
        return QStringLiteral("hello");
    }
}
} // namespace

QString Session::address() const
{
    const QString p = peer();
    const qsizetype colon = p.lastIndexOf(QLatin1Char(':'));
    return colon > 0 ? p.left(colon) : p;
}

QString Session::nameToClaim(const QString &username, const QString &ref, bool sendErrors)
{
    if (!m_ctx.accounts)
        return username;
    if (m_signedIn && sameName(username, m_signedIn->outcome.signedIn.account.name))
        return m_signedIn->outcome.signedIn.account.name;
    if (m_identity && m_identity->signIn() && sameName(username, m_identity->username()))
        return m_identity->username();
    if (!m_ctx.accounts->options().guests) {
        if (sendErrors)
            sendError(ErrorCode::AccountRequired, QStringLiteral("Sign in to chat on this server."),
                      ref);
        return {};
    }
    const QString guest = AccountService::guestName(username, m_ctx.limits.maxUsernameLength);
    if (guest.isEmpty() && sendErrors)
        sendError(ErrorCode::BadUsername, QStringLiteral("That name cannot be a guest's."), ref);
    return guest;
}

void Session::waitForAccount()
{
    Q_ASSERT(m_request);
    QList<QByteArray> deferred = m_wait ? std::move(m_wait->deferred) : QList<QByteArray> {};
    m_wait = std::make_unique<Wait>();
    m_wait->request = *m_request;
    m_wait->account = true;
    m_wait->deferred = std::move(deferred);
}

void Session::onAccountAnswer(const AccountAnswer &answer)
{
    if (!m_wait || !m_wait->account || m_wait->answered || m_finished)
        return;
    m_wait->answered = true;
    auto done = std::make_unique<AccountAnswer>(answer);
    // The answer waits where the request that runs again looks for it.
    m_signedIn = std::move(done);
    runAgain();
}

void Session::takeSignIn(Identity *identity)
{
    if (!m_signedIn || m_signedIn->outcome.error)
        return;
    const AccountService::SignedIn &s = m_signedIn->outcome.signedIn;
    if (!sameName(s.account.name, identity->username()))
        return;
    if (!identity->isSignedIn()) {
        auto signIn = std::make_unique<Identity::SignIn>();
        signIn->key = s.account.key;
        signIn->role = s.account.role;
        identity->setSignIn(std::move(signIn));
    } else {
        // Another device: its sign-in read the account just now (a role changed
        // from the shell may not have reached the devices online yet).
        identity->setRole(s.account.role);
    }
    m_device = std::make_unique<Device>(Device {s.deviceId, s.tokenHash});
    QJsonObject body {{QStringLiteral("type"), QStringLiteral("signed-in")},
                      {QStringLiteral("username"), s.account.name},
                      {QStringLiteral("role"), roleName(s.account.role)},
                      {QStringLiteral("device"), s.deviceId}};
    if (!s.token.isEmpty()) {
        body.insert(QStringLiteral("token"), s.token);
        body.insert(QStringLiteral("expires"), formatTimestamp(s.expiresMs));
    }
    const QString answers = m_request ? typeName(m_request->type) : QStringLiteral("hello");
    m_signedIn.reset();
    send(Event::AccountReply {answers, body});
}

void Session::setCookieToken(const QString &token)
{
    if (!token.isEmpty())
        m_cookieToken = std::make_unique<QString>(token);
}

bool Session::signInWithToken(const Request &r)
{
    if (r.accountToken.isEmpty() && r.jwt.isEmpty())
        return true;
    if (!m_ctx.accounts) {
        sendError(ErrorCode::AccountsOff, QStringLiteral("This server has no accounts."));
        return false;
    }
    if (m_identity) // already signed in (a hello again): nothing to ask
        return true;
    if (m_wait && m_wait->answered && m_wait->account)
        m_wait.reset(); // its answer is in m_signedIn
    if (m_signedIn) {
        if (m_signedIn->outcome.error) {
            const ProtocolError e = *m_signedIn->outcome.error;
            m_signedIn.reset();
            sendError(e.code, e.message);
            return false;
        }
        return true;
    }
    if (!r.jwt.isEmpty()) {
        // Checked here and now: a signature and a few claims, no store.
        const JwtVerifier *verifier = m_ctx.accounts->jwt();
        if (!verifier) {
            sendError(ErrorCode::AccountsOff, QStringLiteral("This server takes no JWT."));
            return false;
        }
        QString why;
        const auto id = verifier->verify(r.jwt, QDateTime::currentMSecsSinceEpoch(), &why);
        if (!id) {
            qCInfo(lcSession).noquote() << "JWT refused from" << peer() << ":" << why;
            sendError(ErrorCode::BadJwt, why);
            return false;
        }
        AccountService::Outcome outcome;
        outcome.signedIn.account.name = id->name;
        outcome.signedIn.account.key = Validation::usernameKey(id->name);
        outcome.signedIn.account.role = id->role;
        outcome.signedIn.deviceId = QStringLiteral("jwt");
        outcome.signedIn.expiresMs = id->expiresMs;
        if (const qint64 until = m_ctx.accounts->bannedUntil(outcome.signedIn.account.key)) {
            sendError(ErrorCode::Banned,
                      QStringLiteral("You are banned from this server until %1.")
                          .arg(formatTimestamp(until)));
            return false;
        }
        m_signedIn = std::make_unique<AccountAnswer>(AccountAnswer {outcome});
        return true;
    }
    if (r.accountToken.isEmpty())
        return true;
    waitForAccount();
    m_ctx.accounts->signInWithToken(
        r.accountToken, [self = QPointer<Session>(this)](AccountService::Outcome outcome) {
            if (self)
                self->onAccountAnswer(AccountAnswer {std::move(outcome)});
        });
    return false;
}

void Session::handleSignIn(const Request &r)
{
    const QString type = typeName(r.type);
    if (!m_ctx.accounts) {
        sendError(ErrorCode::AccountsOff, QStringLiteral("This server has no accounts."));
        return;
    }
    if (!m_ctx.accounts->options().passwords) {
        sendError(ErrorCode::AccountsOff,
                  QStringLiteral("This server signs people in through single sign-on (a JWT)."));
        return;
    }
    if (!m_identity && !checkToken(r.token))
        return;
    if (m_identity) {
        sendError(ErrorCode::AlreadyIdentified,
                  QStringLiteral("This connection is already identified as %1; sign in on a new "
                                 "connection.")
                      .arg(m_identity->username()));
        return;
    }
    if (m_wait && m_wait->answered && m_wait->account)
        m_wait.reset(); // its answer is in m_signedIn
    if (!m_signedIn) {
        waitForAccount();
        auto done = [self = QPointer<Session>(this)](AccountService::Outcome outcome) {
            if (self)
                self->onAccountAnswer(AccountAnswer {std::move(outcome)});
        };
        if (r.type == RequestType::Login)
            m_ctx.accounts->login(r.username, r.password, r.device, address(), std::move(done));
        else
            m_ctx.accounts->registerAccount(r.username, r.password, r.invite, r.device, address(),
                                            std::move(done));
        return;
    }
    if (m_signedIn->outcome.error) {
        const ProtocolError e = *m_signedIn->outcome.error;
        m_signedIn.reset();
        sendError(e.code, e.message);
        return;
    }
    identify(m_signedIn->outcome.signedIn.account.name, {}, true);
}

void Session::handleLogout()
{
    if (requireAccount().isEmpty())
        return;
    if (!m_device) {
        sendError(ErrorCode::NotSignedIn, QStringLiteral("This connection is not signed in."));
        return;
    }
    // The last device signing out: the identity goes at once, not parked.
    if (m_identity->sessionCount() == 1)
        m_identity->setResumable(false);
    m_ctx.accounts->revokeToken(m_device->tokenHash, [self = QPointer<Session>(this)](int count) {
        if (!self || self->m_finished)
            return;
        if (count < 0) {
            self->sendError(ErrorCode::ServerBusy,
                            QStringLiteral("Signing out failed; try again in a moment."));
            return;
        }
        self->send(Event::AccountReply {QStringLiteral("logout"),
                                        {{QStringLiteral("type"), QStringLiteral("signed-out")}}});
        self->close(SignedOutCloseCode, QStringLiteral("signed out"));
    });
}

void Session::handleDevices()
{
    if (requireAccount().isEmpty())
        return;
    m_ctx.accounts->devices(
        m_identity->signIn()->key, m_device ? m_device->id : QString(),
        [self = QPointer<Session>(this)](bool ok, const QJsonArray &devices) {
            if (!self || self->m_finished)
                return;
            if (!ok) {
                self->sendError(ErrorCode::ServerBusy,
                                QStringLiteral("The devices cannot be listed right now."));
                return;
            }
            self->send(Event::AccountReply {QStringLiteral("devices"),
                                            {{QStringLiteral("type"), QStringLiteral("devices")},
                                             {QStringLiteral("devices"), devices}}});
        });
}

void Session::applyAccountChange(const AccountChange &change)
{
    if (!m_device || m_finished || !m_identity || !m_identity->isSignedIn()
        || m_identity->signIn()->key != change.key)
        return;
    if (change.exists && !change.disabled && change.tokenHashes.contains(m_device->tokenHash)) {
        m_identity->setRole(change.role);
        return;
    }
    if (!change.exists || change.disabled)
        m_identity->setResumable(false);
    close(SignedOutCloseCode, QStringLiteral("signed out"));
}

void Session::handleRevoke(const Request &r)
{
    if (requireAccount().isEmpty())
        return;
    if (r.all)
        m_identity->setResumable(false); // every device goes: so does the identity
    const QPointer<Identity> identity = m_identity;
    auto done = [self = QPointer<Session>(this), identity, all = r.all,
                 deviceId = r.deviceId](int count) {
        if (!self || self->m_finished)
            return;
        if (count < 0) {
            self->sendError(ErrorCode::ServerBusy,
                            QStringLiteral("Signing out failed; try again in a moment."));
            return;
        }
        self->send(Event::AccountReply {QStringLiteral("revoke"),
                                        {{QStringLiteral("type"), QStringLiteral("revoked")},
                                         {QStringLiteral("count"), count}}});
        // The devices signed out that are online here close (this one last).
        if (!identity)
            return;
        const QList<Session *> devices = identity->sessions();
        for (Session *device : devices) {
            if (device != self.data()
                && (all || (device->m_device && device->m_device->id == deviceId)))
                device->close(SignedOutCloseCode, QStringLiteral("signed out"));
        }
        if (all || (self->m_device && self->m_device->id == deviceId))
            self->close(SignedOutCloseCode, QStringLiteral("signed out"));
    };
    if (r.all)
        m_ctx.accounts->revokeAll(m_identity->signIn()->key, std::move(done));
    else
        m_ctx.accounts->revokeDevice(m_identity->signIn()->key, r.deviceId, std::move(done));
}

} // namespace Chat
