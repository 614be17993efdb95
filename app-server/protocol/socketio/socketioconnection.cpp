// Socket.IO v5 namespaces, events and acks on an Engine.IO session.
#include "socketioconnection.h"

#include "serverlogging.h"

#include <QRandomGenerator>

namespace Chat {

using SocketIo::Packet;
using SocketIo::PacketType;

namespace {
QString newSocketId()
{
    QByteArray bytes(15, Qt::Uninitialized);
    QRandomGenerator::system()->generate(bytes.begin(), bytes.end());
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}
} // namespace

QString SocketIoSocket::peer() const
{
    return m_connection->engine()->peer();
}

void SocketIoSocket::send(const Packet &packet, const QList<QByteArray> &attachments)
{
    EngineIoSession *engine = m_connection->engine();
    engine->send(SocketIo::encode(packet));
    for (const QByteArray &attachment : attachments)
        engine->send(attachment, true);
}

void SocketIoSocket::emitEvent(const QJsonArray &args, const QList<QByteArray> &attachments)
{
    Packet p;
    p.type = attachments.isEmpty() ? PacketType::Event : PacketType::BinaryEvent;
    p.nsp = m_nsp;
    p.data = args;
    p.attachments = int(attachments.size());
    send(p, attachments);
}

void SocketIoSocket::ack(qint64 id, const QJsonArray &args, const QList<QByteArray> &attachments)
{
    Packet p;
    p.type = attachments.isEmpty() ? PacketType::Ack : PacketType::BinaryAck;
    p.nsp = m_nsp;
    p.id = id;
    p.data = args;
    p.attachments = int(attachments.size());
    send(p, attachments);
}

void SocketIoSocket::sendEncoded(const QByteArray &packets)
{
    EngineIoSession *engine = m_connection->engine();
    qsizetype start = 0;
    while (start <= packets.size()) {
        qsizetype end = packets.indexOf(EngineIo::RecordSeparator, start);
        if (end < 0)
            end = packets.size();
        if (end > start)
            engine->send(start == 0 && end == packets.size() ? packets
                                                             : packets.sliced(start, end - start));
        start = end + 1;
    }
}

void SocketIoSocket::flush()
{
    m_connection->engine()->flush();
}

qint64 SocketIoSocket::queuedBytes() const
{
    return m_connection->engine()->queuedBytes();
}

void SocketIoSocket::disconnect(const QString &reason)
{
    Packet p;
    p.type = PacketType::Disconnect;
    p.nsp = m_nsp;
    m_connection->engine()->send(SocketIo::encode(p));
    m_connection->engine()->flush();
    QMetaObject::invokeMethod(
        m_connection,
        [connection = m_connection, nsp = m_nsp, reason] { connection->removeSocket(nsp, reason); },
        Qt::QueuedConnection);
}

void SocketIoSocket::closeTransport(const QString &reason)
{
    m_connection->engine()->close(reason);
}

SocketIoConnection::SocketIoConnection(EngineIoSession *engine,
                                       const QHash<QString, SocketIoNamespace *> *namespaces,
                                       int connectTimeoutMs)
    : m_engine(engine), m_namespaces(namespaces)
{
    engine->setListener(this);
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        if (m_sockets.isEmpty())
            m_engine->close(QStringLiteral("connect timeout"));
    });
    m_connectTimer.start(connectTimeoutMs);
}

SocketIoConnection::~SocketIoConnection()
{
    m_engine->setListener(nullptr);
    for (SocketIoSocket *socket : std::as_const(m_sockets)) {
        if (SocketIoSocketListener *listener = socket->listener())
            listener->onSocketGone(QStringLiteral("server shutting down"));
    }
    qDeleteAll(m_sockets);
}

void SocketIoConnection::fail(const char *reason)
{
    qCInfo(lcSession).noquote() << "Socket.IO: closing" << m_engine->peer() << ":" << reason;
    m_engine->close(QStringLiteral("parse error"));
}

void SocketIoConnection::onEngineMessage(const QByteArray &data, bool binary)
{
    if (binary) {
        if (!m_partial) {
            fail("a binary message that no packet announced");
            return;
        }
        m_attachments.append(data);
        if (m_attachments.size() == m_partial->attachments) {
            const Packet packet = std::move(*m_partial);
            m_partial.reset();
            dispatch(packet, std::exchange(m_attachments, {}));
        }
        return;
    }
    if (m_partial) {
        fail("a packet before the attachments of the last one");
        return;
    }
    SocketIo::ParseResult parsed = SocketIo::parse(data);
    if (const auto *error = std::get_if<SocketIo::ParseError>(&parsed)) {
        fail(error->reason);
        return;
    }
    Packet &packet = std::get<Packet>(parsed);
    switch (packet.type) {
    case PacketType::Connect:
        onConnect(packet);
        return;
    case PacketType::Disconnect:
        removeSocket(packet.nsp, QStringLiteral("client namespace disconnect"));
        return;
    case PacketType::BinaryEvent:
    case PacketType::BinaryAck:
        if (packet.attachments > 0) {
            m_partial = std::move(packet);
            return;
        }
        dispatch(packet, {});
        return;
    case PacketType::Event:
    case PacketType::Ack:
        dispatch(packet, {});
        return;
    case PacketType::ConnectError:
        fail("CONNECT_ERROR from a client");
        return;
    }
}

void SocketIoConnection::onConnect(const Packet &packet)
{
    SocketIoNamespace *handler = m_namespaces->value(packet.nsp);
    if (!handler) {
        Packet refusal;
        refusal.type = PacketType::ConnectError;
        refusal.nsp = packet.nsp;
        refusal.data
            = QJsonObject {{QStringLiteral("message"), QStringLiteral("Invalid namespace")}};
        m_engine->send(SocketIo::encode(refusal));
        return;
    }
    if (m_sockets.contains(packet.nsp))
        return; // connected already
    const QJsonObject auth = packet.data.toObject();
    const SocketIoNamespace::Admission admission = handler->admit(auth);
    if (admission.refusal) {
        Packet refusal;
        refusal.type = PacketType::ConnectError;
        refusal.nsp = packet.nsp;
        refusal.data = *admission.refusal;
        m_engine->send(SocketIo::encode(refusal));
        return;
    }
    auto *socket = new SocketIoSocket(this, packet.nsp,
                                      admission.sid.isEmpty() ? newSocketId() : admission.sid);
    m_sockets.insert(packet.nsp, socket);
    m_connectTimer.stop();
    Packet accepted;
    accepted.type = PacketType::Connect;
    accepted.nsp = packet.nsp;
    QJsonObject answer = admission.extra;
    answer.insert(QStringLiteral("sid"), socket->id());
    accepted.data = answer;
    m_engine->send(SocketIo::encode(accepted));
    handler->connected(socket, auth);
}

void SocketIoConnection::dispatch(const Packet &packet, const QList<QByteArray> &attachments)
{
    SocketIoSocket *socket = m_sockets.value(packet.nsp);
    if (!socket || !socket->listener())
        return; // a namespace this client is not connected to: ignored, as the reference does
    socket->listener()->onSocketPacket(packet, attachments);
}

void SocketIoConnection::removeSocket(const QString &nsp, const QString &reason)
{
    SocketIoSocket *socket = m_sockets.take(nsp);
    if (!socket)
        return;
    if (SocketIoSocketListener *listener = socket->listener())
        listener->onSocketGone(reason);
    delete socket;
}

void SocketIoConnection::onEngineAlive()
{
    for (SocketIoSocket *socket : std::as_const(m_sockets)) {
        if (SocketIoSocketListener *listener = socket->listener())
            listener->onSocketAlive();
    }
}

void SocketIoConnection::onEngineClosed(const QString &reason)
{
    const QHash<QString, SocketIoSocket *> sockets = std::exchange(m_sockets, {});
    for (SocketIoSocket *socket : sockets) {
        if (SocketIoSocketListener *listener = socket->listener())
            listener->onSocketGone(reason);
        delete socket;
    }
}

} // namespace Chat
