// Token bucket.
#include "tokenbucket.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace Chat {

double TokenRate::capacity() const
{
    return std::max(1.0, burst);
}

TokenState TokenState::full(const TokenRate &rate, qint64 nowMs)
{
    return TokenState {rate.capacity(), nowMs};
}

void TokenState::refill(const TokenRate &rate, qint64 nowMs)
{
    tokens = std::min(rate.capacity(), tokens + double(nowMs - lastMs) * rate.perSecond / 1000.0);
    lastMs = nowMs;
}

bool TokenState::take(const TokenRate &rate, qint64 nowMs)
{
    if (rate.isUnlimited())
        return true;
    refill(rate, nowMs);
    if (tokens < 1.0)
        return false;
    tokens -= 1.0;
    return true;
}

double TokenState::available(const TokenRate &rate, qint64 nowMs)
{
    if (rate.isUnlimited())
        return rate.capacity();
    refill(rate, nowMs);
    return tokens;
}

qint64 TokenState::msUntilAvailable(const TokenRate &rate, qint64 nowMs)
{
    if (rate.isUnlimited())
        return 0;
    refill(rate, nowMs);
    if (tokens >= 1.0)
        return 0;
    return qint64(std::ceil((1.0 - tokens) * 1000.0 / rate.perSecond));
}

void TokenState::drain(const TokenRate &rate, qint64 nowMs)
{
    refill(rate, nowMs);
    tokens = 0;
}

void TokenState::giveBack(const TokenRate &rate, qint64 nowMs)
{
    refill(rate, nowMs);
    tokens = std::min(rate.capacity(), tokens + 1);
}

// A plain function: std::function keeps it inline, so a bucket allocates nothing.
qint64 TokenBucket::monotonicMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

TokenBucket::TokenBucket(double ratePerSecond, double burst, Clock clock)
    : m_rate {ratePerSecond, burst}, m_clock(std::move(clock))
{
    if (!m_clock)
        m_clock = &TokenBucket::monotonicMs;
    m_state = TokenState::full(m_rate, m_clock());
}

bool TokenBucket::take()
{
    return m_state.take(m_rate, m_clock());
}

double TokenBucket::available() const
{
    return m_state.available(m_rate, m_clock());
}

qint64 TokenBucket::msUntilAvailable() const
{
    return m_state.msUntilAvailable(m_rate, m_clock());
}

void TokenBucket::giveBack()
{
    m_state.giveBack(m_rate, m_clock());
}

void TokenBucket::drain()
{
    m_state.drain(m_rate, m_clock());
}

} // namespace Chat
