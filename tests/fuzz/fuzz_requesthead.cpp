// libFuzzer target: the HTTP request head the front door peeks at, and the
// Host/Origin policy applied to it. Built by scripts/fuzz.sh.
#include "fuzzcheck.h"
#include "requesthead.h"

#include <cstdint>
#include <cstdlib>

using namespace Chat;
using Chat::Fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const std::optional<RequestHead> head = RequestHead::parse(bytes);
    if (!head)
        return 0;
    require(!head->method().isEmpty() && !head->target().isEmpty());
    const HostPolicy policy({QStringLiteral("chatbox"), QStringLiteral("chatbox.local")},
                            {QStringLiteral("chat.example")},
                            {QStringLiteral("http://other.example")});
    const std::optional<QByteArray> host = head->hostName();
    const bool hostAllowed = policy.allowsHost(*head);
    if (!host)
        require(!hostAllowed);
    // A name the server does not own is never answered, whatever Origin says.
    if (host && *host == "evil.example") {
        require(!hostAllowed);
        if (head->header("origin").toLower() == "http://" + head->header("host").toLower())
            require(!policy.allowsOrigin(*head, false));
    }
    policy.allowsOrigin(*head, true);
    head->isWebSocketUpgrade();
    return 0;
}
