// Limits both sides agree on; the server announces its own in `welcome`.
#pragma once

#include <QJsonObject>

namespace Chat {

struct ProtocolLimits
{
    qint64 maxMessageBytes = 64 * 1024; // one incoming WebSocket message (and frame)
    int maxTextLength = 4000; // UTF-16 code units, as JavaScript counts
    int maxUsernameLength = 32;
    int maxRoomLength = 64;
    int maxClientIdLength = 64;
    int maxTokenLength = 512;
    int historyOnJoin = 50;
    int historyPageMax = 200;
    double ratePerSecond = 10.0; // chat messages per connection; 0: no limit
    int rateBurst = 20;

    QJsonObject toJson() const;
    // Fills what the object has, keeps the defaults for the rest.
    static ProtocolLimits fromJson(const QJsonObject &object);
};

} // namespace Chat
