// The chat core's limits per connection and per server (ServerConfig holds them).
#pragma once

#include <QString>
#include <QtGlobal>

namespace Chat {

// Flood control per connection (token buckets). Chat uses limits.ratePerSecond
// and limits.rateBurst; 0 there turns all of it off.
struct FloodLimits
{
    double requestsPerSecond = 20; // join, leave, history, rooms, hello, bad frames
    int requestBurst = 60;
    double typingPerSecond = 2; // excess typing events are dropped silently
    int typingBurst = 5;
    int closeAfterRefused = 40; // refused in a row before the connection is closed (1008)
};

// Access and resource limits.
struct AccessLimits
{
    QString token; // non-empty: hello must carry it
    int identifyTimeoutMs = 10000; // with a token: identify within this or be closed (4004)
    int maxRoomsPerUser = 100;
    int maxRooms = 10000; // rooms live on the server at once
    qint64 maxQueuedBytes = 4 * 1024 * 1024; // unsent bytes before a reader is dropped (4005)
};

} // namespace Chat
