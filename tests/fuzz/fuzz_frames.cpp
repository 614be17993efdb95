// libFuzzer target: the WebSocket client-frame parser. The first byte picks a
// split point (its low 7 bits) and whether permessage-deflate was agreed (its
// high bit: RSV1 messages are inflated); the rest is the byte stream, fed whole
// and then in two parts: both must give the same frames and the same end.
// Built by scripts/fuzz.sh.
#include "frameparser.h"
#include "fuzzcheck.h"

#include <QList>

#include <cstdint>
#include <cstdlib>

using namespace Chat;
using Chat::Fuzz::require;

namespace {
constexpr qint64 MaxMessage = 4096;

struct Recorder final : FrameParser::Sink
{
    QList<std::pair<FrameParser::Opcode, QByteArray>> frames;
    bool onFrame(FrameParser::Opcode opcode, const QByteArray &payload) override
    {
        frames.append({opcode, payload});
        return true;
    }
};

struct Run
{
    Recorder recorder;
    FrameParser::Status status = FrameParser::Status::Reading;
    int code = 0;
};

Run parse(const char *data, qsizetype size, qsizetype split, bool inflating)
{
    Run run;
    FrameParser parser(MaxMessage);
    parser.setInflating(inflating);
    parser.feed(data, split, run.recorder);
    run.status = parser.feed(data + split, size - split, run.recorder);
    run.code = parser.failureCode();
    require(parser.bufferedBytes() <= size + MaxMessage);
    return run;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const auto *bytes = reinterpret_cast<const char *>(data + 1);
    const auto length = qsizetype(size - 1);
    const qsizetype split = length == 0 ? 0 : (data[0] & 0x7f) % (length + 1);
    const bool inflating = data[0] & 0x80;
    const Run whole = parse(bytes, length, 0, inflating);
    const Run parts = parse(bytes, length, split, inflating);
    require(whole.status == parts.status && whole.code == parts.code);
    require(whole.recorder.frames == parts.recorder.frames);
    for (const auto &[opcode, payload] : whole.recorder.frames) {
        require(payload.size() <= MaxMessage);
        if (opcode == FrameParser::Opcode::Text)
            require(FrameParser::isValidUtf8(payload.constData(), payload.size()));
        if (opcode == FrameParser::Opcode::Ping || opcode == FrameParser::Opcode::Pong
            || opcode == FrameParser::Opcode::Close)
            require(payload.size() <= 125);
        if (opcode == FrameParser::Opcode::Close && !payload.isEmpty())
            require(FrameParser::isValidCloseCode(FrameParser::closeCodeOf(payload)));
    }
    if (whole.status == FrameParser::Status::Failed)
        require(whole.code == 1002 || whole.code == 1007 || whole.code == 1009);
    return 0;
}
