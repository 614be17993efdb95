// chat-bench's load generator: many WebSocket connections on one epoll loop,
// without Qt, so that the generator is not the bottleneck. It speaks only the
// documents' subset (join / chat / message), so it drives chat-server and the
// Node peer unchanged.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

struct ssl_st;

namespace bench {

int64_t nowNs();

struct Connection
{
    int fd = -1;
    int index = 0;
    std::string name;
    std::string room;
    bool handshaken = false;
    bool joined = false; // saw user-joined with its own name (or `joined`, batchPresence)
    bool closed = false;
    bool deflate = false; // the server agreed to permessage-deflate
    bool batchPresence = false; // said hello with batchPresence (setBatchPresence)
    ssl_st *ssl = nullptr; // wss://: the client's TLS, on fd
    bool secured = false; // its handshake is done
    std::string in; // bytes received, not yet parsed
    std::string out; // bytes waiting to be written
};

class LoadClient
{
public:
    using MessageHandler = std::function<void(Connection &, const char *payload, size_t size)>;

    // `tls`: every connection speaks wss:// (the server's certificate is not checked).
    explicit LoadClient(int port, bool tls = false);
    ~LoadClient();
    LoadClient(const LoadClient &) = delete;
    LoadClient &operator=(const LoadClient &) = delete;

    // Opens n connections (at most `parallel` handshakes at a time) and joins each
    // to its room with the documents' join; returns when all have joined or the
    // deadline passes. Returns the number joined.
    // `tick`, if given, is called at least every millisecond meanwhile.
    int connectAndJoin(int n, const std::function<std::string(int)> &roomOf, int parallel,
                       int64_t deadlineNs, const std::function<void()> &tick = {});
    void sendText(Connection &c, const std::string &text);
    // Runs the loop until deadline; onMessage sees every text frame.
    void run(int64_t deadlineNs, const MessageHandler &onMessage);
    // Handles what is ready now, without waiting.
    void pollOnce(const MessageHandler &onMessage);
    void closeAll();
    // Offer permessage-deflate in the handshakes of connections opened from now
    // on; compressed messages are inflated before onMessage sees them.
    void setOfferDeflate(bool on) { m_offerDeflate = on; }
    // Identify like our clients (hello with batchPresence, then join without a
    // name) on connections opened from now on, instead of the documents' join;
    // such a connection has joined when its `joined` reply arrives.
    void setBatchPresence(bool on) { m_batchPresence = on; }
    // Sees every text frame, before the handler of run() or connectAndJoin().
    void setObserver(MessageHandler observer) { m_observer = std::move(observer); }
    int64_t textFramesReceived() const { return m_textFramesIn; }
    int64_t compressedFramesReceived() const { return m_compressedIn; }

    std::vector<Connection> &connections() { return m_connections; }
    int64_t bytesReceived() const { return m_bytesIn; }

private:
    bool openOne(int index, const std::string &room);
    void onReadable(Connection &c, const MessageHandler &onMessage);
    void onWritable(Connection &c);
    void flush(Connection &c);
    void parseFrames(Connection &c, const MessageHandler &onMessage);
    bool secure(Connection &c);

    int m_port;
    bool m_tls;
    int m_epoll;
    std::vector<Connection> m_connections;
    int64_t m_bytesIn = 0;
    int64_t m_compressedIn = 0;
    bool m_offerDeflate = false;
    bool m_batchPresence = false;
    MessageHandler m_observer;
    int64_t m_textFramesIn = 0;
    std::string m_inflated; // scratch for one inflated message
};

} // namespace bench
