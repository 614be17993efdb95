// Token bucket.
#include "tokenbucket.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace Chat {

namespace {
// A plain function: std::function keeps it inline, so a bucket allocates nothing.
qint64 monotonicMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}
} // namespace

TokenBucket::TokenBucket(double ratePerSecond, double burst, Clock clock)
    : m_rate(ratePerSecond)
    , m_burst(std::max(1.0, burst))
    , m_clock(std::move(clock))
    , m_tokens(m_burst)
{
    if (!m_clock)
        m_clock = &monotonicMs;
    m_last = m_clock();
}

void TokenBucket::refill() const
{
    const qint64 now = m_clock();
    m_tokens = std::min(m_burst, m_tokens + double(now - m_last) * m_rate / 1000.0);
    m_last = now;
}

bool TokenBucket::take()
{
    if (isUnlimited())
        return true;
    refill();
    if (m_tokens < 1.0)
        return false;
    m_tokens -= 1.0;
    return true;
}

double TokenBucket::available() const
{
    if (isUnlimited())
        return m_burst;
    refill();
    return m_tokens;
}

qint64 TokenBucket::msUntilAvailable() const
{
    if (isUnlimited())
        return 0;
    refill();
    if (m_tokens >= 1.0)
        return 0;
    return qint64(std::ceil((1.0 - m_tokens) * 1000.0 / m_rate));
}

void TokenBucket::giveBack()
{
    refill();
    m_tokens = std::min(m_burst, m_tokens + 1);
}

void TokenBucket::drain()
{
    refill();
    m_tokens = 0;
}

} // namespace Chat
