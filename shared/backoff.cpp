// Exponential backoff with jitter.
#include "backoff.h"

#include <QElapsedTimer>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>
#include <memory>

namespace Chat {

Backoff::Backoff(Policy policy, Clock clock, RandomSource random)
    : m_policy(policy), m_clock(std::move(clock)), m_random(std::move(random))
{
    if (!m_clock) {
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        m_clock = [timer] { return timer->elapsed(); };
    }
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
}

qint64 Backoff::baseDelay(int attempt) const
{
    const double raw = double(m_policy.initialMs) * std::pow(m_policy.multiplier, attempt);
    return qint64(std::min(raw, double(m_policy.maxMs)));
}

qint64 Backoff::nextDelay()
{
    const double base = double(baseDelay(m_attempt));
    const double r = std::clamp(m_random(), 0.0, 1.0);
    const double factor = 1.0 + m_policy.jitter * (2.0 * r - 1.0);
    const qint64 delay = std::clamp(qint64(std::llround(base * factor)), qint64(0), m_policy.maxMs);
    // Stop growing the exponent once capped, so it never overflows.
    if (baseDelay(m_attempt) < m_policy.maxMs)
        ++m_attempt;
    m_dueAt = m_clock() + delay;
    return delay;
}

qint64 Backoff::remainingMs() const
{
    if (m_dueAt < 0)
        return 0;
    return std::max<qint64>(0, m_dueAt - m_clock());
}

void Backoff::reset()
{
    m_attempt = 0;
    m_dueAt = -1;
}

} // namespace Chat
