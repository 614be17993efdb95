// Flood control of one connection: a token bucket each for chat posts, other
// requests and typing, and the count of refusals in a row that ends in a close.
// It decides; the session says it to the client.
#pragma once

#include "chatlimits.h"
#include "protocol.h"
#include "protocollimits.h"
#include "tokenbucket.h"

namespace Chat {

class FloodControl
{
public:
    // `clock`: for tests (TokenBucket::Clock); the monotonic clock by default.
    FloodControl(const ProtocolLimits &limits, const FloodLimits &flood,
                 const TokenBucket::Clock &clock = {});

    enum class Verdict : quint8 {
        Admit,
        Drop, // typing over its rate: dropped without a word
        Refuse, // over the rate: refused, a short error if the request has a ref
        RefuseAndExplain, // the first refusal in a row, and every tenth: say why
        Close, // refused too often in a row: close the connection
    };
    Verdict admit(RequestType type);
    int refusedInRow() const { return m_refusedInRow; }

private:
    TokenBucket m_chat;
    TokenBucket m_requests;
    TokenBucket m_typing;
    int m_closeAfterRefused;
    int m_refusedInRow = 0;
};

} // namespace Chat
