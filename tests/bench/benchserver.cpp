// chat-bench's servers and figures.
#include "benchserver.h"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bench {

int freePort()
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
}

bool portOpen(int port)
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
    close(fd);
    return ok;
}

// Starts a server pinned to CPU 0 (taskset execs it, so the pid is the server's).
Server startServer(const Options &o, bool peer, const std::string &dbDir)
{
    Server s;
    s.label = peer ? o.peerLabel : "chat-server";
    s.peer = peer;
    s.tls = o.tls;
    s.dbDir = dbDir;
    s.port = freePort();
    const std::string port = std::to_string(s.port);
    const std::string db = dbDir + "/bench-" + port + ".sqlite";
    s.pid = fork();
    if (s.pid == 0) {
        const int devnull = ::open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        if (o.tls) {
            setenv("CHAT_BENCH_TLS_CERT", o.tlsCert.c_str(), 1);
            setenv("CHAT_BENCH_TLS_KEY", o.tlsKey.c_str(), 1);
        }
        if (peer) {
            std::string command = o.tls && !o.peerScript.empty()
                ? "node " CHAT_BENCH_SOURCE_DIR "/tls-peer.cjs " + o.peerScript + " {port}"
                : o.peerCommand;
            for (size_t at = command.find("{port}"); at != std::string::npos;
                 at = command.find("{port}"))
                command.replace(at, 6, port);
            command = "exec taskset -c 0 " + command; // the shell becomes the server: same pid
            execl("/bin/sh", "sh", "-c", command.c_str(), nullptr);
        } else {
            // A benchmark: the load posts faster than a person may and opens
            // thousands of connections from one address, so those limits are off.
            std::vector<std::string> args = {"taskset",
                                             "-c",
                                             "0",
                                             o.serverBin,
                                             "--host",
                                             "127.0.0.1",
                                             "--port",
                                             port,
                                             "--db",
                                             db,
                                             "--rate-limit",
                                             "0",
                                             "--max-per-ip",
                                             "0",
                                             "--max-connections",
                                             "0",
                                             "--log",
                                             "warning",
                                             "--history",
                                             "50"};
            if (o.tls)
                args.insert(args.end(), {"--tls-cert", o.tlsCert, "--tls-key", o.tlsKey});
            std::vector<char *> argv;
            for (std::string &arg : args)
                argv.push_back(arg.data());
            argv.push_back(nullptr);
            execvp("taskset", argv.data());
        }
        _exit(127);
    }
    for (int i = 0; i < 200 && !portOpen(s.port); ++i)
        usleep(50000);
    return s;
}

void stopServer(Server &s)
{
    if (s.pid > 0) {
        kill(s.pid, SIGTERM);
        int status = 0;
        for (int i = 0; i < 100 && waitpid(s.pid, &status, WNOHANG) == 0; ++i)
            usleep(50000);
        kill(s.pid, SIGKILL);
        waitpid(s.pid, &status, 0);
        s.pid = -1;
    }
}

double cpuSeconds(pid_t pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const size_t close = content.rfind(')');
    std::istringstream rest(content.substr(close + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
        if (i == 14)
            utime = std::stoull(field);
        if (i == 15)
            stime = std::stoull(field);
    }
    return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

long rssKiB(pid_t pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    }
    return 0;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

double percentile(std::vector<int64_t> &v, double p)
{
    if (v.empty())
        return 0;
    const size_t k
        = std::min(v.size() - 1, size_t(std::ceil(p * double(v.size()))) - (p > 0 ? 1 : 0));
    std::nth_element(v.begin(), v.begin() + long(k), v.end());
    return double(v[k]) / 1e6; // ms
}

void printJson(const Result &r)
{
    std::printf("{\"scenario\":\"%s\",\"server\":\"%s\",\"detail\":\"%s\"", r.scenario.c_str(),
                r.server.c_str(), r.detail.c_str());
    for (const auto &[k, v] : r.figures)
        std::printf(",\"%s\":%.4g", k.c_str(), v);
    std::printf("}\n");
    std::fflush(stdout);
}

// Waits until the server has worked off what earlier steps left it (joins and
// leaves in a big room fan out to everyone: N^2 frames): its CPU use over 200 ms
// below 5%, at most `maxSeconds`.
void waitIdle(pid_t pid, double maxSeconds)
{
    const int64_t deadline = nowNs() + int64_t(maxSeconds * 1e9);
    while (nowNs() < deadline) {
        const double before = cpuSeconds(pid);
        usleep(200000);
        if (cpuSeconds(pid) - before < 0.01)
            return;
    }
}

// Receives (and drops) everything pending until nothing arrived for 300 ms.
void settle(LoadClient &load, const Server &s)
{
    const int64_t deadline = nowNs() + 120000000000LL;
    int64_t lastBytes = -1;
    while (nowNs() < deadline && load.bytesReceived() != lastBytes) {
        lastBytes = load.bytesReceived();
        load.run(nowNs() + 300000000, [](Connection &, const char *, size_t) {});
    }
    waitIdle(s.pid, 10);
}

// Parses the send time carried in a message text ("t:<ns>").
int64_t sendTimeOf(const char *payload, size_t size)
{
    const std::string_view text(payload, size);
    if (text.find("\"type\":\"message\"") == std::string_view::npos)
        return -1;
    const size_t at = text.find("t:");
    if (at == std::string_view::npos)
        return -1;
    int64_t value = 0;
    for (size_t i = at + 2; i < size && payload[i] >= '0' && payload[i] <= '9'; ++i)
        value = value * 10 + (payload[i] - '0');
    return value;
}

} // namespace bench
