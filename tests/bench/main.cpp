// chat-bench: fan-out, many rooms, idle memory, connect storm and store
// scenarios against chat-server and, with --peer, the documents' Node `ws`
// server in the same run, with the ratio ours/theirs for every figure.
// The server is pinned to CPU 0 and the generator to CPU 1 (taskset).
#include "benchserver.h"
#include "joinstorm.h"
#include "loadclient.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <netinet/in.h>
#include <sched.h>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace bench;

namespace {

// Senders post at `rate` messages/s for `seconds`; every client records latency.
// CPU seconds this process (the load) has used.
double selfCpuSeconds()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

struct StepFigures
{
    double sent = 0, delivered = 0, expected = 0, seconds = 0, cpu = 0;
    double loadCpu = 0; // this process's CPU seconds in the step
    std::vector<int64_t> latencies;
};

StepFigures runTraffic(LoadClient &load, const Server &s, const std::vector<int> &senders,
                       double rate, double seconds, int recipientsPerMessage)
{
    StepFigures f;
    auto &conns = load.connections();
    const double cpu0 = cpuSeconds(s.pid);
    const double load0 = selfCpuSeconds();
    const int64_t start = nowNs();
    const int64_t end = start + int64_t(seconds * 1e9);
    const int64_t interval = int64_t(1e9 / rate);
    int64_t next = start;
    size_t turn = 0;
    const auto onMessage = [&f](Connection &, const char *payload, size_t size) {
        const int64_t sent = sendTimeOf(payload, size);
        if (sent > 0) {
            f.latencies.push_back(nowNs() - sent);
            ++f.delivered;
        }
    };
    while (nowNs() < end) {
        while (nowNs() >= next && next < end) {
            Connection &c = conns[size_t(senders[turn++ % senders.size()])];
            load.sendText(c,
                          "{\"type\":\"chat\",\"room\":\"" + c.room
                              + "\",\"text\":\"t:" + std::to_string(nowNs()) + "\"}");
            ++f.sent;
            next += interval;
        }
        load.run(std::min(next, end), onMessage);
    }
    load.run(nowNs() + 500000000, onMessage); // in flight
    f.seconds = double(nowNs() - start) / 1e9;
    f.cpu = cpuSeconds(s.pid) - cpu0;
    f.loadCpu = selfCpuSeconds() - load0;
    f.expected = f.sent * recipientsPerMessage;
    return f;
}

Result fanout(const Options &o, const Server &s, int clients)
{
    LoadClient load(s.port, s.tls);
    const int joined = load.connectAndJoin(
        clients, [](int) { return std::string("fanout"); }, 200, nowNs() + 120000000000LL);
    settle(load, s); // the join notices of a big room are N^2 frames: let them pass first
    std::vector<int> senders;
    for (int i = 0; i < std::min(clients, 20); ++i)
        senders.push_back(i);
    Result r {"fanout", s.label, std::to_string(clients) + " clients in one room", {}};
    r.figures["clients"] = joined;
    double rate = std::max(2.0, 20000.0 / clients);
    // Equal load: the same first rate for both servers (20,000 deliveries/s for
    // every N), run three times; each figure is the median of the three, so one
    // hiccup of either server or of this machine does not decide the comparison.
    {
        std::vector<double> p50, p99, p999, cpu;
        for (int run = 0; run < 3; ++run) {
            StepFigures f = runTraffic(load, s, senders, rate, o.stepSeconds, joined);
            p50.push_back(percentile(f.latencies, 0.5));
            p99.push_back(percentile(f.latencies, 0.99));
            p999.push_back(percentile(f.latencies, 0.999));
            cpu.push_back(f.delivered > 0 ? f.cpu * 1e6 / f.delivered : 0);
            std::fprintf(stderr, "  %s fanout %d equal load %.0f msg/s: p99 %.1f ms, %.2f us\n",
                         s.label.c_str(), clients, rate, p99.back(), cpu.back());
        }
        r.figures["equal_load_msgs_per_s"] = rate;
        r.figures["p50_ms"] = median(p50);
        r.figures["p99_ms"] = median(p99);
        r.figures["p999_ms"] = median(p999);
        r.figures["equal_load_cpu_us_per_delivery"] = median(cpu);
    }
    // Then step the rate up (x1.6) until the server fails: p99 over 50 ms or
    // deliveries falling behind, judged on the median of three runs of the step,
    // so that one spike does not end the ramp. There is no last step: the ramp
    // ends where the server does. A step where this load process itself was near
    // a full core is marked load-bound: there the figure is the benchmark's.
    double bestDeliveries = 0;
    const int repeats = o.quick ? 1 : 3;
    // One step at `stepRate`: true if the server kept up.
    const auto step = [&](double stepRate) {
        std::vector<double> perSecond, p99s, share, cpuUs, perCpu, loadBusy;
        for (int run = 0; run < repeats; ++run) {
            StepFigures f = runTraffic(load, s, senders, stepRate, o.stepSeconds, joined);
            perSecond.push_back(f.delivered / f.seconds);
            p99s.push_back(percentile(f.latencies, 0.99));
            share.push_back(f.expected > 0 ? f.delivered / f.expected : 0);
            cpuUs.push_back(f.delivered > 0 ? f.cpu * 1e6 / f.delivered : 0);
            perCpu.push_back(f.cpu > 0 ? f.delivered / f.cpu : 0);
            loadBusy.push_back(f.loadCpu / f.seconds);
        }
        const double p99 = median(p99s);
        const bool kept = median(share) >= 0.99 && p99 <= 50.0;
        const bool loadBound = median(loadBusy) >= 0.9;
        std::fprintf(stderr, "  %s fanout %d: %.0f msg/s -> %.0f deliveries/s, p99 %.1f ms%s%s\n",
                     s.label.c_str(), clients, stepRate, median(perSecond), p99,
                     loadBound ? " (load-bound)" : "", kept ? "" : " (limit)");
        if (kept && median(perSecond) > bestDeliveries) {
            bestDeliveries = median(perSecond);
            r.figures["sustained_deliveries_per_s"] = bestDeliveries;
            r.figures["sustained_msgs_per_s"] = stepRate;
            r.figures["sustained_load_bound"] = loadBound ? 1 : 0;
            r.figures["cpu_us_per_delivery"] = median(cpuUs);
            r.figures["deliveries_per_cpu_s"] = median(perCpu);
        }
        return kept;
    };
    double kept = 0;
    for (int n = 0; n < (o.quick ? 3 : 60); ++n) {
        if (!step(rate))
            break;
        kept = rate;
        rate *= 1.6;
    }
    // Then narrow it down between the last rate kept and the first one lost.
    for (int n = 0; n < (o.quick ? 0 : 3) && kept > 0; ++n) {
        const double middle = std::sqrt(kept * rate);
        if (step(middle))
            kept = middle;
        else
            rate = middle;
    }
    return r;
}

Result manyRooms(const Options &o, const Server &s)
{
    const int clients = o.roomsClients;
    LoadClient load(s.port, s.tls);
    const int joined = load.connectAndJoin(
        clients, [](int i) { return "room" + std::to_string(i / 10); }, 200,
        nowNs() + 60000000000LL);
    settle(load, s);
    std::vector<int> senders;
    for (int i = 0; i < clients; i += 10)
        senders.push_back(i); // one per room
    const double rate = double(senders.size()) * 2; // every room active: 2 messages/s each
    StepFigures f = runTraffic(load, s, senders, rate, o.stepSeconds * 2, 10);
    Result r {"rooms",
              s.label,
              std::to_string(clients) + " clients in " + std::to_string(clients / 10)
                  + " rooms of 10",
              {}};
    r.figures["clients"] = joined;
    r.figures["deliveries_per_s"] = f.delivered / f.seconds;
    r.figures["delivered_fraction"] = f.expected > 0 ? f.delivered / f.expected : 0;
    r.figures["p50_ms"] = percentile(f.latencies, 0.5);
    r.figures["p99_ms"] = percentile(f.latencies, 0.99);
    r.figures["cpu_us_per_delivery"] = f.delivered > 0 ? f.cpu * 1e6 / f.delivered : 0;
    return r;
}

// RSS per connection on a fresh server process: what earlier scenarios freed
// would otherwise be reused by the new connections and hide their cost.
Result idleMemory(const Options &o, Server &s)
{
    stopServer(s);
    s = startServer(o, s.peer, s.dbDir);
    std::fprintf(stderr, "chat-bench: %s restarted for idle memory (pid %d, port %d)\n",
                 s.label.c_str(), s.pid, s.port);
    usleep(300000);
    const long empty = rssKiB(s.pid);
    LoadClient load(s.port, s.tls);
    const int joined = load.connectAndJoin(
        o.idleClients, [](int i) { return "idle" + std::to_string(i % 100); }, 500,
        nowNs() + 120000000000LL);
    load.run(nowNs() + 1000000000, [](Connection &, const char *, size_t) {});
    const long atOnce = rssKiB(s.pid);
    // Idle for three seconds more: what a server keeps for its idle connections,
    // once it has settled after the burst (a garbage collection, a heap trim).
    load.run(nowNs() + 3000000000LL, [](Connection &, const char *, size_t) {});
    const long full = rssKiB(s.pid);
    Result r {"idle",
              s.label,
              std::to_string(o.idleClients) + " joined idle connections, fresh server",
              {}};
    r.figures["clients"] = joined;
    r.figures["empty_rss_kib"] = double(empty);
    r.figures["rss_kib"] = double(full);
    r.figures["kib_per_connection"] = joined > 0 ? double(full - empty) / joined : 0;
    r.figures["kib_per_connection_1s"] = joined > 0 ? double(atOnce - empty) / joined : 0;
    return r;
}

Result storm(const Options &o, const Server &s)
{
    // Others keep chatting meanwhile: 50 joined clients in a room of their own,
    // one of them sending 20 messages a second; the latency of their deliveries
    // while the storm connects says whether the handshakes (TLS: CPU-bound)
    // starve the event loop.
    LoadClient others(s.port, s.tls);
    others.connectAndJoin(
        50, [](int) { return std::string("storm-others"); }, 50, nowNs() + 30000000000LL);
    settle(others, s);
    std::vector<int64_t> latencies;
    const auto onOthers = [&latencies](Connection &, const char *payload, size_t size) {
        const int64_t sent = sendTimeOf(payload, size);
        if (sent > 0)
            latencies.push_back(nowNs() - sent);
    };
    int64_t nextSend = nowNs();
    const auto tick = [&] {
        others.pollOnce(onOthers);
        const int64_t now = nowNs();
        if (now >= nextSend && !others.connections().empty()) {
            Connection &c = others.connections()[0];
            others.sendText(c, "{\"type\":\"chat\",\"room\":\"" + c.room + "\",\"text\":\"t:"
                                   + std::to_string(now) + "\"}");
            nextSend = now + 50000000;
        }
    };
    LoadClient load(s.port, s.tls);
    const int64_t start = nowNs();
    const int joined = load.connectAndJoin(
        o.stormClients, [](int i) { return "storm" + std::to_string(i % 50); }, 500,
        nowNs() + 120000000000LL, tick);
    const double seconds = double(nowNs() - start) / 1e9;
    Result r {"storm", s.label, std::to_string(o.stormClients) + " connect and join at once", {}};
    r.figures["clients"] = joined;
    r.figures["joined_per_s"] = joined / seconds;
    r.figures["others_p50_ms"] = percentile(latencies, 0.50);
    r.figures["others_p99_ms"] = percentile(latencies, 0.99);
    r.figures["others_deliveries"] = double(latencies.size());
    return r;
}

Result store(const Options &o, const Server &s)
{
    // 20 clients in one room post as fast as they can; every post is fanned out
    // to 20, so the figure is posts (committed, for chat-server) per second.
    LoadClient load(s.port, s.tls);
    load.connectAndJoin(
        20, [](int) { return std::string("store"); }, 20, nowNs() + 30000000000LL);
    const int posts = o.quick ? 2000 : 20000;
    int seen = 0;
    const int64_t start = nowNs();
    auto &conns = load.connections();
    const auto onMessage = [&seen](Connection &c, const char *payload, size_t size) {
        if (c.index == 0 && sendTimeOf(payload, size) > 0)
            ++seen;
    };
    for (int i = 0; i < posts; ++i) {
        Connection &c = conns[size_t(i % 20)];
        load.sendText(c,
                      "{\"type\":\"chat\",\"room\":\"store\",\"text\":\"t:"
                          + std::to_string(nowNs()) + "\"}");
        if (i % 200 == 199)
            load.run(nowNs() + 1000000, onMessage);
    }
    const int64_t deadline = nowNs() + 60000000000LL;
    while (seen < posts && nowNs() < deadline)
        load.run(nowNs() + 10000000, onMessage);
    const double seconds = double(nowNs() - start) / 1e9;
    // The cost of a join that returns the last 50 messages.
    std::vector<int64_t> joins;
    for (int i = 0; i < (o.quick ? 5 : 20); ++i) {
        LoadClient one(s.port, s.tls);
        const int64_t t0 = nowNs();
        one.connectAndJoin(
            1, [](int) { return std::string("store"); }, 1, nowNs() + 10000000000LL);
        joins.push_back(nowNs() - t0);
    }
    Result r {"store",
              s.label,
              std::to_string(posts) + " posts from 20 clients, then joins with history",
              {}};
    r.figures["posts_per_s"] = seen / seconds;
    r.figures["join_ms_p50"] = percentile(joins, 0.5);
    return r;
}

// permessage-deflate, what it costs and saves (chat-server only; the Node peer
// does not store history). Idle memory of joined connections that agreed to it
// against ones that did not, each on a fresh server; then 200 clients ask for
// the 50-message history page 10 times each, without and with compression:
// bytes on the wire and server CPU per page.
Result compression(const Options &o, Server &s)
{
    Result r {"deflate", s.label, "idle, then 50-message history pages", {}};
    if (s.peer)
        return r;
    for (const bool deflate : {false, true}) {
        stopServer(s);
        s = startServer(o, s.peer, s.dbDir);
        usleep(300000);
        const long empty = rssKiB(s.pid);
        LoadClient load(s.port, s.tls);
        load.setOfferDeflate(deflate);
        const int joined = load.connectAndJoin(
            o.idleClients, [](int i) { return "idle" + std::to_string(i % 100); }, 500,
            nowNs() + 120000000000LL);
        load.run(nowNs() + 4000000000LL, [](Connection &, const char *, size_t) {});
        const long full = rssKiB(s.pid);
        int agreed = 0;
        for (const Connection &c : load.connections())
            agreed += c.deflate ? 1 : 0;
        const std::string kind = deflate ? "deflate" : "plain";
        r.figures["idle_kib_per_connection_" + kind]
            = joined > 0 ? double(full - empty) / joined : 0;
        r.figures["idle_agreed_" + kind] = agreed;
    }

    // Fifty messages of ordinary chat in one room.
    {
        LoadClient author(s.port, s.tls);
        author.connectAndJoin(
            1, [](int) { return std::string("history"); }, 1, nowNs() + 10000000000LL);
        static const char *const words[]
            = {"meeting", "lunch",  "today", "the", "build", "is",  "green",
               "again",   "who",    "has",   "the", "key",   "to",  "room",
               "four",    "thanks", "see",   "you", "at",    "noon"};
        int seen = 0;
        for (int i = 0; i < 50; ++i) {
            std::string text = "t:0 ";
            for (int w = 0; w < 18; ++w)
                text += std::string(words[(i * 7 + w * 3) % 20]) + " ";
            author.sendText(author.connections()[0],
                            "{\"type\":\"chat\",\"room\":\"history\",\"text\":\"" + text + "\"}");
        }
        const int64_t deadline = nowNs() + 30000000000LL;
        while (seen < 50 && nowNs() < deadline)
            author.run(nowNs() + 10000000, [&seen](Connection &, const char *payload, size_t size) {
                if (std::string_view(payload, size).find("\"type\":\"message\"")
                    != std::string_view::npos)
                    ++seen;
            });
    }
    const int clients = 200, rounds = o.quick ? 2 : 10;
    for (const bool deflate : {false, true}) {
        LoadClient load(s.port, s.tls);
        load.setOfferDeflate(deflate);
        load.connectAndJoin(
            clients, [](int) { return std::string("history"); }, 200, nowNs() + 60000000000LL);
        settle(load, s);
        const int64_t bytes0 = load.bytesReceived();
        const int64_t compressed0 = load.compressedFramesReceived();
        const double cpu0 = cpuSeconds(s.pid);
        int pages = 0;
        size_t pageBytes = 0;
        const auto onMessage = [&](Connection &, const char *payload, size_t size) {
            if (std::string_view(payload, size).find("\"type\":\"history\"")
                != std::string_view::npos) {
                ++pages;
                pageBytes = size;
            }
        };
        for (int round = 0; round < rounds; ++round) {
            for (Connection &c : load.connections())
                load.sendText(c, "{\"type\":\"history\",\"room\":\"history\",\"limit\":50}");
            const int64_t deadline = nowNs() + 30000000000LL;
            while (pages < clients * (round + 1) && nowNs() < deadline)
                load.run(nowNs() + 10000000, onMessage);
        }
        const double cpu = cpuSeconds(s.pid) - cpu0;
        const std::string kind = deflate ? "deflate" : "plain";
        r.figures["history_pages_" + kind] = pages;
        r.figures["history_page_json_bytes"] = double(pageBytes);
        r.figures["history_wire_bytes_per_page_" + kind]
            = pages > 0 ? double(load.bytesReceived() - bytes0) / pages : 0;
        r.figures["history_cpu_us_per_page_" + kind] = pages > 0 ? cpu * 1e6 / pages : 0;
        r.figures["history_compressed_frames_" + kind]
            = double(load.compressedFramesReceived() - compressed0);
        std::fprintf(stderr, "  %s history pages (%s): %d pages, %.0f bytes each on the wire\n",
                     s.label.c_str(), kind.c_str(), pages,
                     r.figures["history_wire_bytes_per_page_" + kind]);
    }
    return r;
}

// A room of N filling at once (500 handshakes in flight): the time until every
// member has been told the room holds N, the frames that took, and the
// server's CPU; with the documents' join (one user-joined per join for each
// member: N^2/2 frames for any server) and, for chat-server, as our clients
// join (presence batches, docs/protocol.md).
Result joinStorm(const Options &o, const Server &s)
{
    Result r {"joins", s.label, std::to_string(o.joinClients) + " join one room at once", {}};
    for (const bool batched : {false, true}) {
        if (batched && s.peer)
            break; // the documents' servers have no hello
        waitIdle(s.pid);
        const std::string kind = batched ? "batched" : "documents";
        const double cpu0 = cpuSeconds(s.pid);
        const JoinStorm f = fillRoom(s.port, o.joinClients, batched, "fill-" + kind, 500,
                                     nowNs() + 600000000000LL);
        const double cpu = cpuSeconds(s.pid) - cpu0;
        r.figures["joined_" + kind] = f.joined;
        r.figures["all_told_" + kind] = f.current;
        r.figures["fill_s_" + kind] = f.seconds;
        r.figures["frames_" + kind] = double(f.frames);
        r.figures["mib_received_" + kind] = double(f.bytes) / 1048576.0;
        r.figures["server_cpu_s_" + kind] = cpu;
        std::fprintf(stderr,
                     "  %s joins (%s): %d joined, %d told, %.2f s, %lld frames, %.1f CPU s\n",
                     s.label.c_str(), kind.c_str(), f.joined, f.current, f.seconds,
                     static_cast<long long>(f.frames), cpu);
    }
    return r;
}

std::vector<Result> runAll(const Options &o, Server &s)
{
    std::vector<Result> results;
    for (const std::string &scenario : o.scenarios) {
        waitIdle(s.pid); // what the previous scenario's goodbyes left to do
        if (scenario == "fanout") {
            for (const int n : o.fanoutClients) {
                waitIdle(s.pid);
                results.push_back(fanout(o, s, n));
                if (n != o.fanoutClients.back())
                    printJson(results.back());
            }
        } else if (scenario == "rooms") {
            results.push_back(manyRooms(o, s));
        } else if (scenario == "idle") {
            results.push_back(idleMemory(o, s));
        } else if (scenario == "storm") {
            results.push_back(storm(o, s));
        } else if (scenario == "store") {
            results.push_back(store(o, s));
        } else if (scenario == "deflate") {
            results.push_back(compression(o, s));
        } else if (scenario == "joins") {
            results.push_back(joinStorm(o, s));
        }
        printJson(results.back());
    }
    return results;
}

std::vector<int> parseList(const std::string &text)
{
    std::vector<int> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ','))
        out.push_back(std::stoi(item));
    return out;
}

void usage()
{
    std::puts(
        "chat-bench --server PATH/chat-server [--peer PATH/server.js | --peer-command 'CMD "
        "{port}'\n"
        "           [--peer-label NAME]] [--scenarios "
        "fanout,rooms,idle,storm,store,deflate,joins]\n"
        "           [--fanout 100,1000,5000] [--step-seconds 2] [--idle 10000] [--storm 2000] "
        "[--rooms 5000] [--joins 5000] [--quick]\n"
        "           [--tls]   (wss://: fanout, idle, storm; a --peer script runs on https)\n"
        "Prints one JSON line per scenario and server, then a table with ours/theirs ratios.\n"
        "Pins the servers to CPU 0 and itself to CPU 1.");
}

} // namespace

int main(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : std::string(); };
        if (a == "--server")
            o.serverBin = next();
        else if (a == "--peer") {
            o.peerScript = next();
            o.peerCommand = "node " + o.peerScript + " {port}";
            if (o.peerLabel.empty())
                o.peerLabel = "node-ws-chat";
        } else if (a == "--peer-command")
            o.peerCommand = next();
        else if (a == "--peer-label")
            o.peerLabel = next();
        else if (a == "--fanout")
            o.fanoutClients = parseList(next());
        else if (a == "--step-seconds")
            o.stepSeconds = std::stod(next());
        else if (a == "--idle")
            o.idleClients = std::stoi(next());
        else if (a == "--storm")
            o.stormClients = std::stoi(next());
        else if (a == "--rooms")
            o.roomsClients = std::stoi(next());
        else if (a == "--joins")
            o.joinClients = std::stoi(next());
        else if (a == "--scenarios") {
            o.scenarios.clear();
            std::stringstream ss(next());
            std::string item;
            while (std::getline(ss, item, ','))
                o.scenarios.push_back(item);
        } else if (a == "--tls") {
            o.tls = true;
        } else if (a == "--quick") {
            o.quick = true;
        } else {
            usage();
            return a == "--help" ? 0 : 2;
        }
    }
    if (o.serverBin.empty()) {
        usage();
        return 2;
    }
    if (o.peerLabel.empty())
        o.peerLabel = o.peerCommand.substr(0, o.peerCommand.find(' ')); // the command's name
    signal(SIGPIPE, SIG_IGN);
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    CPU_SET(1, &cpus);
    const bool pinned = sched_setaffinity(0, sizeof cpus, &cpus) == 0;
    std::fprintf(stderr, "chat-bench: servers pinned to CPU 0 (taskset -c 0), generator %s CPU 1\n",
                 pinned ? "pinned to" : "NOT pinned to");
    char dir[] = "/tmp/chat-bench-XXXXXX";
    mkdtemp(dir);
    if (o.tls) {
        // One certificate for both servers: a P-256 key, as chat-server makes its own.
        o.tlsCert = std::string(dir) + "/tls-cert.pem";
        o.tlsKey = std::string(dir) + "/tls-key.pem";
        const std::string make
            = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
              "-nodes -days 1 -subj /CN=localhost -keyout "
            + o.tlsKey + " -out " + o.tlsCert + " 2>/dev/null";
        if (std::system(make.c_str()) != 0) {
            std::fprintf(stderr, "chat-bench: openssl could not make a certificate\n");
            return 1;
        }
    }

    std::vector<std::vector<Result>> all;
    for (const bool peer : {false, true}) {
        if (peer && o.peerCommand.empty())
            break;
        Server s = startServer(o, peer, dir);
        if (!portOpen(s.port)) {
            std::fprintf(stderr, "chat-bench: %s did not start\n", s.label.c_str());
            stopServer(s);
            return 1;
        }
        std::fprintf(stderr, "chat-bench: %s (pid %d) on port %d\n", s.label.c_str(), s.pid,
                     s.port);
        all.push_back(runAll(o, s));
        stopServer(s);
    }

    const std::string peerColumn = all.size() > 1 ? o.peerLabel.substr(0, 14) : std::string();
    std::printf("\n%-8s %-32s %-28s %14s %14s %10s\n", "scenario", "detail", "figure",
                "chat-server", peerColumn.c_str(), all.size() > 1 ? "ratio" : "");
    for (size_t i = 0; i < all[0].size(); ++i) {
        const Result &ours = all[0][i];
        for (const auto &[name, value] : ours.figures) {
            std::printf("%-8s %-32s %-28s %14.4g", ours.scenario.c_str(),
                        ours.detail.substr(0, 32).c_str(), name.c_str(), value);
            if (all.size() > 1 && i < all[1].size() && all[1][i].figures.count(name)) {
                const double theirs = all[1][i].figures.at(name);
                std::printf(" %14.4g %10.2f", theirs, theirs != 0 ? value / theirs : 0.0);
            }
            std::printf("\n");
        }
    }
    std::printf("(ratio = chat-server / %s; servers on CPU 0, generator on CPU 1)\n",
                all.size() > 1 ? o.peerLabel.c_str() : "-");
    std::string cleanup = std::string("rm -rf ") + dir;
    return std::system(cleanup.c_str()) == 0 ? 0 : 0;
}
