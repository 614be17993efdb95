// Protocol limits <-> JSON for the `welcome` message.
#include "protocollimits.h"

#include "jsoninteger.h"

#include <climits>
#include <cmath>

namespace Chat {

QJsonObject ProtocolLimits::toJson() const
{
    return QJsonObject {
        {QStringLiteral("maxMessageBytes"), maxMessageBytes},
        {QStringLiteral("maxTextLength"), maxTextLength},
        {QStringLiteral("maxUsernameLength"), maxUsernameLength},
        {QStringLiteral("maxRoomLength"), maxRoomLength},
        {QStringLiteral("maxClientIdLength"), maxClientIdLength},
        {QStringLiteral("historyOnJoin"), historyOnJoin},
        {QStringLiteral("historyPageMax"), historyPageMax},
        {QStringLiteral("ratePerSecond"), ratePerSecond},
        {QStringLiteral("rateBurst"), rateBurst},
    };
}

ProtocolLimits ProtocolLimits::fromJson(const QJsonObject &object)
{
    ProtocolLimits limits;
    // Positive and in range, or the default stays: a server's welcome is outside input.
    auto readInt = [&object](const char *key, auto &target) {
        using T = std::decay_t<decltype(target)>;
        const qint64 max = std::is_same_v<T, int> ? INT_MAX : MaxSafeInteger;
        if (const auto n = jsonInteger(object.value(QLatin1String(key)), 1, max))
            target = T(*n);
    };
    readInt("maxMessageBytes", limits.maxMessageBytes);
    readInt("maxTextLength", limits.maxTextLength);
    readInt("maxUsernameLength", limits.maxUsernameLength);
    readInt("maxRoomLength", limits.maxRoomLength);
    readInt("maxClientIdLength", limits.maxClientIdLength);
    readInt("historyOnJoin", limits.historyOnJoin);
    readInt("historyPageMax", limits.historyPageMax);
    if (const QJsonValue rate = object.value(QLatin1String("ratePerSecond"));
        rate.isDouble() && std::isfinite(rate.toDouble()) && rate.toDouble() >= 0) // 0: no limit
        limits.ratePerSecond = rate.toDouble();
    readInt("rateBurst", limits.rateBurst);
    return limits;
}

} // namespace Chat
