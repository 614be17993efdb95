// libFuzzer target: permessage-deflate. The same bytes are read three ways: as
// a Sec-WebSocket-Extensions offer (an agreement names the extension and a
// window the codec can use), as a compressed message from a client (inflated
// within the limit, or refused, never more), and as a message the server
// compresses (it inflates back to itself). Built by scripts/fuzz.sh.
#include "fuzzcheck.h"
#include "permessagedeflate.h"

#include <cstdint>

using namespace Chat;
using Chat::Fuzz::require;
using Codec = PerMessageDeflate::Codec;

namespace {
constexpr qsizetype MaxMessage = 4096;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));

    if (const auto agreement = PerMessageDeflate::negotiate(bytes)) {
        require(agreement->response.startsWith("permessage-deflate; server_no_context_takeover; "
                                               "client_no_context_takeover"));
        require(agreement->serverWindowBits >= 9 && agreement->serverWindowBits <= 15);
    }

    Codec &codec = Codec::forThisThread();
    QByteArray out;
    const Codec::Inflated inflated = codec.inflate(bytes, MaxMessage, out);
    if (inflated == Codec::Inflated::Ok)
        require(out.size() <= MaxMessage);
    else
        require(out.isEmpty());

    const int windowBits = 9 + (size % 7);
    const QByteArray compressed = codec.compress(bytes, windowBits);
    require(!compressed.isNull());
    QByteArray back;
    require(codec.inflate(compressed, qsizetype(size), back) == Codec::Inflated::Ok);
    require(back == bytes);
    return 0;
}
