// RFC 6455 client frames, parsed from bytes: no sockets, no event loop. The one
// place after Qt's handshake where incoming WebSocket frames are read.
//
// It enforces every rule a server must: client frames masked; no reserved bits
// or unknown opcodes; control frames at most 125 bytes and not fragmented;
// fragments in order; a message (and so a frame) within the size limit, refused
// from the frame header before its payload is buffered (1009); text valid UTF-8
// (1007); close frames with a valid code and a UTF-8 reason (1002, 1007).
// With permessage-deflate negotiated (setInflating), a message whose first
// frame has RSV1 set is inflated once complete, within the same size limit
// (1009 as soon as it would pass it; 1007 if it is not DEFLATE).
#pragma once

#include <QByteArray>

namespace Chat {

class FrameParser
{
public:
    enum class Opcode : quint8 {
        Continuation = 0x0,
        Text = 0x1,
        Binary = 0x2,
        Close = 0x8,
        Ping = 0x9,
        Pong = 0xA,
    };
    enum class Status : quint8 {
        Reading, // wants more bytes
        Stopped, // the sink asked to stop; what was left is dropped
        Closed, // a valid close frame was read; nothing after it is
        Failed, // the client broke a rule: failureCode() and failureReason() say which
    };
    // Receives, in order: whole messages (Text, Binary, fragments joined), and
    // Ping, Pong and Close frames (a Close payload is valid: empty, or a code and
    // a UTF-8 reason). Returns false to stop reading.
    class Sink
    {
    public:
        virtual bool onFrame(Opcode opcode, const QByteArray &payload) = 0;

    protected:
        ~Sink() = default;
    };

    explicit FrameParser(qint64 maxMessageBytes);

    // Parses every frame that `data` completes (with what was kept from before),
    // and keeps the start of an incomplete one. Once the status is not Reading,
    // nothing more is parsed.
    Status feed(const char *data, qsizetype size, Sink &sink);
    Status status() const { return m_status; }
    // permessage-deflate was negotiated: RSV1 on a message's first frame means
    // the message is compressed (permessagedeflate.h).
    void setInflating(bool on) { m_inflating = on; }
    int failureCode() const { return m_failureCode; }
    const char *failureReason() const { return m_failureReason; }
    // Bytes held: an incomplete frame, and the fragments of a message.
    qsizetype bufferedBytes() const { return m_in.size() + m_message.size(); }

    // The code of a Close payload; 1005 (none given) for an empty one.
    static int closeCodeOf(const QByteArray &closePayload);
    // The rules for close codes (RFC 6455 7.4) and text (UTF-8, RFC 3629).
    static bool isValidCloseCode(int code);
    static bool isValidUtf8(const char *data, qsizetype size);

private:
    // One frame from the start of `data`: bytes used, 0 if incomplete, -1 when
    // parsing ends on it (status says why).
    qsizetype nextFrame(const char *data, qsizetype size, Sink &sink);
    qsizetype fail(int code, const char *reason);

    QByteArray m_in; // the start of a frame whose rest has not arrived
    QByteArray m_message; // fragments of a message in progress
    const char *m_failureReason = "";
    qint32 m_maxMessage;
    quint16 m_failureCode = 0;
    quint8 m_messageOpcode = 0; // text or binary while fragments are collected
    Status m_status = Status::Reading;
    bool m_inflating = false;
    bool m_messageCompressed = false; // the message in progress had RSV1 on its first frame
};

} // namespace Chat
