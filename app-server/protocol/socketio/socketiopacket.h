// Socket.IO v5 packets (docs/socket.io-protocol/v5-current.md in socketio/socket.io),
// the data of Engine.IO messages, as bytes: no sockets, no event loop.
//
//   <type>[<attachments>-][<namespace>,][<ack id>][JSON payload]
//
// parse() takes what a client sends and checks it as the reference server
// does: a known type, a namespace that starts with "/", an ack id and an
// attachment count that are integers in range, a payload that is JSON of the
// shape the type needs (CONNECT: an object or nothing; EVENT: a non-empty array
// whose first element, the event name, is a string and not a reserved name;
// ACK: an array; DISCONNECT: nothing). Anything else is a ParseError, and the
// connection that sent it is closed.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QString>

#include <optional>
#include <variant>

namespace Chat::SocketIo {

enum class PacketType : quint8 {
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6,
};

struct Packet
{
    PacketType type = PacketType::Event;
    QString nsp = QStringLiteral("/");
    std::optional<qint64> id; // an ack id, 0 .. 2^53 - 1
    QJsonValue data = QJsonValue::Undefined; // Undefined: no payload
    int attachments = 0; // binary attachments that follow (BinaryEvent, BinaryAck)
};

struct ParseError
{
    const char *reason;
};

using ParseResult = std::variant<Packet, ParseError>;

// Binary attachments one packet may announce.
constexpr int MaxAttachments = 10;

ParseResult parse(QByteArrayView text);
QByteArray encode(const Packet &packet);

// Event names the protocol keeps for itself: a client may not emit them.
bool isReservedEventName(const QString &name);

} // namespace Chat::SocketIo
