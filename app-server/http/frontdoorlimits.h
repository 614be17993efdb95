// The front door's limits and settings (ServerConfig holds them).
#pragma once

namespace Chat {

struct FrontDoorLimits
{
    int maxHeadBytes = 16 * 1024;
    int headTimeoutMs = 5000;
    int maxConnections = 10000; // 0: no limit
    int maxPerAddress = 256; // 0: no limit
    bool deflate = true; // a client's permessage-deflate offer is accepted (--compression)
};

} // namespace Chat
