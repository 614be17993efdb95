// Socket.IO as a chat wire encoding: what a client sends is a v1 request object
// (made from its EVENT by SocketIoChannel), and a server event becomes Socket.IO
// EVENT packets in the main namespace, joined by 0x1e (the channel hands each
// to Engine.IO). Two encodings: `native` (the v1 events only, for
// socket.io-client programs that say who they are) and `documents` (also the
// events the documents' pages listen to).
#pragma once

#include "wirecodec.h"

namespace Chat {

class SocketIoCodec final : public WireCodec
{
public:
    static constexpr int NativeEncoding = 1;
    static constexpr int DocumentsEncoding = 2;
    static const SocketIoCodec &native();
    static const SocketIoCodec &documents();

    int encoding() const override { return m_documents ? DocumentsEncoding : NativeEncoding; }
    const char *protocol() const override { return "socketio"; }
    DecodeResult decode(const QByteArray &message, const ProtocolLimits &limits) const override;
    QByteArray encode(const ServerEvent &event) const override;

private:
    explicit SocketIoCodec(bool documents) : m_documents(documents) { }
    bool m_documents;
};

} // namespace Chat
