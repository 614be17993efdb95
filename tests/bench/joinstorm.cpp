// A room filling: how long until everyone knows everyone is there.
#include "joinstorm.h"

#include "loadclient.h"

#include <cstring>
#include <string_view>
#include <vector>

namespace bench {

namespace {
// The value of "usersInRoom" in a frame, or -1.
int usersInRoomOf(const char *payload, size_t size)
{
    static constexpr std::string_view key = "\"usersInRoom\":";
    const std::string_view text(payload, size);
    const size_t at = text.find(key);
    if (at == std::string_view::npos)
        return -1;
    int value = 0;
    for (size_t i = at + key.size(); i < size && payload[i] >= '0' && payload[i] <= '9'; ++i)
        value = value * 10 + (payload[i] - '0');
    return value;
}
} // namespace

JoinStorm fillRoom(int port, int clients, bool batched, const std::string &room, int parallel,
                   int64_t deadlineNs)
{
    JoinStorm result;
    LoadClient load(port);
    load.setBatchPresence(batched);
    std::vector<int> count(size_t(clients), 0); // the last usersInRoom each one saw
    load.setObserver([&](Connection &c, const char *payload, size_t size) {
        const int n = usersInRoomOf(payload, size);
        if (n < 0 || size_t(c.index) >= count.size())
            return;
        int &seen = count[size_t(c.index)];
        if (n == clients && seen != clients)
            ++result.current;
        else if (seen == clients && n != clients)
            --result.current;
        seen = n;
    });
    const int64_t start = nowNs();
    result.joined = load.connectAndJoin(
        clients, [&room](int) { return room; }, parallel, deadlineNs);
    while (result.current < clients && nowNs() < deadlineNs)
        load.run(nowNs() + 10000000, [](Connection &, const char *, size_t) {});
    result.seconds = double(nowNs() - start) / 1e9;
    result.frames = load.textFramesReceived();
    result.bytes = load.bytesReceived();
    load.setObserver({});
    load.closeAll();
    return result;
}

} // namespace bench
