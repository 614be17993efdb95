// chat-bench's servers and figures: starting and stopping a server pinned to
// CPU 0, reading its CPU time and memory, percentiles, and the JSON result.
#pragma once

#include "loadclient.h"

#include <cstdint>
#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

namespace bench {

struct Options
{
    std::string serverBin;
    // The peer: a command with {port} where its port goes (--peer-command), or a
    // Node script (--peer server.js, run as "node server.js {port}").
    std::string peerCommand;
    std::string peerLabel;
    std::vector<int> fanoutClients = {100, 1000, 5000};
    double stepSeconds = 2.0;
    int idleClients = 10000;
    int stormClients = 2000;
    int roomsClients = 5000;
    int joinClients = 5000;
    std::vector<std::string> scenarios = {"fanout", "rooms", "idle", "storm", "store", "joins"};
    bool quick = false;
    // wss://: both servers with the same certificate and key (chat-bench makes
    // them); a --peer script runs under tls-peer.cjs (its ws server on https).
    bool tls = false;
    std::string tlsCert;
    std::string tlsKey;
    std::string peerScript; // --peer's script, for tls-peer.cjs
};

struct Server
{
    std::string label;
    pid_t pid = -1;
    int port = 0;
    bool peer = false;
    bool tls = false;
    std::string dbDir;
};

using Figures = std::map<std::string, double>;

struct Result
{
    std::string scenario;
    std::string server;
    std::string detail;
    Figures figures;
};

int freePort();
bool portOpen(int port);
// Starts a server pinned to CPU 0 (taskset execs it, so the pid is the server's).
Server startServer(const Options &o, bool peer, const std::string &dbDir);
void stopServer(Server &s);
double cpuSeconds(pid_t pid);
long rssKiB(pid_t pid);
double median(std::vector<double> v);
double percentile(std::vector<int64_t> &v, double p);
void printJson(const Result &r);
// Waits until the server has worked off what earlier steps left it (joins and
// leaves in a big room fan out to everyone: N^2 frames): its CPU use over 200 ms
// below 5%, at most `maxSeconds`.
void waitIdle(pid_t pid, double maxSeconds = 120);
// Receives (and drops) everything pending until nothing arrived for 300 ms.
void settle(LoadClient &load, const Server &s);
// Parses the send time carried in a message text ("t:<ns>").
int64_t sendTimeOf(const char *payload, size_t size);

} // namespace bench
