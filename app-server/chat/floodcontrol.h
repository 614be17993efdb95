// Flood control of one connection: a token bucket each for chat posts, other
// requests and typing, and the count of refusals in a row that ends in a close.
// It decides; the session says it to the client. It keeps only the states of its
// buckets (it is one per connection, so it is small): the rates are read from the
// server's limits at each request, so a reload applies to open connections too.
#pragma once

#include "chatlimits.h"
#include "protocol.h"
#include "protocollimits.h"
#include "tokenbucket.h"

namespace Chat {

class FloodControl
{
public:
    // `limits`, `flood` and `clock` outlive it. `clock`: for tests; null, the
    // monotonic clock.
    FloodControl(const ProtocolLimits &limits, const FloodLimits &flood,
                 const TokenBucket::Clock *clock = nullptr);

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
    qint64 now() const;
    TokenRate chatRate() const;
    TokenRate requestRate() const;
    TokenRate typingRate() const;

    const ProtocolLimits *m_limits;
    const FloodLimits *m_flood;
    const TokenBucket::Clock *m_clock;
    TokenState m_chat;
    TokenState m_requests;
    TokenState m_typing;
    int m_refusedInRow = 0;
};

} // namespace Chat
