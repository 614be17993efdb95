// permessage-deflate (RFC 7692): the negotiation, and the compression of whole
// messages, without sockets (pure, unit-tested and fuzzed on raw bytes).
//
// Memory is bounded per server, not per connection: the server answers every
// offer with server_no_context_takeover and client_no_context_takeover, so no
// message depends on an earlier one and no connection keeps a sliding window.
// One deflate stream per window size and one inflate stream serve every
// connection of a thread (Codec::forThisThread), reset for each message. An
// idle connection that negotiated compression costs what one that did not costs.
//
// Only messages of MinimumPayload bytes and more go out compressed (history
// pages, long texts, room lists); a broadcast frame is compressed once for all
// its recipients (the codec remembers the last few frames it compressed).
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <array>
#include <memory>
#include <optional>

struct z_stream_s;

namespace Chat::PerMessageDeflate {

// Smaller messages are sent as they are: compressing them saves too little.
constexpr qsizetype MinimumPayload = 1024;

struct Agreement
{
    QByteArray response; // the Sec-WebSocket-Extensions value of the 101 answer
    quint8 serverWindowBits = 15; // the LZ77 window our messages use (9-15)
};

// The first permessage-deflate offer in `offers` (every Sec-WebSocket-Extensions
// value of the request, joined with commas) that is well-formed and that the
// server can honour; nullopt if there is none. An offer with an unknown or
// repeated parameter, or a bad value, is declined (RFC 7692 5, 7.1).
// server_max_window_bits=8 is declined too: zlib's raw deflate has no 256-byte
// window; a client that offers it usually offers a fallback after it.
std::optional<Agreement> negotiate(QByteArrayView offers);

class Codec
{
public:
    Codec();
    ~Codec();
    Codec(const Codec &) = delete;
    Codec &operator=(const Codec &) = delete;

    // The codec of the calling thread (zlib streams are not shared between threads).
    static Codec &forThisThread();

    // The payload as one raw DEFLATE block sequence without its trailing
    // 00 00 ff ff (RFC 7692 7.2.1), using a window of 2^windowBits (9-15).
    QByteArray compress(QByteArrayView payload, int windowBits);

    enum class Inflated { Ok, TooBig, Corrupt };
    // A compressed message's payload, inflated into `out`; TooBig as soon as
    // it passes maxBytes (nothing more is inflated), Corrupt if it is not DEFLATE.
    Inflated inflate(QByteArrayView compressed, qsizetype maxBytes, QByteArray &out);

    // A complete unfragmented server text or binary frame (WireFrame), as a
    // compressed frame (RSV1 set) when its payload is at least MinimumPayload and
    // shrinks; otherwise the frame itself. The same frame (the same shared bytes)
    // asked for again, for the next recipient of a broadcast, is not compressed again.
    QByteArray compressFrame(const QByteArray &frame, int windowBits);

    // Frames compressed, and their payload bytes before and after, since the start.
    struct Counts
    {
        quint64 frames = 0;
        quint64 bytesIn = 0;
        quint64 bytesOut = 0;
    };
    const Counts &counts() const { return m_counts; }

private:
    struct DeflateEnd
    {
        void operator()(z_stream_s *stream) const;
    };
    struct InflateEnd
    {
        void operator()(z_stream_s *stream) const;
    };
    struct Remembered
    {
        QByteArray frame; // held, so that its bytes cannot be another frame's
        QByteArray compressed;
        int windowBits = 0;
    };

    z_stream_s *deflater(int windowBits);

    std::array<std::unique_ptr<z_stream_s, DeflateEnd>, 16> m_deflaters; // by window bits
    std::unique_ptr<z_stream_s, InflateEnd> m_inflater;
    std::array<Remembered, 4> m_remembered; // the frames compressed last, newest first
    QByteArray m_scratch; // deflate's and inflate's output, kept between messages
    Counts m_counts;
};

} // namespace Chat::PerMessageDeflate
