// Pre-built WebSocket text frames.
#include "wireframe.h"

namespace Chat::WireFrame {

QByteArray text(const QByteArray &utf8)
{
    const quint64 size = quint64(utf8.size());
    QByteArray frame;
    frame.reserve(utf8.size() + 10);
    frame.append(char(0x81));
    if (size < 126) {
        frame.append(char(size));
    } else if (size < 65536) {
        frame.append(char(126));
        frame.append(char(size >> 8));
        frame.append(char(size & 0xff));
    } else {
        frame.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((size >> shift) & 0xff));
    }
    frame.append(utf8);
    return frame;
}

QByteArray payloadOf(const QByteArray &frame)
{
    if (frame.size() < 2)
        return {};
    const int length = static_cast<unsigned char>(frame.at(1));
    const qsizetype header = length < 126 ? 2 : length == 126 ? 4 : 10;
    return frame.mid(header);
}

} // namespace Chat::WireFrame
