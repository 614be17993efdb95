// How many sign-in attempts an account and an address get: a token bucket each
// (TokenBucket). An attempt takes a token from both before the password is
// checked, so parallel guesses cannot outrun it; a correct password gives the
// account's and the address's token back, so a user who types it right is never
// slowed by their own earlier typos.
//
// The defaults: each account and each address may fail 10 times at once, then
// once per 10 s (account) and once per 6 s (address). 1,000 guesses at one
// account take at least 2.7 hours from any number of addresses; a real user
// whose account is under attack waits at most 10 s per try, and their signed-in
// devices (tokens) are not affected (docs/security.md).
#pragma once

#include "tokenbucket.h"

#include <QHash>
#include <QString>

namespace Chat {

struct LoginLimits
{
    double accountPerSecond = 0.1;
    int accountBurst = 10;
    double addressPerSecond = 1.0 / 6;
    int addressBurst = 10;
    int maxEntries = 20000; // per map; full buckets are forgotten first
};

class LoginThrottle final
{
public:
    using Limits = LoginLimits;
    explicit LoginThrottle(Limits limits = {}, TokenBucket::Clock clock = {});

    // 0 if the attempt may go ahead (it took a token of each); otherwise the
    // milliseconds until it may, and nothing was taken. An empty account key
    // (registration) counts against the address only.
    qint64 begin(const QString &accountKey, const QString &address);
    // The password was right: the attempt is given back.
    void succeeded(const QString &accountKey, const QString &address);

    int trackedAccounts() const { return int(m_accounts.size()); }
    int trackedAddresses() const { return int(m_addresses.size()); }

private:
    TokenBucket &bucket(QHash<QString, TokenBucket> &map, const QString &key, double rate,
                        int burst);
    void prune(QHash<QString, TokenBucket> &map, int burst);

    Limits m_limits;
    TokenBucket::Clock m_clock;
    QHash<QString, TokenBucket> m_accounts;
    QHash<QString, TokenBucket> m_addresses;
};

} // namespace Chat
