// Token bucket rate limiter: `rate` tokens per second refill up to `burst`.
// The clock is injectable so that tests are exact.
#pragma once

#include <QtGlobal>

#include <functional>

namespace Chat {

class TokenBucket final
{
public:
    using Clock = std::function<qint64()>; // milliseconds, monotonic

    // rate <= 0 means unlimited.
    TokenBucket(double ratePerSecond, double burst, Clock clock = {});

    // Takes one token if there is one.
    bool take();
    double available() const;
    // Milliseconds until a token is there (0: now).
    qint64 msUntilAvailable() const;
    // Empties the bucket: the other side said it is empty (a client pacing itself).
    void drain();
    // Puts one token back (up to the burst): what was taken was not used.
    void giveBack();
    bool isUnlimited() const { return m_rate <= 0; }

private:
    void refill() const;

    double m_rate;
    double m_burst;
    Clock m_clock;
    mutable double m_tokens;
    mutable qint64 m_last;
};

} // namespace Chat
