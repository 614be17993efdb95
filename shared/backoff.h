// Reconnect policy: exponential backoff with random jitter, reset on success.
// The clock and the random source are injected so that tests are exact.
#pragma once

#include <QtGlobal>

#include <functional>

namespace Chat {

struct BackoffPolicy
{
    qint64 initialMs = 500;
    qint64 maxMs = 30000;
    double multiplier = 2.0;
    double jitter = 0.2; // each delay is scaled by a random factor in [1-j, 1+j]
};

class Backoff final
{
public:
    using Policy = BackoffPolicy;
    using Clock = std::function<qint64()>; // milliseconds, monotonic
    using RandomSource = std::function<double()>; // uniform in [0, 1)

    explicit Backoff(Policy policy = {}, Clock clock = {}, RandomSource random = {});

    // The delay before the next attempt; also starts the countdown to it.
    qint64 nextDelay();
    // Milliseconds until the scheduled attempt (0 if none is pending or it is due).
    qint64 remainingMs() const;
    // The delay of attempt n (0-based) before jitter: initial * multiplier^n, capped.
    qint64 baseDelay(int attempt) const;
    int attempts() const { return m_attempt; }
    void reset();
    const Policy &policy() const { return m_policy; }

private:
    Policy m_policy;
    Clock m_clock;
    RandomSource m_random;
    int m_attempt = 0;
    qint64 m_dueAt = -1;
};

} // namespace Chat
