// Protocol limits <-> JSON for the `welcome` message.
#include "protocollimits.h"

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
    auto readInt = [&object](const char *key, auto &target) {
        const QJsonValue v = object.value(QLatin1String(key));
        if (v.isDouble() && v.toDouble() > 0)
            target = static_cast<std::decay_t<decltype(target)>>(v.toDouble());
    };
    readInt("maxMessageBytes", limits.maxMessageBytes);
    readInt("maxTextLength", limits.maxTextLength);
    readInt("maxUsernameLength", limits.maxUsernameLength);
    readInt("maxRoomLength", limits.maxRoomLength);
    readInt("maxClientIdLength", limits.maxClientIdLength);
    readInt("historyOnJoin", limits.historyOnJoin);
    readInt("historyPageMax", limits.historyPageMax);
    readInt("ratePerSecond", limits.ratePerSecond);
    readInt("rateBurst", limits.rateBurst);
    return limits;
}

} // namespace Chat
