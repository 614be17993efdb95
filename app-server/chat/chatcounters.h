// What the sessions count for /metrics: deliveries, refusals, closes. Plain
// numbers, kept by the server and shared by its sessions through ServerContext
// (one event loop: no atomics needed).
#pragma once

#include <QHash>
#include <QtGlobal>

namespace Chat {

struct ChatCounters
{
    enum class Delivery : quint8 { Message, Typing, Presence, Count };
    enum class Side : quint8 { Client, Server };

    quint64 deliveries[int(Delivery::Count)] = {};
    quint64 rateLimited = 0; // requests refused for going over a rate
    // Connections ended, by WebSocket close code and which side closed.
    QHash<quint32, quint64> closes;

    void countClose(int code, Side side) { ++closes[closeKey(code, side)]; }
    static quint32 closeKey(int code, Side side) { return quint32(code) << 1 | quint32(side); }
    static int closeCode(quint32 key) { return int(key >> 1); }
    static Side closeSide(quint32 key) { return Side(key & 1); }
};

} // namespace Chat
