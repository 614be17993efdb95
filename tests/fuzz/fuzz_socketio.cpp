// libFuzzer target: Engine.IO long-polling payloads and the Socket.IO packets
// inside their messages, as a client sends them. Whatever parses must encode
// back to something that parses the same. Built by scripts/fuzz.sh.
#include "engineiopacket.h"
#include "fuzzcheck.h"
#include "socketiopacket.h"

#include <cstdint>
#include <cstdlib>

using namespace Chat;
using Chat::Fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto packets = EngineIo::parsePayload(bytes);
    if (packets) {
        const auto again = EngineIo::parsePayload(EngineIo::encodePayload(*packets));
        require(again && *again == *packets);
        for (const EngineIo::Packet &packet : *packets) {
            if (packet.type != EngineIo::PacketType::Message || packet.binary)
                continue;
            const SocketIo::ParseResult parsed = SocketIo::parse(packet.data);
            if (const auto *p = std::get_if<SocketIo::Packet>(&parsed)) {
                const SocketIo::ParseResult back = SocketIo::parse(SocketIo::encode(*p));
                const auto *q = std::get_if<SocketIo::Packet>(&back);
                require(q && q->type == p->type && q->nsp == p->nsp && q->id == p->id
                        && q->data == p->data && q->attachments == p->attachments);
            }
        }
    }
    (void)EngineIo::parseText(bytes);
    return 0;
}
