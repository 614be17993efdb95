// A chat Channel on a Socket.IO socket.
#include "socketiochannel.h"

#include "socketiocodec.h"
#include "socketioevents.h"
#include "storeworker.h"
#include "v1codec.h"

#include "engineiopacket.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <cmath>

namespace Chat {

namespace {
constexpr int MaxPendingPosts = 256;
const QString ClientDisconnect = QStringLiteral("client namespace disconnect");

QString randomClientId()
{
    return QStringLiteral("sio-")
        + QString::number(QRandomGenerator::system()->generate64(), 16).rightJustified(16, u'0');
}
} // namespace

SocketIoChannel::SocketIoChannel(SocketIoSocket *socket, const SocketIoCodec &codec,
                                 SocketIoRecovery recovery)
    : m_socket(socket), m_codec(codec), m_peer(socket->peer()), m_recovery(std::move(recovery))
{
    socket->setListener(this);
}

std::optional<QMap<QString, qint64>> SocketIoChannel::parseOffset(const QString &offset)
{
    // {"room": id, ...}: at most 1,000 rooms, each id a whole number in range.
    if (offset.size() > 100000)
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(offset.toUtf8());
    if (!doc.isObject() || doc.object().size() > 1000)
        return std::nullopt;
    QMap<QString, qint64> ids;
    const QJsonObject object = doc.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const double id = it.value().toDouble(-1);
        if (!it.value().isDouble() || id < 0 || id > 9007199254740991.0 || id != std::floor(id)
            || it.key().isEmpty() || it.key().size() > 64)
            return std::nullopt;
        ids.insert(it.key(), qint64(id));
    }
    return ids;
}

QByteArray SocketIoChannel::offsetArgument(const QMap<QString, qint64> &lastIds)
{
    // ,"{\"general\":12}": the offset as one more JSON string argument, written by
    // hand (this runs per recipient and per message). Room names have no control
    // characters; a quote or backslash in one is escaped twice, once for the
    // object and once for the string that holds it.
    QByteArray arg;
    arg.reserve(8 + 24 * lastIds.size());
    arg.append(",\"{");
    for (auto it = lastIds.cbegin(); it != lastIds.cend(); ++it) {
        if (it != lastIds.cbegin())
            arg.append(',');
        arg.append("\\\"");
        for (const char c : it.key().toUtf8()) {
            if (c == '"' || c == '\\')
                arg.append("\\\\\\").append(c);
            else
                arg.append(c);
        }
        arg.append("\\\":").append(QByteArray::number(it.value()));
    }
    arg.append("}\"");
    return arg;
}

QByteArray SocketIoChannel::withOffset(const QByteArray &packets) const
{
    if (m_recovery.pid.isEmpty())
        return packets;
    const QByteArray arg = offsetArgument(m_lastIds);
    QByteArray out;
    out.reserve(packets.size() + 8 * arg.size());
    qsizetype start = 0;
    while (start <= packets.size()) {
        qsizetype end = packets.indexOf(EngineIo::RecordSeparator, start);
        if (end < 0)
            end = packets.size();
        if (start > 0)
            out.append(EngineIo::RecordSeparator);
        const QByteArrayView packet(packets.constData() + start, end - start);
        if (packet.endsWith(']'))
            out.append(packet.chopped(1)).append(arg).append(']');
        else
            out.append(packet);
        start = end + 1;
    }
    return out;
}

void SocketIoChannel::noteMessage(const ChatMessage &message)
{
    qint64 &last = m_lastIds[message.room];
    last = std::max(last, message.id);
}

void SocketIoChannel::keepRecord(qint64 expiresMs)
{
    if (!m_recovery.writer || m_recovery.pid.isEmpty() || m_username.isEmpty() || !m_socket)
        return;
    m_recovery.writer->post(
        [record = MessageStore::Recovery {m_recovery.pid, m_socket->id(), m_username, m_resumeToken,
                                          m_guest, expiresMs}](MessageStore &store) {
            return store.saveRecovery(record);
        });
}

SocketIoChannel::~SocketIoChannel()
{
    if (m_socket)
        m_socket->setListener(nullptr);
}

const WireCodec &SocketIoChannel::codec() const
{
    return m_codec;
}

void SocketIoChannel::start(const QJsonObject &auth)
{
    if (const auto &restored = m_recovery.restored) {
        // Its name back (reattached if the identity is still parked), then each
        // room with what it missed there.
        QJsonObject hello {{QStringLiteral("type"), QStringLiteral("hello")},
                           {QStringLiteral("username"), restored->username},
                           {QStringLiteral("resume"), restored->resumeToken},
                           {QStringLiteral("client"), QStringLiteral("socket.io")}};
        for (const QLatin1String key :
             {QLatin1String("token"), QLatin1String("jwt"), QLatin1String("accountToken")}) {
            if (auth.contains(key))
                hello.insert(key, auth.value(key));
        }
        if (restored->guest) {
            hello = {{QStringLiteral("type"), QStringLiteral("join")},
                     {QStringLiteral("room"), SocketIoEvents::defaultRoom()},
                     {QStringLiteral("username"), restored->username},
                     {QStringLiteral("guest"), true}};
            m_guest = true;
        }
        deliver(hello, std::nullopt);
        m_recovering = true;
        for (auto it = m_recovery.offset.cbegin(); it != m_recovery.offset.cend() && !m_gone;
             ++it) {
            m_lastIds.insert(it.key(), it.value());
            deliver({{QStringLiteral("type"), QStringLiteral("join")},
                     {QStringLiteral("room"), it.key()},
                     {QStringLiteral("since"), double(it.value())}},
                    std::nullopt);
        }
        m_recovering = false;
        return;
    }
    // Signed in (accounts, single sign-on): the token names the user.
    if (auth.value(QLatin1String("jwt")).isString()
        || auth.value(QLatin1String("accountToken")).isString()) {
        QJsonObject hello {{QStringLiteral("type"), QStringLiteral("hello")},
                           {QStringLiteral("client"), QStringLiteral("socket.io")}};
        for (const QLatin1String key : {QLatin1String("jwt"), QLatin1String("accountToken"),
                                        QLatin1String("token"), QLatin1String("username")}) {
            if (auth.contains(key))
                hello.insert(key, auth.value(key));
        }
        deliver(hello, std::nullopt);
        return;
    }
    const QJsonValue username = auth.value(QLatin1String("username"));
    if (username.isString()) {
        QJsonObject hello {{QStringLiteral("type"), QStringLiteral("hello")},
                           {QStringLiteral("username"), username},
                           {QStringLiteral("client"), QStringLiteral("socket.io")}};
        for (const QLatin1String key : {QLatin1String("token"), QLatin1String("resume")}) {
            if (auth.contains(key))
                hello.insert(key, auth.value(key));
        }
        deliver(hello, std::nullopt);
        return;
    }
    m_guest = true;
    deliver({{QStringLiteral("type"), QStringLiteral("join")},
             {QStringLiteral("room"), SocketIoEvents::defaultRoom()},
             {QStringLiteral("guest"), true}},
            std::nullopt);
}

void SocketIoChannel::onSocketPacket(const SocketIo::Packet &packet,
                                     const QList<QByteArray> &attachments)
{
    if (!m_listener || m_gone)
        return;
    if (packet.type == SocketIo::PacketType::Ack || packet.type == SocketIo::PacketType::BinaryAck)
        return; // the chat never asks a client for an ack
    if (!attachments.isEmpty()) {
        m_dispatchAck = packet.id;
        m_dispatchType = QStringLiteral("binary");
        m_listener->onChannelUnsupported();
        m_dispatchAck.reset();
        return;
    }
    QJsonObject request = SocketIoEvents::toRequest(packet.data.toArray());
    if (request.value(QLatin1String("type")).toString() == QLatin1String("leave"))
        m_lastIds.remove(request.value(QLatin1String("room")).toString());
    // An acknowledged post needs a clientId to find its commit by: one of ours.
    if (packet.id && SocketIoEvents::isPost(request)
        && !request.contains(QLatin1String("clientId")))
        request.insert(QStringLiteral("clientId"), randomClientId());
    deliver(request, packet.id);
}

void SocketIoChannel::deliver(const QJsonObject &request, std::optional<qint64> ackId)
{
    m_dispatchAck = ackId;
    m_dispatchType = request.value(QLatin1String("type")).toString();
    m_deferredNow = false;
    m_listener->onChannelMessage(QJsonDocument(request).toJson(QJsonDocument::Compact));
    const QJsonValue clientId = request.value(QLatin1String("clientId"));
    const bool post = SocketIoEvents::isPost(request) && clientId.isString();
    if (m_dispatchAck && !m_gone && post) {
        // Answered when it is committed, now or later: by its clientId.
        if (m_pendingPosts.size() >= MaxPendingPosts)
            m_pendingPosts.erase(m_pendingPosts.begin());
        m_pendingPosts.insert(clientId.toString(), *m_dispatchAck);
        m_dispatchAck.reset();
    }
    if (std::exchange(m_deferredNow, false)) {
        // Kept by the session: its ack waits for it to be taken up.
        m_kept.push_back({m_dispatchType, m_dispatchAck});
        m_dispatchAck.reset();
        return;
    }
    finishDispatch();
}

void SocketIoChannel::beginDeferred()
{
    if (m_kept.empty())
        return;
    m_dispatchType = m_kept.front().type;
    m_dispatchAck = m_kept.front().ack;
    m_kept.pop_front();
}

void SocketIoChannel::endDeferred()
{
    finishDispatch();
}

void SocketIoChannel::finishDispatch()
{
    if (m_dispatchAck && !m_gone) {
        if (hasReply(m_dispatchType)) {
            // Answered later (the session waits for the other servers' word, or
            // the store's reader): the reply, when it comes, is the ack.
            m_laterAck = LaterAck {m_dispatchType, *m_dispatchAck};
        } else if (m_socket) {
            // Requests with no reply of their own (typing, leave): done.
            m_socket->ack(
                *m_dispatchAck,
                QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("ok")}}});
        }
    }
    m_dispatchAck.reset();
}

bool SocketIoChannel::isAccountRequest(const QString &type)
{
    static const QStringList types = {
        QStringLiteral("register"), QStringLiteral("login"),  QStringLiteral("logout"),
        QStringLiteral("devices"),  QStringLiteral("revoke"), QStringLiteral("create-room"),
        QStringLiteral("invite"),   QStringLiteral("topic"),  QStringLiteral("open-dm"),
        QStringLiteral("kick"),     QStringLiteral("mute"),   QStringLiteral("unmute"),
        QStringLiteral("ban"),      QStringLiteral("unban"),  QStringLiteral("delete"),
        QStringLiteral("set-role"), QStringLiteral("audit"),
    };
    return types.contains(type);
}

bool SocketIoChannel::hasReply(const QString &type)
{
    return type == QLatin1String("hello") || type == QLatin1String("join")
        || type == QLatin1String("history") || type == QLatin1String("rooms")
        || isAccountRequest(type);
}

bool SocketIoChannel::answers(const QString &type, const ServerEvent &event)
{
    if (std::holds_alternative<ProtocolError>(event))
        return true; // an error while a request is handled is that request's
    if (type == QLatin1String("hello"))
        return std::holds_alternative<Event::Identified>(event);
    if (type == QLatin1String("join"))
        return std::holds_alternative<Event::Joined>(event);
    if (type == QLatin1String("history"))
        return std::holds_alternative<Event::History>(event);
    if (type == QLatin1String("rooms"))
        return std::holds_alternative<Event::RoomList>(event);
    if (type == QLatin1String("create-room"))
        return std::holds_alternative<Event::Joined>(event);
    if (const auto *reply = std::get_if<Event::AccountReply>(&event))
        return reply->answers == type;
    return false;
}

void SocketIoChannel::ack(qint64 id, const ServerEvent &event)
{
    if (m_socket)
        m_socket->ack(id, QJsonArray {V1Codec::toJson(event)});
}

void SocketIoChannel::send(const QByteArray &bytes)
{
    if (m_socket)
        m_socket->sendEncoded(bytes);
}

void SocketIoChannel::sendEvent(const ServerEvent &event)
{
    if (!m_socket)
        return;
    if (const auto *identified = std::get_if<Event::Identified>(&event)) {
        if (!m_username.isEmpty() && m_username != identified->username)
            m_guest = false; // a guest that took a name
        m_username = identified->username;
        m_resumeToken = identified->session;
        // Kept from now on, so that a server killed outright still knows it; a
        // drop shortens it to the recovery window, a goodbye removes it.
        keepRecord(QDateTime::currentMSecsSinceEpoch() + 24 * 3600 * 1000);
    }
    if (const auto *joined = std::get_if<Event::Joined>(&event)) {
        qint64 &last = m_lastIds[joined->room];
        for (const ChatMessage &m : joined->history)
            last = std::max(last, m.id);
        if (m_recovering) {
            // What it missed, as the events it would have had.
            for (const ChatMessage &m : joined->history)
                send(withOffset(m_codec.encode(m)));
            return;
        }
    }
    if (m_dispatchAck && answers(m_dispatchType, event)) {
        ack(*std::exchange(m_dispatchAck, std::nullopt), event);
        return;
    }
    if (m_laterAck && !m_dispatchAck && answers(m_laterAck->type, event)) {
        ack(std::exchange(m_laterAck, std::nullopt)->id, event);
        return;
    }
    if (const auto *error = std::get_if<ProtocolError>(&event);
        error && m_pendingPosts.contains(error->ref)) {
        ack(m_pendingPosts.take(error->ref), event);
        return;
    }
    if (const auto *message = std::get_if<ChatMessage>(&event);
        message && m_pendingPosts.contains(message->clientId)) {
        ack(m_pendingPosts.take(message->clientId), event); // a retry: the original message
        return;
    }
    send(m_codec.encode(event));
}

void SocketIoChannel::sendBroadcast(const Broadcast &event)
{
    if (!m_socket)
        return;
    if (const auto *message = std::get_if<ChatMessage>(&event.event())) {
        noteMessage(*message);
        send(withOffset(event.bytesFor(m_codec)));
    } else {
        send(event.bytesFor(m_codec));
    }
    if (const auto *message = std::get_if<ChatMessage>(&event.event());
        message && !message->clientId.isEmpty() && m_pendingPosts.contains(message->clientId))
        ack(m_pendingPosts.take(message->clientId), event.event());
}

void SocketIoChannel::flush()
{
    if (m_socket)
        m_socket->flush();
}

qint64 SocketIoChannel::queuedBytes() const
{
    return m_socket ? m_socket->queuedBytes() : 0;
}

void SocketIoChannel::close(int code, const QString &reason)
{
    if (!m_socket)
        return;
    // Going away, silent, too slow: the transport ends and the client comes back
    // by itself. Otherwise (refused, replaced, flooding) a DISCONNECT: it does not.
    if (code == 1001 || code == 4001 || code == 4005)
        m_socket->closeTransport(reason);
    else
        m_socket->disconnect(reason);
}

void SocketIoChannel::abort()
{
    if (m_socket)
        m_socket->closeTransport(QStringLiteral("aborted"));
}

void SocketIoChannel::onSocketAlive()
{
    if (m_listener && !m_gone)
        m_listener->onChannelAlive();
}

void SocketIoChannel::onSocketGone(const QString &reason)
{
    if (m_gone)
        return;
    if (reason == ClientDisconnect) {
        if (m_recovery.writer && !m_recovery.pid.isEmpty()) // a goodbye: nothing to recover
            m_recovery.writer->post([pid = m_recovery.pid](MessageStore &store) {
                return store.takeRecovery(pid, 0).has_value();
            });
    } else {
        keepRecord(QDateTime::currentMSecsSinceEpoch() + m_recovery.windowMs);
    }
    m_gone = true;
    m_socket = nullptr;
    if (!m_listener)
        return;
    // The page said goodbye (socket.disconnect()): a clean close. A transport
    // that went away is a drop, which a resumable client may come back from.
    if (reason == ClientDisconnect) {
        m_listener->onChannelClosing();
        m_listener->onChannelGone(1000);
    } else {
        m_listener->onChannelGone(1006);
    }
}

} // namespace Chat
