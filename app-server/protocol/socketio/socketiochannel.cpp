// A chat Channel on a Socket.IO socket.
#include "socketiochannel.h"

#include "socketiocodec.h"
#include "socketioevents.h"
#include "v1codec.h"

#include <QJsonDocument>
#include <QRandomGenerator>

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

SocketIoChannel::SocketIoChannel(SocketIoSocket *socket, const SocketIoCodec &codec)
    : m_socket(socket), m_codec(codec), m_peer(socket->peer())
{
    socket->setListener(this);
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
    m_listener->onChannelMessage(QJsonDocument(request).toJson(QJsonDocument::Compact));
    if (m_dispatchAck && !m_gone) {
        const QJsonValue clientId = request.value(QLatin1String("clientId"));
        if (SocketIoEvents::isPost(request) && clientId.isString()) {
            if (m_pendingPosts.size() >= MaxPendingPosts)
                m_pendingPosts.erase(m_pendingPosts.begin());
            m_pendingPosts.insert(clientId.toString(), *m_dispatchAck);
        } else if (m_socket) {
            // Requests with no reply of their own (typing, leave): done.
            m_socket->ack(
                *m_dispatchAck,
                QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("ok")}}});
        }
    }
    m_dispatchAck.reset();
}

bool SocketIoChannel::answers(const ServerEvent &event) const
{
    if (std::holds_alternative<ProtocolError>(event))
        return true; // an error while a request is handled is that request's
    if (m_dispatchType == QLatin1String("hello"))
        return std::holds_alternative<Event::Identified>(event);
    if (m_dispatchType == QLatin1String("join"))
        return std::holds_alternative<Event::Joined>(event);
    if (m_dispatchType == QLatin1String("history"))
        return std::holds_alternative<Event::History>(event);
    if (m_dispatchType == QLatin1String("rooms"))
        return std::holds_alternative<Event::RoomList>(event);
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
    if (m_dispatchAck && answers(event)) {
        ack(*std::exchange(m_dispatchAck, std::nullopt), event);
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
    send(event.bytesFor(m_codec));
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
