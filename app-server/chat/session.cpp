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

void Session::handleJoin(const Request &r)
{
    if (!m_identity && r.username.isEmpty() && r.guest) {
        if (!checkToken({}))
            return;
        if (!identifyAsGuest())
            return;
    }
    if (!m_identity && r.username.isEmpty()) {
        sendError(ErrorCode::NotIdentified,
                  QStringLiteral("Say hello with a username, or join with one."));
        return;
    }
    if (!m_identity && !checkToken({}))
        return; // the documents' join carries no password
    if (!r.username.isEmpty() && m_identity && m_identity->isGuest()
        && !sameName(r.username, m_identity->username()) && !rename(r.username, {}))
        return;
    if (!r.username.isEmpty() && !identify(r.username, {}, false))
        return;
    if (r.guest && !r.username.isEmpty() && m_identity->rooms().isEmpty())
        m_identity->setGuest(true); // a guest coming back under its guest name
    if (!m_identity->isIn(r.room) && !admitToRoom(r.room))
        return;
    if (!m_identity->isIn(r.room)) {
        if (m_identity->rooms().size() >= m_ctx.access.maxRoomsPerUser) {
            sendError(ErrorCode::TooManyRooms,
                      QStringLiteral("You can be in at most %1 rooms; leave one first.")
                          .arg(m_ctx.access.maxRoomsPerUser));
            return;
        }
        if (!m_ctx.rooms->find(r.room) && m_ctx.rooms->count() >= m_ctx.access.maxRooms) {
            sendError(ErrorCode::ServerBusy,
                      QStringLiteral("The server has too many rooms open; try an existing one."));
            return;
        }
    }

    MessageStore::Page page;
    bool reset = false;
    // Messages above the watermark are committed but not yet delivered here:
    // they reach this client live, after the join, and not in its history too.
    const qint64 last = m_ctx.rooms->delivered(r.room);
    // A shared store is read on the reader's thread: the join runs again with
    // the page in hand.
    if (ReadAnswer answer; m_ctx.reader) {
        if (!readInHand(r.room, last, &answer, true, r.since.value_or(-1)))
            return;
        page = std::move(answer.page);
        reset = answer.reset;
    } else {
        if (r.since) {
            const qint64 first = m_ctx.store->firstId(r.room);
            // Messages after `since` were deleted by retention, or `since` is an id
            // this store never gave: the client must reload rather than show a gap.
            const bool gap = *r.since < last && (first == 0 || *r.since + 1 < first);
            reset = *r.since > last || gap;
        }
        if (r.since && !reset)
            page = m_ctx.store->after(r.room, *r.since, m_ctx.limits.historyPageMax);
        else
            page = m_ctx.store->before(r.room, last + 1, m_ctx.limits.historyOnJoin);
    }
    cutAtWatermark(page, last);
    Room *room = m_ctx.rooms->findOrCreate(r.room);

    const bool rejoin = m_identity->isIn(r.room);
    m_identity->enterRoom(r.room);
    QStringList users = room->usernames();
    if (!rejoin && !room->hasMemberAnywhere(m_identity->username())) {
        // The list is sorted by key already: the joiner goes in its place
        // (log N keys made, not N log N: a room of 5,000 filling made 10^8).
        const QString key = Validation::usernameKey(m_identity->username());
        const auto at = std::lower_bound(users.begin(), users.end(), key,
                                         [](const QString &user, const QString &k) {
                                             return Validation::usernameKey(user) < k;
                                         });
        users.insert(at, m_identity->username());
    }
    send(Event::Joined {r.room, users, page.messages, page.more, reset});
    if (!rejoin) {
        subscribe(room);
        // The account's other devices are in the room too, from now on.
        for (Session *device : m_identity->sessions()) {
            if (device != this && !device->m_finished) {
                device->subscribe(room);
                device->send(Event::Joined {r.room, users, page.messages, page.more, reset});
            }
        }
        room->addMember(m_identity->username());
        qCInfo(lcSession).noquote()
            << "join" << m_identity->username() << r.room << "users" << room->memberCount();
    }
}

void Session::cutAtWatermark(MessageStore::Page &page, qint64 watermark)
{
    // Only `after` can reach past the watermark (`before` is bounded by it); what
    // it leaves out arrives live.
    while (!page.messages.isEmpty() && page.messages.constLast().id > watermark)
        page.messages.removeLast();
}

void Session::subscribe(Room *room)
{
    // Unique: a device that joins a room another device of the account joined
    // already is subscribed once.
    room->subscribe(this, this);
}

void Session::sendIdentified(const Identity *identity)
{
    send(Event::Identified {identity->username(), identity->token(),
                            identity->isSignedIn() ? identity->rooms() : QStringList {}});
}

void Session::onRoomEvent(const Broadcast &event, const QString &skipUsername)
{
    if (!skipUsername.isEmpty() && m_identity && skipUsername == m_identity->username())
        return;
    if (m_dropping || m_finished)
        return;
    m_channel->sendBroadcast(event); // the bytes are shared with every other recipient
    scheduleFlush();
    if (m_ctx.counters) {
        using Delivery = ChatCounters::Delivery;
        const ServerEvent &e = event.event();
        const Delivery kind = std::holds_alternative<ChatMessage>(e) ? Delivery::Message
            : std::holds_alternative<Event::Typing>(e)               ? Delivery::Typing
                                                                     : Delivery::Presence;
        ++m_ctx.counters->deliveries[int(kind)];
    }
}

void Session::unsubscribe(Room *room)
{
    room->unsubscribe(this);
}

Room *Session::memberRoom(const QString &name, const QString &ref)
{
    if (!m_identity) {
        sendError(ErrorCode::NotIdentified, QStringLiteral("Join a room with a username first."),
                  ref);
        return nullptr;
    }
    const QString roomName = name.isEmpty() ? m_identity->currentRoom() : name;
    if (roomName.isEmpty()) {
        sendError(ErrorCode::NotInRoom, QStringLiteral("Join a room first."), ref);
        return nullptr;
    }
    Room *room = m_identity->isIn(roomName) ? m_ctx.rooms->find(roomName) : nullptr;
    if (!room)
        sendError(ErrorCode::NotInRoom, QStringLiteral("You are not in the room %1.").arg(roomName),
                  ref);
    return room;
}

void Session::handleLeave(const Request &r)
{
    Room *room = memberRoom(r.room, {});
    if (!room)
        return;
    unsubscribe(room);
    m_identity->leaveRoom(room->name());
    qCInfo(lcSession).noquote() << "leave" << m_identity->username() << room->name();
    room->removeMember(m_identity->username());
    // The account's other devices saw the user-left with their own name; they
    // are out of the room too.
    for (Session *device : m_identity->sessions()) {
        if (device != this)
            device->unsubscribe(room);
    }
}

void Session::handleChat(const Request &r)
{
    Room *room = memberRoom(r.room, r.clientId);
    if (room && m_ctx.accounts) {
        if (const qint64 until = m_ctx.accounts->mutedUntil(
                room->name(), Validation::usernameKey(m_identity->username()))) {
            sendError(ErrorCode::Muted,
                      QStringLiteral("You are muted in %1 until %2.")
                          .arg(room->name(), formatTimestamp(until)),
                      r.clientId);
            return;
        }
    }
    if (room)
        m_ctx.posts->submit({room->name(), m_identity->username(), r.text, r.clientId,
                             QDateTime::currentMSecsSinceEpoch()},
                            this);
}

void Session::handleTyping(const Request &r)
{
    if (Room *room = memberRoom(r.room, {}))
        room->setTyping(m_identity->username(), r.active);
}

void Session::handleHistory(const Request &r)
{
    if (Room *room = memberRoom(r.room, {})) {
        const int limit = r.limit > 0 ? r.limit : m_ctx.limits.historyOnJoin;
        const qint64 last = m_ctx.rooms->delivered(room->name());
        const qint64 before = r.before.value_or(0);
        MessageStore::Page page;
        if (ReadAnswer answer; m_ctx.reader) {
            // Older pages do not move: what was read is the answer.
            if (!(m_wait && m_wait->answered && m_wait->read && m_wait->room == room->name())) {
                waitForRead(room->name(), last, Wait::MaxReadTries, -1, false);
                return;
            }
            page = std::move(std::exchange(m_wait, nullptr)->page.page);
        } else {
            page = m_ctx.store->before(room->name(), before > 0 ? qMin(before, last + 1) : last + 1,
                                       limit);
        }
        cutAtWatermark(page, last);
        send(Event::History {room->name(), page.messages, page.more});
    }
}

void Session::handleRooms()
{
    QMap<QString, int> counts;
    for (const QString &name : m_ctx.store->rooms())
        counts.insert(name, 0);
    for (const Room *room : m_ctx.rooms->rooms())
        counts.insert(room->name(), room->usersInRoom());
    QList<Reply::RoomInfo> list;
    if (!m_ctx.accounts) {
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            list.append({it.key(), it.value(), {}, false, {}});
        send(Event::RoomList {list});
        return;
    }
    // Accounts: private rooms and direct messages only to their members,
    // and every one of those, even if nobody wrote in it yet.
    const QString key
        = m_identity && m_identity->isSignedIn() ? m_identity->signIn()->key : QString();
    for (const QString &name : m_ctx.accounts->roomsOf(key)) {
        if (!counts.contains(name))
            counts.insert(name, 0);
    }
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        if (!m_ctx.accounts->mayEnter(it.key(), key))
            continue;
        Reply::RoomInfo info {it.key(), it.value(), {}, false, {}};
        if (const RoomSettings *s = m_ctx.accounts->roomSettings(it.key())) {
            info.topic = s->topic;
            info.isPrivate = s->isPrivate;
            if (s->dm)
                info.with = s->members.values();
        }
        list.append(info);
    }
    send(Event::RoomList {list});
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
