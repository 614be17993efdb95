// RFC 6455 client-frame parser.
#include "frameparser.h"

#include "permessagedeflate.h"

#include <QtGlobal>

namespace Chat {

namespace {
constexpr int ProtocolError = 1002;
constexpr int InvalidPayload = 1007;
constexpr int TooBig = 1009;

quint64 bigEndian(const char *data, int bytes)
{
    quint64 value = 0;
    for (int i = 0; i < bytes; ++i)
        value = (value << 8) | static_cast<unsigned char>(data[i]);
    return value;
}
} // namespace

FrameParser::FrameParser(qint64 maxMessageBytes)
    : m_maxMessage(qint32(qBound(qint64(125), maxMessageBytes, qint64(256) * 1024 * 1024)))
{ }

FrameParser::Status FrameParser::feed(const char *data, qsizetype size, Sink &sink)
{
    if (m_status != Status::Reading)
        return m_status;
    const char *bytes = data;
    qsizetype available = size;
    if (!m_in.isEmpty()) {
        m_in.append(data, size);
        bytes = m_in.constData();
        available = m_in.size();
    }
    qsizetype used = 0;
    while (used < available && m_status == Status::Reading) {
        const qsizetype step = nextFrame(bytes + used, available - used, sink);
        if (step <= 0)
            break;
        used += step;
    }
    if (m_status != Status::Reading) {
        m_in = {};
        m_message = {};
    } else if (m_in.isEmpty()) {
        if (used < available)
            m_in = QByteArray(bytes + used, available - used);
    } else if (used == available) {
        m_in = {};
    } else {
        m_in.remove(0, used);
    }
    return m_status;
}

qsizetype FrameParser::nextFrame(const char *data, qsizetype size, Sink &sink)
{
    if (size < 2)
        return 0;
    const auto b0 = static_cast<quint8>(data[0]);
    const auto b1 = static_cast<quint8>(data[1]);
    const bool fin = b0 & 0x80;
    const quint8 opcode = b0 & 0x0f;
    const bool rsv1 = b0 & 0x40;
    if ((b0 & 0x30) || (rsv1 && !m_inflating))
        return fail(ProtocolError, "reserved bits set");
    if (!(b1 & 0x80))
        return fail(ProtocolError, "client frames must be masked");
    quint64 length = b1 & 0x7f;
    qsizetype header = 2;
    if (length == 126) {
        if (size < 4)
            return 0;
        length = bigEndian(data + 2, 2);
        header = 4;
    } else if (length == 127) {
        if (size < 10)
            return 0;
        length = bigEndian(data + 2, 8);
        header = 10;
        if (length >> 63)
            return fail(ProtocolError, "frame length out of range");
    }
    if (opcode & 0x8) {
        if (opcode > quint8(Opcode::Pong))
            return fail(ProtocolError, "unknown control opcode");
        if (!fin)
            return fail(ProtocolError, "fragmented control frame");
        if (length > 125)
            return fail(ProtocolError, "control frame longer than 125 bytes");
        if (rsv1)
            return fail(ProtocolError, "compressed control frame");
    } else {
        if (opcode > quint8(Opcode::Binary))
            return fail(ProtocolError, "unknown data opcode");
        if (opcode == quint8(Opcode::Continuation) && m_messageOpcode == 0)
            return fail(ProtocolError, "continuation frame without a start");
        if (opcode != quint8(Opcode::Continuation) && m_messageOpcode != 0)
            return fail(ProtocolError, "new message inside a fragmented one");
        if (rsv1 && opcode == quint8(Opcode::Continuation))
            return fail(ProtocolError, "RSV1 on a continuation frame");
        if (length > quint64(m_maxMessage) - quint64(m_message.size()))
            return fail(TooBig, "message too big");
    }
    header += 4; // the masking key
    if (size < header || quint64(size - header) < length)
        return 0;
    const auto *mask = reinterpret_cast<const quint8 *>(data + header - 4);
    const char *masked = data + header;
    QByteArray payload(qsizetype(length), Qt::Uninitialized);
    char *out = payload.data();
    for (qsizetype i = 0; i < qsizetype(length); ++i)
        out[i] = char(quint8(masked[i]) ^ mask[i & 3]);
    const qsizetype used = header + qsizetype(length);

    switch (Opcode(opcode)) {
    case Opcode::Close:
        if (payload.size() == 1)
            return fail(ProtocolError, "close frame with a one-byte payload");
        if (payload.size() >= 2 && !isValidCloseCode(closeCodeOf(payload)))
            return fail(ProtocolError, "invalid close code");
        if (!isValidUtf8(payload.constData() + qMin<qsizetype>(2, payload.size()),
                         payload.size() - qMin<qsizetype>(2, payload.size())))
            return fail(InvalidPayload, "close reason is not valid UTF-8");
        m_status = Status::Closed;
        sink.onFrame(Opcode::Close, payload);
        return -1;
    case Opcode::Ping:
    case Opcode::Pong:
        if (!sink.onFrame(Opcode(opcode), payload)) {
            m_status = Status::Stopped;
            return -1;
        }
        return used;
    default:
        break;
    }
    if (opcode != quint8(Opcode::Continuation)) {
        m_messageOpcode = opcode;
        m_messageCompressed = rsv1;
    }
    if (!fin) {
        m_message.append(payload);
        return used;
    }
    const auto type = Opcode(std::exchange(m_messageOpcode, 0));
    QByteArray message;
    if (m_message.isEmpty()) {
        message = payload;
    } else {
        message = std::exchange(m_message, {});
        message.append(payload);
    }
    if (std::exchange(m_messageCompressed, false)) {
        QByteArray inflated;
        switch (
            PerMessageDeflate::Codec::forThisThread().inflate(message, m_maxMessage, inflated)) {
        case PerMessageDeflate::Codec::Inflated::Ok:
            message = std::move(inflated);
            break;
        case PerMessageDeflate::Codec::Inflated::TooBig:
            return fail(TooBig, "message too big once inflated");
        case PerMessageDeflate::Codec::Inflated::Corrupt:
            return fail(InvalidPayload, "compressed message does not inflate");
        }
    }
    if (type == Opcode::Text && !isValidUtf8(message.constData(), message.size()))
        return fail(InvalidPayload, "text is not valid UTF-8");
    if (!sink.onFrame(type, message)) {
        m_status = Status::Stopped;
        return -1;
    }
    return used;
}

qsizetype FrameParser::fail(int code, const char *reason)
{
    m_status = Status::Failed;
    m_failureCode = quint16(code);
    m_failureReason = reason;
    return -1;
}

int FrameParser::closeCodeOf(const QByteArray &closePayload)
{
    return closePayload.size() >= 2 ? int(bigEndian(closePayload.constData(), 2)) : 1005;
}

bool FrameParser::isValidCloseCode(int code)
{
    // 1004-1006 and 1015 are never sent; 1016-2999 are unassigned.
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
}

bool FrameParser::isValidUtf8(const char *data, qsizetype size)
{
    const auto *s = reinterpret_cast<const unsigned char *>(data);
    qsizetype i = 0;
    while (i < size) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int extra;
        unsigned char low = 0x80, high = 0xbf; // the range of the second byte
        if (c >= 0xc2 && c <= 0xdf) {
            extra = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            extra = 2;
            if (c == 0xe0)
                low = 0xa0; // no overlong forms
            else if (c == 0xed)
                high = 0x9f; // no surrogates
        } else if (c >= 0xf0 && c <= 0xf4) {
            extra = 3;
            if (c == 0xf0)
                low = 0x90;
            else if (c == 0xf4)
                high = 0x8f; // nothing above U+10FFFF
        } else {
            return false;
        }
        if (size - i <= extra)
            return false;
        if (s[i + 1] < low || s[i + 1] > high)
            return false;
        for (int k = 2; k <= extra; ++k) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
        }
        i += extra + 1;
    }
    return true;
}

} // namespace Chat
