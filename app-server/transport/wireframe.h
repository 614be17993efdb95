// A server-to-client WebSocket text frame built once (RFC 6455, unmasked), so
// that a broadcast writes the same bytes to every recipient's socket instead of
// re-encoding and copying the message per recipient.
#pragma once

#include <QByteArray>

namespace Chat::WireFrame {

// FIN + `opcode`, the payload length, then the payload (control frames: at most 125 bytes).
QByteArray frame(quint8 opcode, const QByteArray &payload);
// A frame of a compressed message (RFC 7692): FIN, RSV1 and `opcode`, then `deflated`.
QByteArray compressed(quint8 opcode, const QByteArray &deflated);
// A text frame: frame(0x1, utf8).
QByteArray text(const QByteArray &utf8);
// A close frame: the code (two bytes, big-endian), then the reason cut to 123 bytes.
QByteArray close(int code, const QByteArray &reason);
// The payload of a frame made by text().
QByteArray payloadOf(const QByteArray &frame);
// The header length of a frame made here (2, 4 or 10 bytes).
qsizetype headerSize(const QByteArray &frame);

} // namespace Chat::WireFrame
