// The store's settings (ServerConfig holds them): retention and durability.
#pragma once

#include <QtGlobal>

namespace Chat {

struct RetentionPolicy
{
    int maxMessagesPerRoom = 100000; // 0: no limit
    qint64 maxAgeMs = 365LL * 24 * 3600 * 1000; // 0: no limit
    int intervalMs = 60000; // how often a full pass starts
    int rowsPerStep = 500; // at most this many deletions between returns to the event loop
};

// synchronous=NORMAL (survives the process being killed) or FULL (also a power
// loss); docs/protocol.md, "Durability".
enum class Durability { Normal, Full };

} // namespace Chat
