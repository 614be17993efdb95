// permessage-deflate: negotiation and whole-message compression with zlib.
#include "permessagedeflate.h"

#include "wireframe.h"

#include <QList>

#include <zlib.h>

#include <cstring>

namespace Chat::PerMessageDeflate {

namespace {

// The four bytes every Z_SYNC_FLUSH ends with, left off the wire (RFC 7692 7.2.1).
constexpr char SyncTail[] = {'\x00', '\x00', '\xff', '\xff'};
// Chat text is short and repetitive (JSON keys, names): a fast level loses
// little against the default and costs a third of its CPU.
constexpr int Level = 3;
constexpr int MemoryLevel = 8;

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

// A reader for the extension-list grammar (RFC 6455 9.1, RFC 7230 3.2.6).
class ListReader
{
public:
    explicit ListReader(QByteArrayView text) : m_text(text) { }

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }
    void skipSpace()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t'))
            ++m_pos;
    }
    bool take(char c)
    {
        skipSpace();
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }
    std::optional<QByteArray> token()
    {
        skipSpace();
        const qsizetype start = m_pos;
        while (!atEnd() && isTokenChar(peek()))
            ++m_pos;
        if (m_pos == start)
            return std::nullopt;
        return m_text.sliced(start, m_pos - start).toByteArray();
    }
    // A token, or a quoted string (backslash escapes undone).
    std::optional<QByteArray> value()
    {
        skipSpace();
        if (peek() != '"')
            return token();
        ++m_pos;
        QByteArray out;
        while (!atEnd()) {
            char c = m_text[m_pos++];
            if (c == '"')
                return out;
            if (c == '\\') {
                if (atEnd())
                    return std::nullopt;
                c = m_text[m_pos++];
            }
            out.append(c);
        }
        return std::nullopt; // unterminated
    }

private:
    QByteArrayView m_text;
    qsizetype m_pos = 0;
};

struct Offer
{
    QByteArray name;
    QList<std::pair<QByteArray, std::optional<QByteArray>>> params;
};

// Every offer of the header, or nullopt if it does not parse.
std::optional<QList<Offer>> readOffers(QByteArrayView text)
{
    QList<Offer> offers;
    ListReader reader(text);
    for (;;) {
        reader.skipSpace();
        if (reader.atEnd())
            break;
        if (reader.take(',')) // empty list elements are allowed (RFC 7230 7)
            continue;
        Offer offer;
        const std::optional<QByteArray> name = reader.token();
        if (!name)
            return std::nullopt;
        offer.name = *name;
        while (reader.take(';')) {
            const std::optional<QByteArray> param = reader.token();
            if (!param)
                return std::nullopt;
            std::optional<QByteArray> value;
            if (reader.take('=')) {
                value = reader.value();
                if (!value)
                    return std::nullopt;
            }
            offer.params.append({*param, value});
        }
        reader.skipSpace();
        if (!reader.atEnd() && !reader.take(','))
            return std::nullopt;
        offers.append(offer);
        if (offers.size() > 16)
            return std::nullopt; // nobody offers that many
    }
    return offers;
}

// "8".."15" (RFC 7692 7.1.2: no leading zero), or 0.
int windowBitsOf(const QByteArray &value)
{
    if (value.isEmpty() || value.size() > 2 || value.front() == '0')
        return 0;
    int bits = 0;
    for (char c : value) {
        if (c < '0' || c > '9')
            return 0;
        bits = bits * 10 + (c - '0');
    }
    return bits >= 8 && bits <= 15 ? bits : 0;
}

std::optional<Agreement> accept(const Offer &offer)
{
    bool serverNoTakeover = false, clientNoTakeover = false, clientBits = false;
    int serverBits = 0;
    for (const auto &[name, value] : offer.params) {
        if (name == "server_no_context_takeover" || name == "client_no_context_takeover") {
            bool &seen = name.front() == 's' ? serverNoTakeover : clientNoTakeover;
            if (seen || value)
                return std::nullopt;
            seen = true;
        } else if (name == "server_max_window_bits") {
            if (serverBits || !value || !(serverBits = windowBitsOf(*value)))
                return std::nullopt;
        } else if (name == "client_max_window_bits") {
            if (clientBits || (value && !windowBitsOf(*value)))
                return std::nullopt;
            clientBits = true;
        } else {
            return std::nullopt;
        }
    }
    if (serverBits == 8)
        return std::nullopt;
    Agreement agreement;
    agreement.response = QByteArrayLiteral(
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
    if (serverBits) {
        agreement.serverWindowBits = quint8(serverBits);
        agreement.response += "; server_max_window_bits=" + QByteArray::number(serverBits);
    }
    return agreement;
}

} // namespace

std::optional<Agreement> negotiate(QByteArrayView offers)
{
    const std::optional<QList<Offer>> list = readOffers(offers);
    if (!list)
        return std::nullopt;
    for (const Offer &offer : *list) {
        if (offer.name != "permessage-deflate")
            continue;
        if (std::optional<Agreement> agreement = accept(offer))
            return agreement;
    }
    return std::nullopt;
}

// --- Codec ------------------------------------------------------------------

void Codec::DeflateEnd::operator()(z_stream_s *stream) const
{
    deflateEnd(stream);
    delete stream;
}

void Codec::InflateEnd::operator()(z_stream_s *stream) const
{
    inflateEnd(stream);
    delete stream;
}

Codec::Codec() = default;
Codec::~Codec() = default;

Codec &Codec::forThisThread()
{
    static thread_local Codec codec;
    return codec;
}

z_stream_s *Codec::deflater(int windowBits)
{
    Q_ASSERT(windowBits >= 9 && windowBits <= 15);
    auto &slot = m_deflaters[size_t(windowBits)];
    if (slot) {
        deflateReset(slot.get());
        return slot.get();
    }
    auto *stream = new z_stream {};
    if (deflateInit2(stream, Level, Z_DEFLATED, -windowBits, MemoryLevel, Z_DEFAULT_STRATEGY)
        != Z_OK) {
        delete stream;
        return nullptr;
    }
    slot.reset(stream);
    return stream;
}

QByteArray Codec::compress(QByteArrayView payload, int windowBits)
{
    z_stream *stream = deflater(windowBits);
    if (!stream)
        return {};
    // Into the codec's scratch space (kept between calls), then one exact copy:
    // no allocation per message beyond the result.
    QByteArray &out = m_scratch;
    const qsizetype room = qsizetype(deflateBound(stream, uLong(payload.size()))) + 16;
    if (out.size() < room)
        out.resize(room);
    stream->next_in = reinterpret_cast<Bytef *>(const_cast<char *>(payload.data()));
    stream->avail_in = uInt(payload.size());
    qsizetype produced = 0;
    for (;;) {
        stream->next_out = reinterpret_cast<Bytef *>(out.data() + produced);
        stream->avail_out = uInt(out.size() - produced);
        if (deflate(stream, Z_SYNC_FLUSH) != Z_OK)
            return {};
        produced = out.size() - qsizetype(stream->avail_out);
        if (stream->avail_out > 0 && stream->avail_in == 0)
            break;
        out.resize(out.size() * 2);
    }
    // Z_SYNC_FLUSH with output room to spare always ends on the empty stored block.
    if (produced < 4 || std::memcmp(out.constData() + produced - 4, SyncTail, 4) != 0)
        return {};
    return QByteArray(out.constData(), produced - 4);
}

Codec::Inflated Codec::inflate(QByteArrayView compressed, qsizetype maxBytes, QByteArray &out)
{
    out = {};
    if (!m_inflater) {
        auto *stream = new z_stream {};
        if (inflateInit2(stream, -15) != Z_OK) {
            delete stream;
            return Inflated::Corrupt;
        }
        m_inflater.reset(stream);
    } else {
        inflateReset(m_inflater.get());
    }
    z_stream *stream = m_inflater.get();
    // The payload, then the tail it was sent without, fed in turn (no copy).
    stream->next_in = reinterpret_cast<Bytef *>(const_cast<char *>(compressed.data()));
    stream->avail_in = uInt(compressed.size());
    bool tailFed = false;

    // Into the scratch space, at most one byte past the limit ("too big").
    const qsizetype cap = maxBytes + 1;
    QByteArray &room = m_scratch;
    if (room.size() < qMin(cap, qsizetype(4096)))
        room.resize(qMin(cap, qsizetype(4096)));
    qsizetype limit = qMin(cap, room.size());
    qsizetype produced = 0;
    for (;;) {
        if (stream->avail_in == 0 && !tailFed) {
            stream->next_in = reinterpret_cast<Bytef *>(const_cast<char *>(SyncTail));
            stream->avail_in = 4;
            tailFed = true;
        }
        stream->next_out = reinterpret_cast<Bytef *>(room.data() + produced);
        stream->avail_out = uInt(limit - produced);
        const int status = ::inflate(stream, Z_SYNC_FLUSH);
        produced = limit - qsizetype(stream->avail_out);
        if (produced > maxBytes)
            return Inflated::TooBig;
        if (status == Z_STREAM_END)
            break; // a final block: anything after it is not read
        if (status != Z_OK && status != Z_BUF_ERROR)
            return Inflated::Corrupt;
        if (tailFed && stream->avail_in == 0 && stream->avail_out > 0)
            break; // everything read, and inflate stopped short of the end of the room
        if (stream->avail_out == 0) {
            if (room.size() < qMin(cap, room.size() * 2))
                room.resize(qMin(cap, room.size() * 2));
            limit = qMin(cap, room.size());
        } else if (status == Z_BUF_ERROR && stream->avail_in > 0) {
            return Inflated::Corrupt; // input left, room left, and no progress
        }
    }
    out = QByteArray(room.constData(), produced);
    return Inflated::Ok;
}

QByteArray Codec::compressFrame(const QByteArray &frame, int windowBits)
{
    if (frame.size() < MinimumPayload + 2)
        return frame; // the common case, decided without a look inside
    const auto b0 = quint8(frame.at(0));
    if (b0 != 0x81 && b0 != 0x82) // FIN and text or binary, no RSV bits
        return frame;
    const qsizetype header = WireFrame::headerSize(frame);
    if (frame.size() - header < MinimumPayload)
        return frame;
    for (const Remembered &r : m_remembered) {
        if (r.windowBits == windowBits && r.frame.constData() == frame.constData()
            && r.frame.size() == frame.size())
            return r.compressed;
    }
    const QByteArrayView payload = QByteArrayView(frame).sliced(header);
    QByteArray result = frame;
    const QByteArray deflated = compress(payload, windowBits);
    if (!deflated.isNull() && deflated.size() < payload.size()) {
        result = WireFrame::compressed(b0 & 0x0f, deflated);
        ++m_counts.frames;
        m_counts.bytesIn += quint64(payload.size());
        m_counts.bytesOut += quint64(deflated.size());
    }
    std::move_backward(m_remembered.begin(), m_remembered.end() - 1, m_remembered.end());
    m_remembered.front() = Remembered {frame, result, windowBits};
    return result;
}

} // namespace Chat::PerMessageDeflate
