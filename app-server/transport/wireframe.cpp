// Pre-built WebSocket text frames.
#include "wireframe.h"

namespace Chat::WireFrame {

QByteArray text(const QByteArray &utf8)
{
    return frame(0x1, utf8);
}

namespace {
QByteArray build(quint8 firstByte, const QByteArray &payload)
{
    const quint64 size = quint64(payload.size());
    QByteArray bytes;
    bytes.reserve(payload.size() + 10);
    bytes.append(char(firstByte));
    if (size < 126) {
        bytes.append(char(size));
    } else if (size < 65536) {
        bytes.append(char(126));
        bytes.append(char(size >> 8));
        bytes.append(char(size & 0xff));
    } else {
        bytes.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            bytes.append(char((size >> shift) & 0xff));
    }
    bytes.append(payload);
    return bytes;
}
} // namespace

QByteArray frame(quint8 opcode, const QByteArray &payload)
{
    return build(0x80 | opcode, payload);
}

QByteArray compressed(quint8 opcode, const QByteArray &deflated)
{
    return build(0xc0 | opcode, deflated);
}

QByteArray close(int code, const QByteArray &reason)
{
    QByteArray payload;
    payload.append(char((code >> 8) & 0xff));
    payload.append(char(code & 0xff));
    payload.append(reason.left(123));
    return frame(0x8, payload);
}

qsizetype headerSize(const QByteArray &frame)
{
    if (frame.size() < 2)
        return frame.size();
    const int length = static_cast<unsigned char>(frame.at(1)) & 0x7f;
    return length < 126 ? 2 : length == 126 ? 4 : 10;
}

QByteArray payloadOf(const QByteArray &frame)
{
    return frame.mid(headerSize(frame));
}

} // namespace Chat::WireFrame
