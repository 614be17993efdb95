// Per-connection protocol handling.
#include "session.h"

#include "accountservice.h"
#include "identity.h"
#include "identityregistry.h"
#include "messagestore.h"
#include "outputflusher.h"
#include "postqueue.h"
#include "room.h"
#include "roomregistry.h"
#include "secret.h"
#include "serverlogging.h"
#include "sessionwait.h"
#include "storeworker.h"
#include "validation.h"

#include <QDateTime>
#include <QPointer>
#include <QRandomGenerator>

#include <QTimer>
#include <cmath>

namespace Chat {

namespace {
constexpr int ReplacedCloseCode = 4002;
constexpr int UnauthorizedCloseCode = 4003;
constexpr int IdentifyTimeoutCloseCode = 4004;
constexpr int TooSlowCloseCode = 4005;
constexpr int QuietMs = 150;

bool sameName(const QString &a, const QString &b)
{
    return Validation::usernameKey(a) == Validation::usernameKey(b);
}
} // namespace

Session::Session(std::unique_ptr<Channel> channel, const ServerContext &context, QObject *parent)
    : QObject(parent)
    , m_channel(std::move(channel))
    , m_ctx(context)
    , m_flood(context.limits, context.flood)
{
    m_lastHeard.start();
    m_channel->setListener(this);
    qCInfo(lcSession).noquote() << "connect" << peer();
    const bool needsToken = !m_ctx.access.token.isEmpty();
    send(Event::Welcome {
        m_ctx.limits, needsToken ? QStringLiteral("token") : QStringLiteral("none"),
        m_ctx.serverName, m_ctx.accounts ? m_ctx.accounts->announcement() : QJsonObject {}});
    if (needsToken) {
        QTimer::singleShot(m_ctx.access.identifyTimeoutMs, this, [this] {
            if (!m_identity && !m_finished)
                close(IdentifyTimeoutCloseCode, QStringLiteral("identify timeout"));
        });
    }
}

Session::~Session() = default;

QString Session::username() const
{
    return m_identity ? m_identity->username() : QString();
}

void Session::sendBytes(const QByteArray &bytes)
{
    if (m_dropping || m_finished)
        return;
    m_channel->send(bytes); // shares the bytes with every other recipient: no copy
    scheduleFlush();
}

void Session::flushOutput()
{
    m_flushScheduled = false;
    if (m_dropping || m_finished)
        return;
    m_channel->flush();
    // A client that stops reading must not make the server hold its backlog.
    if (m_channel->queuedBytes() > m_ctx.access.maxQueuedBytes)
        dropSlowReader();
}

void Session::dropSlowReader()
{
    m_dropping = true;
    qCInfo(lcSession).noquote() << "dropping slow reader" << peer() << "with"
                                << m_channel->queuedBytes() << "bytes unsent";
    close(TooSlowCloseCode, QStringLiteral("too slow: not reading"));
    // Its buffers are full, so the close frame may never go out: do not wait.
    QTimer::singleShot(500, this, [this] {
        if (!m_finished)
            m_channel->abort();
    });
}

void Session::send(const ServerEvent &event)
{
    if (m_dropping || m_finished)
        return;
    m_channel->sendEvent(event);
    scheduleFlush();
}

void Session::scheduleFlush()
{
    if (!m_flushScheduled && m_ctx.flusher) {
        m_flushScheduled = true;
        m_ctx.flusher->schedule(this);
    }
}

void Session::sendError(ErrorCode code, const QString &message, const QString &ref)
{
    qCDebug(lcSession).noquote() << peer() << "error" << errorCodeName(code) << message;
    send(ProtocolError {code, message, ref});
}

void Session::ping()
{
    if (!m_finished)
        m_channel->ping();
}

void Session::close(int code, const QString &reason)
{
    if (m_finished)
        return;
    m_weClosed = true;
    m_closeCodeSent = code;
    m_channel->close(code, reason);
}

bool Session::admitInvalid()
{
    return admit(RequestType::Rooms, {}); // bad frames count like any other request
}

bool Session::admit(RequestType type, const QString &ref)
{
    const FloodControl::Verdict verdict = m_flood.admit(type);
    if (verdict != FloodControl::Verdict::Admit && m_ctx.counters)
        ++m_ctx.counters->rateLimited;
    switch (verdict) {
    case FloodControl::Verdict::Admit:
        return true;
    case FloodControl::Verdict::Drop:
        return false;
    case FloodControl::Verdict::Close:
        qCInfo(lcSession).noquote() << "closing flooding peer" << peer();
        closeWhenQuiet(PolicyCloseCode, QStringLiteral("rate limit exceeded"));
        return false;
    case FloodControl::Verdict::RefuseAndExplain:
        sendError(ErrorCode::RateLimited,
                  type == RequestType::Chat
                      ? QStringLiteral("Slow down: at most %1 messages per second.")
                            .arg(m_ctx.limits.ratePerSecond)
                      : QStringLiteral("Slow down: too many requests."),
                  ref);
        return false;
    case FloodControl::Verdict::Refuse:
        if (!ref.isEmpty())
            sendError(ErrorCode::RateLimited, QStringLiteral("Slow down."),
                      ref); // the sender must know which one failed
        return false;
    }
    return false;
}

void Session::closeWhenQuiet(int code, const QString &reason)
{
    // Closing a socket while the peer is still sending makes the kernel answer
    // with a reset, and the peer would lose our close frame. Ignore what still
    // comes, and close once it has been quiet for a moment (or after 2 s anyway).
    if (m_draining)
        return;
    m_draining = true;
    sendError(ErrorCode::RateLimited, QStringLiteral("Too many messages: closing the connection."));
    auto *quiet = new QTimer(this);
    quiet->setSingleShot(true);
    quiet->setObjectName(QStringLiteral("quiet"));
    connect(quiet, &QTimer::timeout, this, [this, code, reason] { close(code, reason); });
    quiet->start(QuietMs);
    QTimer::singleShot(2000, this, [this, code, reason] {
        if (!m_finished)
            close(code, reason);
    });
}

void Session::noteDraining()
{
    if (auto *quiet = findChild<QTimer *>(QStringLiteral("quiet")))
        quiet->start(QuietMs);
}

void Session::onChannelAlive()
{
    m_lastHeard.restart();
}

void Session::onChannelClosing()
{
    m_closing = true;
}

void Session::onChannelUnsupported()
{
    m_lastHeard.restart();
    if (m_draining) {
        noteDraining();
        return;
    }
    if (!admitInvalid())
        return;
    sendError(ErrorCode::BinaryUnsupported,
              QStringLiteral("Binary frames are not supported; send JSON text."));
}

void Session::onChannelMessage(const QByteArray &message)
{
    m_lastHeard.restart();
    if (m_draining) {
        noteDraining();
        return;
    }
    if (m_wait && !m_wait->answered) {
        if (m_wait->deferred.size() >= Wait::MaxDeferred) {
            sendError(ErrorCode::ServerBusy,
                      QStringLiteral("Wait for the answer to your hello before sending more."));
            close(PolicyCloseCode, QStringLiteral("too much sent before the name was checked"));
            return;
        }
        m_wait->deferred.append(message);
        m_channel->messageDeferred();
        return;
    }
    const DecodeResult decoded = m_channel->codec().decode(message, m_ctx.limits);
    if (const auto *error = std::get_if<ProtocolError>(&decoded)) {
        if (admitInvalid())
            send(*error);
        return;
    }
    const Request &r = std::get<Request>(decoded);
    if (!admit(r.type, r.clientId))
        return;
    dispatch(r);
}

void Session::dispatch(const Request &r)
{
    const Request *outer = std::exchange(m_request, &r);
    switch (r.type) {
    case RequestType::Hello:
        // The hello that identifies the connection decides, for all its rooms.
        if (!m_identity)
            m_batchPresence = r.batchPresence;
        handleHello(r);
        break;
    case RequestType::Join:
        handleJoin(r);
        break;
    case RequestType::Leave:
        handleLeave(r);
        break;
    case RequestType::Chat:
        handleChat(r);
        break;
    case RequestType::Typing:
        handleTyping(r);
        break;
    case RequestType::History:
        handleHistory(r);
        break;
    case RequestType::Register:
    case RequestType::Login:
        handleSignIn(r);
        break;
    case RequestType::Logout:
        handleLogout();
        break;
    case RequestType::Devices:
        handleDevices();
        break;
    case RequestType::Revoke:
        handleRevoke(r);
        break;
    case RequestType::CreateRoom:
        handleCreateRoom(r);
        break;
    case RequestType::Invite:
        handleInvite(r);
        break;
    case RequestType::Topic:
        handleTopic(r);
        break;
    case RequestType::OpenDm:
        handleOpenDm(r);
        break;
    case RequestType::Kick:
        handleKick(r);
        break;
    case RequestType::Mute:
    case RequestType::Unmute:
        handleMute(r);
        break;
    case RequestType::Ban:
    case RequestType::Unban:
        handleBan(r);
        break;
    case RequestType::DeleteMessage:
        handleDelete(r);
        break;
    case RequestType::SetRole:
        handleSetRole(r);
        break;
    case RequestType::Audit:
        handleAudit(r);
        break;
    case RequestType::Rooms:
        if (!m_identity
            && (!m_ctx.access.token.isEmpty()
                || (m_ctx.accounts && !m_ctx.accounts->options().guests))) {
            // Room names are the server's content: not for whoever lacks the password.
            sendError(ErrorCode::NotIdentified,
                      m_ctx.accounts ? QStringLiteral("Sign in first.")
                                     : QStringLiteral("Say hello with the password first."));
            break;
        }
        handleRooms();
        break;
    }
    m_request = outer;
}

bool Session::identify(const QString &asked, const QString &ref, bool viaHello)
{
    if (m_identity) {
        const QString shown = nameToClaim(asked, ref, false);
        if (sameName(shown.isEmpty() ? asked : shown, m_identity->username()))
            return true;
        sendError(ErrorCode::AlreadyIdentified,
                  QStringLiteral("This connection is already identified as %1.")
                      .arg(m_identity->username()),
                  ref);
        return false;
    }
    const QString username = nameToClaim(asked, ref, true);
    if (username.isEmpty())
        return false;
    if (m_signedIn && !m_signedIn->outcome.error) {
        // A sign-in takes its own account's identity back if it is parked (a
        // dropped connection); one that is live speaks on another connection.
        Identity *held = m_ctx.identities->find(username);
        // On a cluster the name was asked of the other servers first: the
        // identity the answer made is this sign-in's own, not someone else's.
        if (held && m_wait && m_wait->answered && m_wait->identity == held)
            held = nullptr;
        if (held) {
            if (!held->isSignedIn()) {
                // Only an account's own sign-ins hold its name; anything else
                // holding it is a bug, and this sign-in must not join it.
                m_signedIn.reset();
                sendError(ErrorCode::SignedInElsewhere,
                          QStringLiteral("%1 is in use on another connection.").arg(username), ref);
                return false;
            }
            // Parked (its connection dropped): taken back with its rooms; live:
            // this connection is one more of the account's devices.
            if (Identity *back = m_ctx.identities->resume(username, held->token())) {
                attach(back);
                if (viaHello)
                    back->setResumable(true);
                takeSignIn(back);
                sendIdentified(back);
                return true;
            }
        }
    }
    const Claim claim = claimName(username);
    if (!claim.identity) {
        if (m_signedIn && !claim.waiting && !claim.unavailable) {
            // Held on another server of the cluster: devices of one account
            // share a server for now (docs/protocol.md, "Accounts").
            m_signedIn.reset();
            sendError(ErrorCode::SignedInElsewhere,
                      QStringLiteral("%1 is signed in on another server.").arg(username), ref);
            return false;
        }
        refuseName(claim, username, ref);
        return false;
    }
    Identity *identity = claim.identity;
    m_identity = identity;
    identity->setSession(this);
    identity->setResumable(viaHello);
    takeSignIn(identity);
    qCInfo(lcSession).noquote() << "identify" << peer() << "as" << username;
    sendIdentified(identity);
    return true;
}

bool Session::identifyAsGuest()
{
    if (m_ctx.accounts && !m_ctx.accounts->options().guests) {
        sendError(ErrorCode::AccountRequired, QStringLiteral("Sign in to chat on this server."));
        return false;
    }
    // "guest-" and four digits; a few tries, then five digits, and so on.
    for (int digits = 4; digits <= 8; ++digits) {
        for (int attempt = 0; attempt < 8; ++attempt) {
            // With names shared, the one asked about comes back with its answer.
            const QString name = m_wait && m_wait->answered && !m_wait->read && !m_wait->account
                    && !m_wait->takeOver
                ? m_wait->username
                : QStringLiteral("guest-")
                    + QString::number(QRandomGenerator::global()->bounded(
                        int(std::pow(10, digits - 1)), int(std::pow(10, digits))));
            const Claim claim = claimName(name);
            if (claim.waiting)
                return false;
            if (claim.unavailable) {
                refuseName(claim, name, {});
                return false;
            }
            if (Identity *identity = claim.identity) {
                m_identity = identity;
                identity->setSession(this);
                identity->setGuest(true);
                qCInfo(lcSession).noquote() << "identify" << peer() << "as guest" << name;
                sendIdentified(identity);
                return true;
            }
        }
    }
    sendError(ErrorCode::ServerBusy, QStringLiteral("No guest name is free; give a name."));
    return false;
}

bool Session::rename(const QString &asked, const QString &ref)
{
    // A guest takes a name of their own: the rooms see the guest leave and the
    // name join, in the same rooms, in the same order.
    const QString username = nameToClaim(asked, ref, true);
    if (username.isEmpty())
        return false;
    const Claim claim = claimName(username);
    if (!claim.identity) {
        refuseName(claim, username, ref);
        return false;
    }
    Identity *named = claim.identity;
    Identity *guest = m_identity;
    const QStringList rooms = guest->rooms();
    qCInfo(lcSession).noquote() << "rename" << peer() << guest->username() << "to" << username;
    m_identity = named;
    named->setSession(this);
    named->setResumable(guest->isResumable());
    guest->setSession(nullptr);
    for (const QString &name : rooms) {
        if (Room *room = m_ctx.rooms->find(name))
            unsubscribe(room);
    }
    m_ctx.identities->release(guest); // it leaves its rooms (an empty one may go)
    sendIdentified(named);
    for (const QString &name : rooms) {
        Room *room = m_ctx.rooms->findOrCreate(name);
        named->enterRoom(name);
        subscribe(room);
        room->addMember(named->username());
    }
    return true;
}

bool Session::checkToken(const QString &token)
{
    if (m_ctx.access.token.isEmpty() || sameSecret(token, m_ctx.access.token))
        return true;
    qCInfo(lcSession).noquote() << "wrong or missing password from"
                                << peer(); // never the token itself
    sendError(ErrorCode::Unauthorized, QStringLiteral("This server needs the right password."));
    close(UnauthorizedCloseCode, QStringLiteral("unauthorized"));
    return false;
}

void Session::handleHello(const Request &r)
{
    if (r.cookie && r.accountToken.isEmpty() && r.jwt.isEmpty()) {
        // The browser's HttpOnly cookie stands for the account token.
        if (!m_cookieToken) {
            sendError(ErrorCode::NotSignedIn,
                      QStringLiteral("This connection carries no sign-in cookie."));
            return;
        }
        Request withToken = r;
        withToken.accountToken = *m_cookieToken;
        withToken.cookie = false;
        handleHello(withToken);
        return;
    }
    if (!m_identity && !checkToken(r.token))
        return;
    if (!signInWithToken(r))
        return; // asked (it runs again with the answer), or refused
    QString asked = r.username;
    if (m_signedIn)
        asked = m_signedIn->outcome.signedIn.account.name;
    else if (m_identity && !r.accountToken.isEmpty())
        asked = m_identity->username();
    const QString shown = nameToClaim(asked, {}, false);
    if (m_identity && sameName(shown.isEmpty() ? asked : shown, m_identity->username())) {
        sendIdentified(m_identity);
        return;
    }
    if (m_identity && m_identity->isGuest()) {
        rename(asked, {});
        return;
    }
    // A signed-in account comes back with its account token, never with the
    // resume token alone: that token is the identity's, shared by its devices,
    // and a device that signed out still knows it.
    const Identity *heldAsked = m_ctx.identities->find(asked);
    const bool accountHeld = heldAsked && heldAsked->isSignedIn();
    if (!m_identity && !r.resume.isEmpty() && !m_signedIn && !accountHeld) {
        // The resume token is the proof: the name may be the one asked or its
        // guest form (accounts servers).
        Identity *resumed = m_ctx.identities->resume(asked, r.resume);
        if (!resumed && !shown.isEmpty() && !sameName(shown, asked))
            resumed = m_ctx.identities->resume(shown, r.resume);
        if (resumed) {
            attach(resumed); // here, or taken over from another server just now
            takeSignIn(resumed);
            sendIdentified(resumed);
            return;
        }
        const QString held = shown.isEmpty() ? asked : shown;
        if (m_wait && m_wait->answered && !m_wait->read && !m_wait->account) {
            if (m_wait->takeOver)
                m_wait.reset(); // refused: the name is asked for anew below
        } else if (m_ctx.identities->isShared()) {
            // Perhaps dropped on another server: take it over from there.
            waitForName(held, true);
            m_ctx.identities->resumeShared(
                held, r.resume,
                [self = QPointer<Session>(this), registry = m_ctx.identities](
                    Identity *identity, IdentityRegistry::Refusal refusal) {
                    if (self)
                        self->onNameAnswer(identity,
                                           refusal == IdentityRegistry::Refusal::Unavailable);
                    else if (identity)
                        registry->release(identity);
                });
            return;
        }
        qCInfo(lcSession).noquote()
            << "resume refused for" << held << "(unknown or expired session)";
    }
    identify(asked, {}, true);
}

void Session::attach(Identity *identity)
{
    m_identity = identity;
    if (identity->isSignedIn()) {
        identity->addDevice(this);
    } else {
        if (Session *previous = identity->session(); previous && previous != this)
            previous->detachReplaced();
        identity->setSession(this);
    }
    for (const QString &name : identity->rooms()) {
        if (Room *room = m_ctx.rooms->find(name))
            subscribe(room);
    }
    qCInfo(lcSession).noquote() << "resume" << peer() << "as" << identity->username() << "rooms"
                                << identity->rooms().size();
}

void Session::detachReplaced()
{
    if (m_identity) {
        for (const QString &name : m_identity->rooms()) {
            if (Room *room = m_ctx.rooms->find(name))
                unsubscribe(room);
        }
        m_identity->removeSession(this);
        m_identity = nullptr;
    }
    close(ReplacedCloseCode, QStringLiteral("resumed on another connection"));
}

void Session::sendIdentified(const Identity *identity)
{
    send(Event::Identified {identity->username(), identity->token(),
                            identity->isSignedIn() ? identity->rooms() : QStringList {}});
}

void Session::onChannelGone(int closeCode)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_ctx.counters)
        m_ctx.counters->countClose(
            closeCode, m_weClosed ? ChatCounters::Side::Server : ChatCounters::Side::Client);
    qCInfo(lcSession).noquote() << "disconnect" << peer()
                                << (m_identity ? m_identity->username() : QStringLiteral("-"))
                                << "code" << closeCode;
    if (m_identity) {
        for (const QString &name : m_identity->rooms()) {
            if (Room *room = m_ctx.rooms->find(name))
                unsubscribe(room);
        }
        if (m_identity->sessionCount() > 1) {
            // Another device of the account goes on: nobody leaves.
            m_identity->removeSession(this);
            m_identity = nullptr;
            if (m_ctx.sessionFinished)
                m_ctx.sessionFinished(this);
            return;
        }
        // A client that closed the connection itself leaves now; one whose connection
        // dropped (or that we dropped for silence) may come back and resume.
        const bool dropped
            = (!m_closing && !m_dropping) || (m_weClosed && m_closeCodeSent == SilenceCloseCode);
        if (!dropped || !m_identity->isResumable())
            m_ctx.identities->release(m_identity);
        else
            m_ctx.identities->park(m_identity);
        m_identity = nullptr;
    }
    if (m_ctx.sessionFinished)
        m_ctx.sessionFinished(this);
}

} // namespace Chat
