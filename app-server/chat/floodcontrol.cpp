// Flood control per connection.
#include "floodcontrol.h"

namespace Chat {

FloodControl::FloodControl(const ProtocolLimits &limits, const FloodLimits &flood,
                           const TokenBucket::Clock *clock)
    : m_limits(&limits), m_flood(&flood), m_clock(clock)
{
    const qint64 at = now();
    m_chat = TokenState::full(chatRate(), at);
    m_requests = TokenState::full(requestRate(), at);
    m_typing = TokenState::full(typingRate(), at);
}

qint64 FloodControl::now() const
{
    return m_clock ? (*m_clock)() : TokenBucket::monotonicMs();
}

// limits.ratePerSecond 0 turns all of flood control off.
TokenRate FloodControl::chatRate() const
{
    return {m_limits->ratePerSecond, double(m_limits->rateBurst)};
}

TokenRate FloodControl::requestRate() const
{
    return {m_limits->ratePerSecond <= 0 ? 0 : m_flood->requestsPerSecond,
            double(m_flood->requestBurst)};
}

TokenRate FloodControl::typingRate() const
{
    return {m_limits->ratePerSecond <= 0 ? 0 : m_flood->typingPerSecond,
            double(m_flood->typingBurst)};
}

FloodControl::Verdict FloodControl::admit(RequestType type)
{
    const qint64 at = now();
    if (type == RequestType::Typing)
        return m_typing.take(typingRate(), at) ? Verdict::Admit : Verdict::Drop; // cosmetic
    const bool taken = type == RequestType::Chat ? m_chat.take(chatRate(), at)
                                                 : m_requests.take(requestRate(), at);
    if (taken) {
        m_refusedInRow = 0;
        return Verdict::Admit;
    }
    if (++m_refusedInRow > m_flood->closeAfterRefused)
        return Verdict::Close;
    if (m_refusedInRow == 1 || m_refusedInRow % 10 == 0)
        return Verdict::RefuseAndExplain;
    return Verdict::Refuse;
}

} // namespace Chat
