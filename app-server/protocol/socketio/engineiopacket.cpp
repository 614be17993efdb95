// Engine.IO v4 packets and payloads.
#include "engineiopacket.h"

namespace Chat::EngineIo {

namespace {
std::optional<Packet> parseOne(QByteArrayView bytes, bool allowBinary)
{
    if (bytes.isEmpty())
        return std::nullopt;
    if (bytes.front() == 'b') {
        if (!allowBinary)
            return std::nullopt;
        const auto decoded = QByteArray::fromBase64Encoding(
            bytes.sliced(1).toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return std::nullopt;
        return Packet {PacketType::Message, *decoded, true};
    }
    const char type = bytes.front();
    if (type < '0' || type > '6')
        return std::nullopt;
    return Packet {PacketType(type - '0'), bytes.sliced(1).toByteArray(), false};
}
} // namespace

std::optional<Packet> parseText(QByteArrayView frame)
{
    return parseOne(frame, false);
}

QByteArray encodeText(const Packet &packet)
{
    QByteArray out;
    out.reserve(packet.data.size() + 1);
    out.append(char('0' + int(packet.type)));
    out.append(packet.data);
    return out;
}

std::optional<QList<Packet>> parsePayload(QByteArrayView body, qsizetype maxPackets)
{
    QList<Packet> packets;
    qsizetype start = 0;
    while (start <= body.size()) {
        qsizetype end = body.indexOf(RecordSeparator, start);
        if (end < 0)
            end = body.size();
        if (packets.size() >= maxPackets)
            return std::nullopt;
        const auto packet = parseOne(body.sliced(start, end - start), true);
        if (!packet)
            return std::nullopt;
        packets.append(*packet);
        start = end + 1;
    }
    return packets;
}

QByteArray encodePayload(const QList<Packet> &packets)
{
    QByteArray out;
    for (const Packet &packet : packets) {
        if (!out.isEmpty())
            out.append(RecordSeparator);
        if (packet.binary)
            out.append('b').append(packet.data.toBase64());
        else
            out.append(encodeText(packet));
    }
    return out;
}

} // namespace Chat::EngineIo
