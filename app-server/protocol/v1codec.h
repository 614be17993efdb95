// Protocol v1 (docs/protocol.md): one JSON object per WebSocket text message.
// Encodes server events as complete WebSocket text frames (the transport's
// WireFrame), so that a broadcast is framed once, not per recipient.
#pragma once

#include "wirecodec.h"

namespace Chat {

class V1Codec final : public WireCodec
{
public:
    static constexpr int Encoding = 0;
    // One codec serves every v1 connection: it holds no state.
    static const V1Codec &instance();

    int encoding() const override { return Encoding; }
    const char *protocol() const override { return "v1"; }
    DecodeResult decode(const QByteArray &message, const ProtocolLimits &limits) const override;
    QByteArray encode(const ServerEvent &event) const override;
    // The JSON of an event, unframed.
    static QJsonObject toJson(const ServerEvent &event);
};

} // namespace Chat
