// One wire protocol, as the chat core sees it: client messages in, requests
// out; server events in, the bytes to send out. The core never looks inside
// either: a v1 JSON connection and (later) a Socket.IO one sit in the same room.
#pragma once

#include "protocol.h"
#include "serverevent.h"

namespace Chat {

class WireCodec
{
public:
    // Encodings a broadcast caches at once (broadcast.h): one per protocol.
    static constexpr int MaxEncodings = 4;

    virtual ~WireCodec() = default;
    // 0 .. MaxEncodings-1, the same for every connection of one protocol.
    virtual int encoding() const = 0;
    // The protocol's name, for /metrics: "v1", "socketio".
    virtual const char *protocol() const = 0;
    // One complete client message: a request, or why it is not one.
    virtual DecodeResult decode(const QByteArray &message, const ProtocolLimits &limits) const = 0;
    // The bytes that carry `event` to a client, ready for its connection.
    virtual QByteArray encode(const ServerEvent &event) const = 0;
};

} // namespace Chat
