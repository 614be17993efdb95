// Socket.IO events as a chat wire encoding.
#include "socketiocodec.h"

#include "engineiopacket.h"
#include "socketioevents.h"
#include "socketiopacket.h"

namespace Chat {

const SocketIoCodec &SocketIoCodec::native()
{
    static const SocketIoCodec codec(false);
    return codec;
}

const SocketIoCodec &SocketIoCodec::documents()
{
    static const SocketIoCodec codec(true);
    return codec;
}

DecodeResult SocketIoCodec::decode(const QByteArray &message, const ProtocolLimits &limits) const
{
    return decodeRequest(message, limits);
}

QByteArray SocketIoCodec::encode(const ServerEvent &event) const
{
    QByteArray out;
    for (const SocketIoEvents::Emit &e : SocketIoEvents::toEvents(event, m_documents)) {
        SocketIo::Packet packet;
        packet.type = SocketIo::PacketType::Event;
        packet.data = QJsonArray {e.name, e.payload};
        if (!out.isEmpty())
            out.append(EngineIo::RecordSeparator);
        out.append(SocketIo::encode(packet));
    }
    return out;
}

} // namespace Chat
