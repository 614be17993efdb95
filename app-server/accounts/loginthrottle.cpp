// Sign-in attempts per account and per address (loginthrottle.h).
#include "loginthrottle.h"

#include <QElapsedTimer>

namespace Chat {

LoginThrottle::LoginThrottle(Limits limits, TokenBucket::Clock clock)
    : m_limits(limits), m_clock(std::move(clock))
{
    if (!m_clock) {
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        m_clock = [timer] { return timer->elapsed(); };
    }
}

void LoginThrottle::prune(QHash<QString, TokenBucket> &map, int burst)
{
    if (map.size() < m_limits.maxEntries)
        return;
    // A full bucket says nothing the next attempt would not say again.
    for (auto it = map.begin(); it != map.end();) {
        if (it->available() >= burst)
            it = map.erase(it);
        else
            ++it;
    }
}

TokenBucket &LoginThrottle::bucket(QHash<QString, TokenBucket> &map, const QString &key,
                                   double rate, int burst)
{
    auto it = map.find(key);
    if (it != map.end())
        return *it;
    prune(map, burst);
    // Still full: every key nobody has seen shares one bucket, so that a flood
    // of addresses or names cannot grow the map without bound.
    const QString slot = map.size() >= m_limits.maxEntries ? QStringLiteral("\x01overflow") : key;
    it = map.find(slot);
    if (it == map.end())
        it = map.insert(slot, TokenBucket(rate, burst, m_clock));
    return *it;
}

qint64 LoginThrottle::begin(const QString &accountKey, const QString &address)
{
    TokenBucket &byAddress
        = bucket(m_addresses, address, m_limits.addressPerSecond, m_limits.addressBurst);
    TokenBucket *byAccount = accountKey.isEmpty()
        ? nullptr
        : &bucket(m_accounts, accountKey, m_limits.accountPerSecond, m_limits.accountBurst);
    const qint64 wait = std::max(byAddress.msUntilAvailable(),
                                 byAccount ? byAccount->msUntilAvailable() : qint64(0));
    if (wait > 0)
        return wait;
    byAddress.take();
    if (byAccount)
        byAccount->take();
    return 0;
}

void LoginThrottle::succeeded(const QString &accountKey, const QString &address)
{
    if (auto it = m_addresses.find(address); it != m_addresses.end())
        it->giveBack();
    if (auto it = m_accounts.find(accountKey); it != m_accounts.end())
        it->giveBack();
}

} // namespace Chat
