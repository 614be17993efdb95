// Client connection: protocol, reconnect, resume, outbox.
#include "chatconnection.h"

#include <QSysInfo>

#include "clientlogging.h"
#include "requests.h"

namespace Chat {

namespace {
constexpr int ConnectTimeoutMs = 10000;
constexpr int LivenessIntervalMs = 15000; // a ping; two unanswered ones mean the link is dead
constexpr int RetryPauseMs = 500; // a refused (rate-limited, store-failed) message waits this long
constexpr int PaceMarginMs = 20; // added to each wait for the rate limit
} // namespace

ChatConnection::ChatConnection(QObject *parent) : QObject(parent)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ChatConnection::open);
    m_connectTimeout.setSingleShot(true);
    connect(&m_connectTimeout, &QTimer::timeout, this, [this] {
        qCInfo(lcConnection) << "connecting timed out";
        if (m_socket)
            m_socket->abort();
    });
    m_paceTimer.setSingleShot(true);
    connect(&m_paceTimer, &QTimer::timeout, this, &ChatConnection::pumpOutbox);
    // Another name's outbox: what was in flight is not one of its items.
    connect(&m_outbox, &Outbox::reloaded, this, [this] { m_inFlight.clear(); });
    m_liveness.setInterval(LivenessIntervalMs);
    connect(&m_liveness, &QTimer::timeout, this, &ChatConnection::onLivenessCheck);
}

ChatConnection::~ChatConnection()
{
    m_wanted = false;
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
    }
}

void ChatConnection::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void ChatConnection::connectToServer(const QUrl &url, const QString &username, const QString &token)
{
    if (m_username.compare(username, Qt::CaseInsensitive) != 0)
        m_session.clear(); // a session belongs to one name
    m_url = url;
    m_username = username;
    m_token = token;
    m_wanted = true;
    m_backoff.reset();
    open();
}

void ChatConnection::disconnectFromServer()
{
    m_wanted = false;
    m_retryTimer.stop();
    m_liveness.stop();
    if (m_socket)
        m_socket->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("bye"));
    setState(State::Offline);
}

void ChatConnection::retryNow()
{
    if (m_state == State::Reconnecting) {
        m_retryTimer.stop();
        open();
    }
}

void ChatConnection::setAccountToken(const QString &token)
{
    m_accountToken = token;
}

void ChatConnection::registerAccount(const QString &username, const QString &password,
                                     const QString &invite, const QString &device)
{
    m_registering = true;
    m_invite = invite;
    startSignIn(username, password, device);
}

void ChatConnection::signIn(const QString &username, const QString &password, const QString &device)
{
    m_registering = false;
    m_invite.clear();
    startSignIn(username, password, device);
}

void ChatConnection::startSignIn(const QString &username, const QString &password,
                                 const QString &device)
{
    m_username = username;
    m_password = password;
    m_device = device;
    m_accountToken.clear();
    if (canIdentify())
        sendHello();
    else if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        return; // the welcome is on its way: it says hello
    else if (!m_url.isEmpty()) {
        m_wanted = true;
        m_backoff.reset();
        open();
    }
}

void ChatConnection::signOut()
{
    if (isOnline() && !m_accountToken.isEmpty())
        send(Requests::logout());
    m_accountToken.clear();
    m_session.clear();
    emit accountTokenChanged({});
}

void ChatConnection::sendHello()
{
    setState(State::Identifying);
    if (!m_password.isEmpty()) {
        send(m_registering ? Requests::registerAccount(m_username, m_password, m_invite, m_device)
                           : Requests::login(m_username, m_password, m_device));
        m_registering = false;
        m_invite.clear();
        m_password.fill(QChar(u'\0'));
        m_password.clear();
        return;
    }
    if (!m_accountToken.isEmpty()) {
        send(Requests::batchingPresence(Requests::helloWithAccount(
            m_accountToken, m_session, QStringLiteral("chat-client"), m_token)));
        return;
    }
    send(Requests::batchingPresence(
        Requests::hello(m_username, m_token, m_session, QStringLiteral("chat-client"))));
}

void ChatConnection::request(const QJsonObject &object)
{
    if (isOnline())
        send(object);
}

void ChatConnection::handle(const ServerMessage::AccountEvent &e)
{
    emit accountEvent(e.type, e.fields);
}

void ChatConnection::handle(const ServerMessage::SignedIn &s)
{
    m_role = s.role;
    if (!s.token.isEmpty() && s.token != m_accountToken) {
        m_accountToken = s.token;
        emit accountTokenChanged(m_accountToken);
    }
}

void ChatConnection::identifyAs(const QString &username)
{
    m_username = username;
    m_session.clear();
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
        setState(State::Identifying);
        send(Requests::batchingPresence(
            Requests::hello(m_username, m_token, {}, QStringLiteral("chat-client"))));
    }
}

bool ChatConnection::canIdentify() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState
        && m_state == State::Identifying;
}

void ChatConnection::open()
{
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::connected, this, &ChatConnection::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &ChatConnection::onDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &ChatConnection::onTextMessage);
    connect(m_socket, &QWebSocket::pong, this, [this] { m_missedPongs = 0; });
    connect(m_socket, &QWebSocket::sslErrors, this, &ChatConnection::onSslErrors);
    setState(State::Connecting);
    qCDebug(lcConnection) << "connecting to" << m_url;
    m_connectTimeout.start(ConnectTimeoutMs);
    m_socket->open(m_url);
}

void ChatConnection::onConnected()
{
    m_connectTimeout.stop();
    m_missedPongs = 0;
    m_liveness.start();
    qCInfo(lcConnection) << "connected to" << m_url;
}

void ChatConnection::onDisconnected()
{
    m_connectTimeout.stop();
    m_liveness.stop();
    m_joined.clear();
    m_inFlight.clear();
    m_paceTimer.stop();
    m_outbox.markAllUnsent();
    if (m_socket)
        qCDebug(lcConnection) << "disconnected:" << m_socket->closeCode() << m_socket->closeReason()
                              << m_socket->errorString();
    if (!m_wanted) {
        setState(State::Offline);
        return;
    }
    scheduleReconnect();
}

void ChatConnection::scheduleReconnect()
{
    const qint64 delay = m_backoff.nextDelay();
    // One line per attempt at debug level only: a server down for an hour costs
    // one timer wake-up per attempt (at most every 30 s) and no log noise.
    qCDebug(lcConnection) << "reconnecting in" << delay << "ms";
    m_retryTimer.start(int(delay));
    setState(State::Reconnecting);
    emit reconnectScheduled(delay);
}

QString ChatConnection::hostPort() const
{
    return QStringLiteral("%1:%2")
        .arg(m_url.host())
        .arg(m_url.port(m_url.scheme() == QLatin1String("wss") ? 443 : 80));
}

void ChatConnection::onSslErrors(const QList<QSslError> &errors)
{
    if (!m_pins || errors.isEmpty())
        return; // normal checks: the connection fails
    const QSslCertificate certificate = m_socket->sslConfiguration().peerCertificate();
    const QString fingerprint = CertificatePins::fingerprintOf(certificate);
    const QString pinned = m_pins->pinned(hostPort());
    if (!pinned.isEmpty() && pinned == fingerprint) {
        // The certificate the user accepted before: its only fault is that no
        // authority signed it, which is what pinning replaces.
        m_socket->ignoreSslErrors(errors);
        return;
    }
    qCInfo(lcConnection) << "untrusted certificate from" << hostPort() << fingerprint;
    // Stop trying until the user has decided.
    m_wanted = false;
    m_retryTimer.stop();
    emit certificateUntrusted(hostPort(), fingerprint, pinned);
}

void ChatConnection::onLivenessCheck()
{
    if (++m_missedPongs > 2) {
        qCInfo(lcConnection) << "server stopped answering pings; reconnecting";
        m_socket->abort();
        return;
    }
    m_socket->ping();
}

void ChatConnection::send(const QJsonObject &object)
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->sendTextMessage(QString::fromUtf8(encode(object)));
}

void ChatConnection::join(const QString &room)
{
    m_left.remove(room);
    if (!m_rooms.contains(room))
        m_rooms.append(room);
    if (isOnline())
        sendJoin(room);
}

void ChatConnection::sendJoin(const QString &room)
{
    const auto last = m_lastIds.constFind(room);
    send(Requests::join(
        room, last != m_lastIds.constEnd() ? std::optional<qint64>(*last) : std::nullopt));
}

void ChatConnection::leave(const QString &room)
{
    m_left.insert(room); // a joined still on its way is not a join from another device
    m_rooms.removeAll(room);
    m_joined.remove(room);
    m_lastIds.remove(room);
    m_outbox.dropRoom(room);
    if (isOnline())
        send(Requests::leave(room));
}

OutboxItem ChatConnection::sendMessage(const QString &room, const QString &text)
{
    const OutboxItem item = m_outbox.add(room, text);
    pumpOutbox();
    return item;
}

void ChatConnection::pumpOutbox()
{
    // One message in flight at a time, in the order the user typed them: a
    // refused one is sent again before anything typed after it, and none is
    // sent faster than the server's rate limit (welcome.limits) allows.
    if (!isOnline() || !m_inFlight.isEmpty() || m_paceTimer.isActive())
        return;
    const std::optional<OutboxItem> next = m_outbox.firstUnsent(m_joined);
    if (!next)
        return;
    if (const qint64 wait = m_chatBucket.msUntilAvailable(); wait > 0) {
        // A little later than our copy of the bucket says: the server counts when
        // a message arrives, and arrival times jitter.
        m_paceTimer.start(int(wait + PaceMarginMs));
        return;
    }
    m_chatBucket.take();
    m_inFlight = next->clientId;
    m_outbox.markSent(next->clientId);
    send(Requests::chat(next->room, next->text, next->clientId));
}

void ChatConnection::sendTyping(const QString &room, bool active)
{
    if (isOnline() && m_joined.contains(room))
        send(Requests::typing(room, active));
}

void ChatConnection::requestHistory(const QString &room, std::optional<qint64> before, int limit)
{
    if (isOnline() && m_joined.contains(room))
        send(Requests::history(room, before, limit));
}

void ChatConnection::requestRooms()
{
    send(Requests::rooms());
}

void ChatConnection::noteId(const QString &room, qint64 id)
{
    qint64 &last = m_lastIds[room];
    last = std::max(last, id);
}

void ChatConnection::onTextMessage(const QString &text)
{
    m_missedPongs = 0;
    std::visit([this](const auto &event) { handle(event); }, ServerMessage::decode(text.toUtf8()));
}

void ChatConnection::handle(const ServerMessage::Ignored &)
{
    qCDebug(lcConnection) << "dropped a frame that is not a valid server message";
}

void ChatConnection::handle(const ServerMessage::Member &m)
{
    if (m.joined)
        emit userJoined(m.room, m.username, m.usersInRoom);
    else
        emit userLeft(m.room, m.username, m.usersInRoom);
}

void ChatConnection::handle(const ServerMessage::Presence &p)
{
    emit presenceChanged(p.room, p.joined, p.left, p.usersInRoom);
}

void ChatConnection::handle(const ServerMessage::Typing &t)
{
    emit typingChanged(t.room, t.username, t.active);
}

void ChatConnection::handle(const ServerMessage::History &h)
{
    emit historyReceived(h.room, h.messages, h.more);
}

void ChatConnection::handle(const ServerMessage::Rooms &r)
{
    emit roomsListed(r.rooms);
}

void ChatConnection::handle(const ServerMessage::Welcome &w)
{
    m_limits = w.limits;
    // The server's bucket for this connection starts full: so does ours, which
    // paces the outbox so that the server never has to refuse a message.
    m_chatBucket = TokenBucket(m_limits.ratePerSecond, m_limits.rateBurst);
    m_serverAccounts = w.accounts.value(QLatin1String("passwords")).toBool();
    m_serverGuests = w.accounts.value(QLatin1String("guests")).toBool();
    m_serverRegistration = w.accounts.value(QLatin1String("registration")).toString();
    if (m_serverAccounts && w.auth != QLatin1String("token") && !m_token.isEmpty()
        && m_accountToken.isEmpty() && m_password.isEmpty()) {
        // One password field for both: here it can only be the account's.
        m_password = std::exchange(m_token, QString());
        m_device = QSysInfo::prettyProductName();
        emit passwordWasAccountPassword();
    }
    sendHello();
}

void ChatConnection::handle(const ServerMessage::Identified &i)
{
    const bool resumed = !m_session.isEmpty() && i.session == m_session;
    m_session = i.session;
    m_username = i.username;
    m_backoff.reset();
    m_left.clear();
    qCInfo(lcConnection) << (resumed ? "resumed as" : "identified as") << m_username;
    setState(State::Online);
    emit identified(m_username);
    if (!m_role.isEmpty()) {
        // Signed in: the rooms its devices are in, and its private rooms and
        // direct messages (roomsListed), which may be new to this one.
        if (!i.rooms.isEmpty())
            emit accountRoomsKnown(i.rooms);
        requestRooms();
    }
    // Re-join every room with `since`, so nothing said meanwhile is missed; the
    // outbox of a room is flushed once its `joined` arrives.
    for (const QString &room : std::as_const(m_rooms))
        sendJoin(room);
}

void ChatConnection::handle(const ServerMessage::Joined &j)
{
    const QString &room = j.room;
    if (!m_rooms.contains(room)) {
        // Another device of the account joined it: so does this one (the
        // join it sends brings the history). Unless this one left it.
        if (!m_role.isEmpty() && !m_left.contains(room))
            emit accountRoomsKnown({room});
        return;
    }
    if (j.reset)
        m_lastIds.remove(room);
    for (const ChatMessage &m : j.history)
        noteId(room, m.id);
    m_joined.insert(room);
    emit roomJoined(room, j.users, j.history, j.more, j.reset);
    // Confirm outbox items the server already has (sent before a drop): they come
    // back as history with their clientId.
    for (const ChatMessage &m : j.history)
        confirmOwn(m);
    pumpOutbox();
}

void ChatConnection::handle(const ChatMessage &message)
{
    noteId(message.room, message.id);
    confirmOwn(message);
    emit messageReceived(message);
    pumpOutbox();
}

void ChatConnection::confirmOwn(const ChatMessage &m)
{
    if (m.clientId.isEmpty() || m.username.compare(m_username, Qt::CaseInsensitive) != 0)
        return;
    m_outbox.confirm(m.clientId);
    if (m.clientId == m_inFlight)
        m_inFlight.clear();
}

void ChatConnection::handle(const ServerMessage::Error &e)
{
    const QString &code = e.code;
    const QString &message = e.message;
    const QString &ref = e.ref;
    qCInfo(lcConnection) << "server error" << code << message;
    static const QStringList accountRefusals = {
        QStringLiteral("account-required"),
        QStringLiteral("bad-credentials"),
        QStringLiteral("bad-account-token"),
        QStringLiteral("throttled"),
        QStringLiteral("banned"),
        QStringLiteral("account-disabled"),
        QStringLiteral("not-signed-in"),
        QStringLiteral("registration-closed"),
        QStringLiteral("bad-invite"),
        QStringLiteral("weak-password"),
    };
    if (m_state == State::Identifying
        && (code == QLatin1String("name-taken") || code == QLatin1String("bad-username")
            || code == QLatin1String("unauthorized") || accountRefusals.contains(code))) {
        m_session.clear();
        if (code == QLatin1String("unauthorized"))
            m_wanted = false; // the server closes; retrying with the same password is pointless
        if (code == QLatin1String("bad-account-token") || code == QLatin1String("banned")
            || code == QLatin1String("account-disabled")) {
            // That sign-in is over: forget the token, and ask the person again.
            m_accountToken.clear();
            emit accountTokenChanged({});
        }
        emit identifyFailed(code, message);
        return;
    }
    if (!ref.isEmpty() && m_outbox.contains(ref)) {
        if (ref == m_inFlight)
            m_inFlight.clear();
        if (code == QLatin1String("rate-limited") || code == QLatin1String("store-failed")) {
            // Not stored, but it can be: send it again, first in line, after a pause.
            m_outbox.markUnsent(ref);
            m_chatBucket.drain();
            m_paceTimer.start(int(std::max<qint64>(RetryPauseMs, m_chatBucket.msUntilAvailable())));
            return;
        }
        // Refused for good (too long, bad text, not in the room): it will never be stored.
        m_outbox.drop(ref);
        emit sendFailed(ref, message);
        pumpOutbox();
        return;
    }
    emit serverError(code, message, ref);
}

} // namespace Chat
