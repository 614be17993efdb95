// The front door's limits (ServerConfig holds them).
#pragma once

namespace Chat {

struct FrontDoorLimits
{
    int maxHeadBytes = 16 * 1024;
    int headTimeoutMs = 5000;
    int maxConnections = 10000; // 0: no limit
    int maxPerAddress = 256; // 0: no limit
};

} // namespace Chat
