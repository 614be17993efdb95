// Engine.IO v4 packets (docs/engine.io-protocol/v4-current.md in socketio/socket.io),
// as bytes: no sockets, no event loop, so that they are unit-tested and fuzzed.
//
// A packet is a type character and its data: "4hello" is a message "hello".
// Over WebSocket each frame is one packet (a binary frame is a binary message).
// Over HTTP long-polling a body is a payload: packets joined by the record
// separator 0x1e, binary messages as "b" and their base64.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>

namespace Chat::EngineIo {

enum class PacketType : quint8 {
    Open = 0,
    Close = 1,
    Ping = 2,
    Pong = 3,
    Message = 4,
    Upgrade = 5,
    Noop = 6,
};

struct Packet
{
    PacketType type = PacketType::Message;
    QByteArray data;
    bool binary = false; // a binary message (only with type Message)

    friend bool operator==(const Packet &a, const Packet &b)
    {
        return a.type == b.type && a.data == b.data && a.binary == b.binary;
    }
};

constexpr char RecordSeparator = '\x1e';

// The packet of a WebSocket text frame; null if it is not one ("7", "", ...).
std::optional<Packet> parseText(QByteArrayView frame);
// A text packet as a WebSocket text frame's payload (not for binary messages).
QByteArray encodeText(const Packet &packet);

// The packets of a long-polling request body; null if any of them is malformed,
// or there are more than `maxPackets`.
std::optional<QList<Packet>> parsePayload(QByteArrayView body, qsizetype maxPackets = 1000);
// Packets as a long-polling response body.
QByteArray encodePayload(const QList<Packet> &packets);

} // namespace Chat::EngineIo
