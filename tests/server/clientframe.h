// WebSocket frames as a client sends them (RFC 6455 5.2), for tests that
// speak raw frames to the server: masked or not, whole or fragments.
#pragma once

#include <QByteArray>

namespace Chat::Testing {

inline QByteArray clientFrame(int opcode, const QByteArray &payload, bool masked = true,
                              bool fin = true)
{
    QByteArray f;
    f.append(char((fin ? 0x80 : 0) | opcode));
    const char maskBit = masked ? char(0x80) : char(0);
    const quint64 size = quint64(payload.size());
    if (size < 126) {
        f.append(char(maskBit | char(size)));
    } else if (size < 65536) {
        f.append(char(maskBit | 126));
        f.append(char(size >> 8));
        f.append(char(size & 0xff));
    } else {
        f.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            f.append(char((size >> shift) & 0xff));
    }
    if (!masked)
        return f.append(payload);
    const char key[4] = {0x12, 0x34, 0x56, 0x78};
    f.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        f.append(char(payload.at(i) ^ key[i % 4]));
    return f;
}

} // namespace Chat::Testing
