// Token bucket rate limiter: `rate` tokens per second refill up to `burst`.
// The clock is injectable so that tests are exact.
//
// The arithmetic is on a TokenState (the tokens and the time of the last
// refill, 16 bytes) and a TokenRate passed in, so that a holder of many buckets
// with the same rates (a session's flood control, one per connection) keeps
// only the states and one clock; TokenBucket is the self-contained form.
#pragma once

#include <QtGlobal>

#include <functional>

namespace Chat {

struct TokenRate
{
    double perSecond = 0; // <= 0: unlimited
    double burst = 1; // at least 1 is used

    bool isUnlimited() const { return perSecond <= 0; }
    double capacity() const;
};

struct TokenState
{
    double tokens = 0;
    qint64 lastMs = 0;

    // A full bucket at `nowMs`.
    static TokenState full(const TokenRate &rate, qint64 nowMs);
    // Takes one token if there is one.
    bool take(const TokenRate &rate, qint64 nowMs);
    double available(const TokenRate &rate, qint64 nowMs);
    // Milliseconds until a token is there (0: now).
    qint64 msUntilAvailable(const TokenRate &rate, qint64 nowMs);
    void drain(const TokenRate &rate, qint64 nowMs);
    void giveBack(const TokenRate &rate, qint64 nowMs);

private:
    void refill(const TokenRate &rate, qint64 nowMs);
};

class TokenBucket final
{
public:
    using Clock = std::function<qint64()>; // milliseconds, monotonic

    // The monotonic clock in milliseconds, the default Clock.
    static qint64 monotonicMs();

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
    bool isUnlimited() const { return m_rate.isUnlimited(); }

private:
    TokenRate m_rate;
    Clock m_clock;
    mutable TokenState m_state;
};

} // namespace Chat
