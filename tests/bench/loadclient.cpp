// Epoll WebSocket client for chat-bench.
#include "loadclient.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <random>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

namespace bench {

int64_t nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

namespace {
SSL_CTX *clientContext()
{
    static SSL_CTX *context = [] {
        SSL_CTX *made = SSL_CTX_new(TLS_client_method());
        SSL_CTX_set_verify(made, SSL_VERIFY_NONE, nullptr);
        // Writes go on from where the kernel stopped, with c.out grown since.
        SSL_CTX_set_mode(made, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
        return made;
    }();
    return context;
}
} // namespace

LoadClient::LoadClient(int port, bool tls) : m_port(port), m_tls(tls), m_epoll(epoll_create1(0)) { }

LoadClient::~LoadClient()
{
    closeAll();
    close(m_epoll);
}

bool LoadClient::openOne(int index, const std::string &room)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return false;
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(m_port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0 && errno != EINPROGRESS) {
        close(fd);
        return false;
    }
    Connection &c = m_connections[size_t(index)];
    c.fd = fd;
    c.index = index;
    // Names are unique across the whole run: a server may still hold a name that
    // an earlier scenario's connection used.
    static int serial = 0;
    c.name = "b" + std::to_string(++serial);
    c.room = room;
    c.batchPresence = m_batchPresence;
    if (m_tls) {
        c.ssl = SSL_new(clientContext());
        SSL_set_fd(c.ssl, fd);
        SSL_set_connect_state(c.ssl);
    }
    c.out = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(m_port)
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
          "dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n"
        + std::string(
                m_offerDeflate
                    ? "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                    : "")
        + "\r\n";
    epoll_event ev {};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
    ev.data.u32 = uint32_t(index);
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
    return true;
}

void LoadClient::sendText(Connection &c, const std::string &text)
{
    static std::mt19937 random(12345);
    uint8_t head[14];
    size_t n = 0;
    head[n++] = 0x81;
    if (text.size() < 126) {
        head[n++] = uint8_t(0x80 | text.size());
    } else if (text.size() < 65536) {
        head[n++] = 0x80 | 126;
        head[n++] = uint8_t(text.size() >> 8);
        head[n++] = uint8_t(text.size());
    } else {
        head[n++] = 0x80 | 127;
        for (int i = 7; i >= 0; --i)
            head[n++] = uint8_t(uint64_t(text.size()) >> (8 * i));
    }
    const uint32_t mask = random();
    uint8_t key[4];
    std::memcpy(key, &mask, 4);
    for (const uint8_t k : key)
        head[n++] = k;
    c.out.append(reinterpret_cast<const char *>(head), n);
    const size_t start = c.out.size();
    c.out.append(text);
    for (size_t i = 0; i < text.size(); ++i)
        c.out[start + i] = char(uint8_t(c.out[start + i]) ^ key[i % 4]);
    flush(c);
}

// Drives the TLS handshake; true once done (or for plain connections).
bool LoadClient::secure(Connection &c)
{
    if (!c.ssl || c.secured)
        return true;
    const int result = SSL_do_handshake(c.ssl);
    if (result == 1) {
        c.secured = true;
        return true;
    }
    const int error = SSL_get_error(c.ssl, result);
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE)
        c.closed = true;
    return false;
}

void LoadClient::flush(Connection &c)
{
    if (c.ssl) {
        if (!secure(c))
            return;
        while (!c.out.empty() && !c.closed) {
            const int written = SSL_write(c.ssl, c.out.data(), int(c.out.size()));
            if (written <= 0) {
                const int error = SSL_get_error(c.ssl, written);
                if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE)
                    c.closed = true;
                return;
            }
            c.out.erase(0, size_t(written));
        }
        return;
    }
    while (!c.out.empty() && !c.closed) {
        const ssize_t written = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
        if (written <= 0)
            return; // EAGAIN: epoll tells when to go on
        c.out.erase(0, size_t(written));
    }
}

void LoadClient::onWritable(Connection &c)
{
    flush(c);
}

namespace {
// A permessage-deflate message (no context takeover), inflated into `out`.
bool inflateMessage(const char *data, size_t size, std::string &out)
{
    static z_stream stream {};
    static bool ready = inflateInit2(&stream, -15) == Z_OK;
    if (!ready || inflateReset(&stream) != Z_OK)
        return false;
    std::string input(data, size);
    input.append("\x00\x00\xff\xff", 4);
    stream.next_in = reinterpret_cast<Bytef *>(input.data());
    stream.avail_in = uInt(input.size());
    out.resize(std::max<size_t>(4096, size * 8));
    size_t produced = 0;
    for (;;) {
        stream.next_out = reinterpret_cast<Bytef *>(out.data() + produced);
        stream.avail_out = uInt(out.size() - produced);
        const int status = inflate(&stream, Z_SYNC_FLUSH);
        produced = out.size() - stream.avail_out;
        if (status != Z_OK && status != Z_BUF_ERROR && status != Z_STREAM_END)
            return false;
        if (status == Z_STREAM_END || (stream.avail_in == 0 && stream.avail_out > 0))
            break;
        if (stream.avail_out == 0)
            out.resize(out.size() * 2);
        else if (status == Z_BUF_ERROR)
            return false;
    }
    out.resize(produced);
    return true;
}
} // namespace

void LoadClient::parseFrames(Connection &c, const MessageHandler &onMessage)
{
    size_t pos = 0;
    for (;;) {
        if (c.in.size() - pos < 2)
            break;
        const auto *p = reinterpret_cast<const uint8_t *>(c.in.data() + pos);
        const int opcode = p[0] & 0x0f;
        uint64_t length = p[1] & 0x7f;
        size_t header = 2;
        if (length == 126) {
            if (c.in.size() - pos < 4)
                break;
            length = (uint64_t(p[2]) << 8) | p[3];
            header = 4;
        } else if (length == 127) {
            if (c.in.size() - pos < 10)
                break;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | p[2 + i];
            header = 10;
        }
        if (c.in.size() - pos < header + length)
            break;
        const char *payload = c.in.data() + pos + header;
        if (opcode == 1 && (p[0] & 0x40)) { // RSV1: compressed
            ++m_compressedIn;
            ++m_textFramesIn;
            if (inflateMessage(payload, size_t(length), m_inflated)) {
                if (m_observer)
                    m_observer(c, m_inflated.data(), m_inflated.size());
                onMessage(c, m_inflated.data(), m_inflated.size());
            }
        } else if (opcode == 1) {
            ++m_textFramesIn;
            if (m_observer)
                m_observer(c, payload, size_t(length));
            onMessage(c, payload, size_t(length));
        } else if (opcode == 9) { // ping: answer with a masked pong
            std::string pong(payload, size_t(length));
            uint8_t h[6] = {0x8a, uint8_t(0x80 | pong.size()), 0, 0, 0, 0};
            c.out.append(reinterpret_cast<const char *>(h), 6);
            c.out.append(pong);
            flush(c);
        } else if (opcode == 8) {
            c.closed = true;
        }
        pos += header + size_t(length);
    }
    c.in.erase(0, pos);
}

void LoadClient::onReadable(Connection &c, const MessageHandler &onMessage)
{
    char buffer[65536];
    if (c.ssl && !c.secured) {
        if (!secure(c))
            return;
        flush(c); // the upgrade request
    }
    for (;;) {
        ssize_t got = 0;
        if (c.ssl) {
            got = SSL_read(c.ssl, buffer, sizeof buffer);
            if (got <= 0) {
                const int error = SSL_get_error(c.ssl, int(got));
                got = error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE ? -1 : 0;
            }
        } else {
            got = ::recv(c.fd, buffer, sizeof buffer, 0);
        }
        if (got == 0) {
            c.closed = true;
            return;
        }
        if (got < 0)
            break;
        m_bytesIn += got;
        c.in.append(buffer, size_t(got));
    }
    if (!c.handshaken) {
        const size_t end = c.in.find("\r\n\r\n");
        if (end == std::string::npos)
            return;
        if (c.in.compare(0, 12, "HTTP/1.1 101") != 0) {
            c.closed = true;
            return;
        }
        c.deflate = c.in.substr(0, end).find("permessage-deflate") != std::string::npos;
        c.in.erase(0, end + 4);
        c.handshaken = true;
        if (c.batchPresence) {
            sendText(c,
                     "{\"type\":\"hello\",\"username\":\"" + c.name + "\",\"batchPresence\":true}");
            sendText(c, "{\"type\":\"join\",\"room\":\"" + c.room + "\"}");
        } else {
            sendText(c,
                     "{\"type\":\"join\",\"room\":\"" + c.room + "\",\"username\":\"" + c.name
                         + "\"}");
        }
    }
    parseFrames(c, onMessage);
}

int LoadClient::connectAndJoin(int n, const std::function<std::string(int)> &roomOf, int parallel,
                               int64_t deadlineNs, const std::function<void()> &tick)
{
    const size_t base = m_connections.size();
    m_connections.resize(base + size_t(n));
    int opened = 0;
    int joined = 0;
    const auto onMessage = [&joined](Connection &c, const char *payload, size_t size) {
        if (c.joined)
            return;
        const std::string_view text(payload, size);
        if (c.batchPresence) {
            if (text.find("\"type\":\"joined\"") != std::string_view::npos) {
                c.joined = true;
                ++joined;
            }
            return;
        }
        if (text.find("\"user-joined\"") != std::string_view::npos
            && text.find("\"username\":\"" + c.name + "\"") != std::string_view::npos) {
            c.joined = true;
            ++joined;
        }
    };
    epoll_event events[1024];
    while (joined < n && nowNs() < deadlineNs) {
        while (opened < n && opened - joined < parallel) {
            openOne(int(base) + opened, roomOf(opened));
            ++opened;
        }
        const int ready = epoll_wait(m_epoll, events, 1024, tick ? 1 : 10);
        for (int i = 0; i < ready; ++i) {
            Connection &c = m_connections[events[i].data.u32];
            if (events[i].events & EPOLLOUT)
                onWritable(c);
            if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP))
                onReadable(c, onMessage);
            if (tick && i % 64 == 63)
                tick();
        }
        if (tick)
            tick();
    }
    // Only readability from now on, unless there is something to write.
    for (size_t i = base; i < m_connections.size(); ++i) {
        epoll_event ev {};
        ev.events = EPOLLIN | EPOLLRDHUP;
        ev.data.u32 = uint32_t(i);
        epoll_ctl(m_epoll, EPOLL_CTL_MOD, m_connections[i].fd, &ev);
    }
    return joined;
}

void LoadClient::run(int64_t deadlineNs, const MessageHandler &onMessage)
{
    epoll_event events[1024];
    for (;;) {
        const int64_t now = nowNs();
        if (now >= deadlineNs)
            break;
        const int timeoutMs = int(std::min<int64_t>((deadlineNs - now) / 1000000, 1));
        const int ready = epoll_wait(m_epoll, events, 1024, timeoutMs);
        for (int i = 0; i < ready; ++i) {
            Connection &c = m_connections[events[i].data.u32];
            if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP))
                onReadable(c, onMessage);
        }
    }
}

void LoadClient::pollOnce(const MessageHandler &onMessage)
{
    epoll_event events[1024];
    const int ready = epoll_wait(m_epoll, events, 1024, 0);
    for (int i = 0; i < ready; ++i) {
        Connection &c = m_connections[events[i].data.u32];
        if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP))
            onReadable(c, onMessage);
    }
}

void LoadClient::closeAll()
{
    for (Connection &c : m_connections) {
        if (c.ssl) {
            SSL_free(c.ssl);
            c.ssl = nullptr;
        }
        if (c.fd >= 0) {
            close(c.fd);
            c.fd = -1;
        }
    }
    m_connections.clear();
}

} // namespace bench
