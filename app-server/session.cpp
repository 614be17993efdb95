// Per-connection protocol handling.
#include "session.h"

#include "messagestore.h"
#include "room.h"
#include "roomregistry.h"
#include "serverlogging.h"
#include "userdirectory.h"
#include "validation.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QWebSocket>

namespace Chat {

namespace {
QString newSessionToken()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex());
}
} // namespace

Session::Session(QWebSocket *socket, const ServerContext &context, QObject *parent)
    : QObject(parent), m_socket(socket), m_ctx(context)
{
    m_socket->setParent(this);
    m_peer
        = QStringLiteral("%1:%2").arg(m_socket->peerAddress().toString()).arg(m_socket->peerPort());
    m_lastHeard.start();
    connect(m_socket, &QWebSocket::textMessageReceived, this, &Session::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &Session::onBinaryMessage);
    connect(m_socket, &QWebSocket::pong, this, [this] { m_lastHeard.restart(); });
    connect(m_socket, &QWebSocket::disconnected, this, &Session::onDisconnected);
    qCInfo(lcSession).noquote() << "connect" << m_peer;
    sendJson(Reply::welcome(m_ctx.serverName, m_ctx.limits));
}

Session::~Session() = default;

void Session::sendFrame(const QString &frame)
{
    m_socket->sendTextMessage(frame);
}

void Session::sendJson(const QJsonObject &object)
{
    sendFrame(QString::fromUtf8(encode(object)));
}

void Session::sendError(ErrorCode code, const QString &message, const QString &ref)
{
    qCDebug(lcSession).noquote() << m_peer << "error" << errorCodeName(code) << message;
    sendJson(ProtocolError {code, message, ref}.toJson());
}

void Session::ping()
{
    m_socket->ping();
}

void Session::close(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    m_socket->close(code, reason);
}

void Session::onBinaryMessage(const QByteArray &)
{
    m_lastHeard.restart();
    sendError(ErrorCode::BinaryUnsupported,
              QStringLiteral("Binary frames are not supported; send JSON text."));
}

void Session::onTextMessage(const QString &text)
{
    m_lastHeard.restart();
    const DecodeResult decoded = decodeRequest(text.toUtf8(), m_ctx.limits);
    if (const auto *error = std::get_if<ProtocolError>(&decoded)) {
        sendJson(error->toJson());
        return;
    }
    const Request &r = std::get<Request>(decoded);
    switch (r.type) {
    case RequestType::Hello:
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
    case RequestType::Rooms:
        handleRooms();
        break;
    }
}

bool Session::identify(const QString &username, const QString &ref)
{
    if (!m_username.isEmpty()) {
        if (Validation::usernameKey(username) == Validation::usernameKey(m_username))
            return true;
        sendError(ErrorCode::AlreadyIdentified,
                  QStringLiteral("This connection is already identified as %1.").arg(m_username),
                  ref);
        return false;
    }
    if (!m_ctx.users->claim(username, this)) {
        sendError(ErrorCode::NameTaken,
                  QStringLiteral("The name %1 is already taken; choose another.").arg(username),
                  ref);
        return false;
    }
    m_username = username;
    m_sessionToken = newSessionToken();
    qCInfo(lcSession).noquote() << "identify" << m_peer << "as" << m_username;
    sendJson(Reply::identified(m_username, m_sessionToken));
    return true;
}

void Session::handleHello(const Request &r)
{
    if (!m_username.isEmpty()
        && Validation::usernameKey(r.username) == Validation::usernameKey(m_username)) {
        sendJson(Reply::identified(m_username, m_sessionToken));
        return;
    }
    identify(r.username, {});
}

void Session::handleJoin(const Request &r)
{
    if (m_username.isEmpty() && r.username.isEmpty()) {
        sendError(ErrorCode::NotIdentified,
                  QStringLiteral("Say hello with a username, or join with one."));
        return;
    }
    if (!r.username.isEmpty() && !identify(r.username, {}))
        return;

    Room *room = m_ctx.rooms->findOrCreate(r.room);
    MessageStore::Page page;
    bool reset = false;
    if (r.since) {
        const qint64 last = m_ctx.store->lastId(r.room);
        const qint64 first = m_ctx.store->firstId(r.room);
        const bool gap = *r.since < last && (first == 0 || *r.since + 1 < first);
        reset = *r.since > last || gap;
    }
    if (r.since && !reset)
        page = m_ctx.store->after(r.room, *r.since, m_ctx.limits.historyPageMax);
    else
        page = m_ctx.store->before(r.room, 0, m_ctx.limits.historyOnJoin);

    const bool rejoin = m_rooms.contains(r.room);
    m_rooms.removeAll(r.room);
    m_rooms.append(r.room);
    QStringList users = room->usernames();
    if (!rejoin) {
        users.append(m_username);
        std::sort(users.begin(), users.end(), [](const QString &a, const QString &b) {
            return Validation::usernameKey(a) < Validation::usernameKey(b);
        });
    }
    sendJson(Reply::joined(r.room, users, page.messages, page.more, reset));
    if (!rejoin) {
        enter(room);
        qCInfo(lcSession).noquote()
            << "join" << m_username << r.room << "users" << room->memberCount();
    }
}

void Session::enter(Room *room)
{
    connect(room, &Room::memberJoined, this,
            [this](const QString &, const QString &frame) { sendFrame(frame); });
    connect(room, &Room::memberLeft, this,
            [this](const QString &, const QString &frame) { sendFrame(frame); });
    connect(room, &Room::messagePosted, this,
            [this](const ChatMessage &, const QString &frame) { sendFrame(frame); });
    connect(room, &Room::typingChanged, this,
            [this](const QString &username, const QString &frame) {
                if (username != m_username)
                    sendFrame(frame);
            });
    room->addMember(m_username);
}

void Session::leave(Room *room)
{
    disconnect(room, nullptr, this, nullptr);
    m_rooms.removeAll(room->name());
    qCInfo(lcSession).noquote() << "leave" << m_username << room->name();
    room->removeMember(m_username);
}

Room *Session::memberRoom(const QString &name, const QString &ref)
{
    if (m_username.isEmpty()) {
        sendError(ErrorCode::NotIdentified, QStringLiteral("Join a room with a username first."),
                  ref);
        return nullptr;
    }
    if (name.isEmpty() && m_rooms.isEmpty()) {
        sendError(ErrorCode::NotInRoom, QStringLiteral("Join a room first."), ref);
        return nullptr;
    }
    const QString roomName = name.isEmpty() ? m_rooms.constLast() : name;
    if (!m_rooms.contains(roomName)) {
        sendError(ErrorCode::NotInRoom, QStringLiteral("You are not in the room %1.").arg(roomName),
                  ref);
        return nullptr;
    }
    return m_ctx.rooms->find(roomName);
}

void Session::handleLeave(const Request &r)
{
    if (Room *room = memberRoom(r.room, {}))
        leave(room);
}

void Session::handleChat(const Request &r)
{
    Room *room = memberRoom(r.room, r.clientId);
    if (!room)
        return;
    const MessageStore::NewMessage post {room->name(), m_username, r.text, r.clientId,
                                         QDateTime::currentMSecsSinceEpoch()};
    const auto stored = m_ctx.store->append({post});
    if (!stored || stored->isEmpty()) {
        sendError(ErrorCode::StoreFailed,
                  QStringLiteral("The message could not be saved; try again."), r.clientId);
        return;
    }
    const MessageStore::Appended &result = stored->constFirst();
    if (result.duplicate)
        sendJson(
            result.message.toJson()); // a retry: the sender gets the original, nobody else anything
    else
        room->publish(result.message);
}

void Session::handleTyping(const Request &r)
{
    if (Room *room = memberRoom(r.room, {}))
        room->setTyping(m_username, r.active);
}

void Session::handleHistory(const Request &r)
{
    if (Room *room = memberRoom(r.room, {})) {
        const int limit = r.limit > 0 ? r.limit : m_ctx.limits.historyOnJoin;
        const MessageStore::Page page
            = m_ctx.store->before(room->name(), r.before.value_or(0), limit);
        sendJson(Reply::history(room->name(), page.messages, page.more));
    }
}

void Session::handleRooms()
{
    QMap<QString, int> counts;
    for (const QString &name : m_ctx.store->rooms())
        counts.insert(name, 0);
    for (const Room *room : m_ctx.rooms->rooms())
        counts.insert(room->name(), room->memberCount());
    QList<Reply::RoomInfo> list;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        list.append({it.key(), it.value()});
    sendJson(Reply::rooms(list));
}

void Session::onDisconnected()
{
    if (m_finished)
        return;
    m_finished = true;
    qCInfo(lcSession).noquote() << "disconnect" << m_peer
                                << (m_username.isEmpty() ? QStringLiteral("-") : m_username)
                                << "code" << int(m_socket->closeCode());
    const QStringList rooms = m_rooms;
    for (const QString &name : rooms) {
        if (Room *room = m_ctx.rooms->find(name))
            leave(room);
    }
    if (!m_username.isEmpty())
        m_ctx.users->release(m_username, this);
    emit finished(this);
}

} // namespace Chat
