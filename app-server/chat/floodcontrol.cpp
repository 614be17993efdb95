// Flood control per connection.
#include "floodcontrol.h"

namespace Chat {

namespace {
// limits.ratePerSecond 0 turns all of flood control off.
double rateOr0(const ProtocolLimits &limits, double rate)
{
    return limits.ratePerSecond <= 0 ? 0 : rate;
}
} // namespace

FloodControl::FloodControl(const ProtocolLimits &limits, const FloodLimits &flood,
                           const TokenBucket::Clock &clock)
    : m_chat(limits.ratePerSecond, limits.rateBurst, clock)
    , m_requests(rateOr0(limits, flood.requestsPerSecond), flood.requestBurst, clock)
    , m_typing(rateOr0(limits, flood.typingPerSecond), flood.typingBurst, clock)
    , m_closeAfterRefused(flood.closeAfterRefused)
{ }

FloodControl::Verdict FloodControl::admit(RequestType type)
{
    if (type == RequestType::Typing)
        return m_typing.take() ? Verdict::Admit : Verdict::Drop; // cosmetic
    TokenBucket &bucket = type == RequestType::Chat ? m_chat : m_requests;
    if (bucket.take()) {
        m_refusedInRow = 0;
        return Verdict::Admit;
    }
    if (++m_refusedInRow > m_closeAfterRefused)
        return Verdict::Close;
    if (m_refusedInRow == 1 || m_refusedInRow % 10 == 0)
        return Verdict::RefuseAndExplain;
    return Verdict::Refuse;
}

} // namespace Chat
