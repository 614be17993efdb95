// One WebSocket connection: decodes what the client sends, enforces the rules,
// and forwards the events of the rooms its identity is in.
#pragma once

#include "link.h"
#include "protocol.h"
#include "tokenbucket.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QWebSocketProtocol>

#include <functional>
#include <memory>

namespace Chat {

class Identity;
class IdentityRegistry;
class OutputFlusher;
class MessageStore;
class PostQueue;
class Session;
class Room;
class RoomRegistry;

// Flood control per connection (token buckets). Chat uses limits.ratePerSecond
// and limits.rateBurst; 0 there turns all of it off.
struct FloodLimits
{
    double requestsPerSecond = 20; // join, leave, history, rooms, hello, bad frames
    int requestBurst = 60;
    double typingPerSecond = 2; // excess typing events are dropped silently
    int typingBurst = 5;
    int closeAfterRefused = 40; // refused in a row before the connection is closed (1008)
};

// Access and resource limits.
struct AccessLimits
{
    QString token; // non-empty: hello must carry it
    int identifyTimeoutMs = 10000; // with a token: identify within this or be closed (4004)
    int maxRoomsPerUser = 100;
    int maxRooms = 10000; // rooms live on the server at once
    qint64 maxQueuedBytes = 4 * 1024 * 1024; // unsent bytes before a reader is dropped (4005)
};

// What every session shares; owned by the ChatServer.
struct ServerContext
{
    AccessLimits access;
    ProtocolLimits limits;
    FloodLimits flood;
    QString serverName;
    MessageStore *store = nullptr;
    RoomRegistry *rooms = nullptr;
    IdentityRegistry *identities = nullptr;
    PostQueue *posts = nullptr;
    OutputFlusher *flusher = nullptr;
    // A session's connection is gone. A callback, not a signal: a connection per
    // session costs more memory than the rest of an idle session's bookkeeping.
    std::function<void(Session *)> sessionFinished;
};

class Session final : public QObject, private LinkListener
{
    Q_OBJECT
public:
    Session(std::unique_ptr<Link> link, const ServerContext &context, QObject *parent = nullptr);
    ~Session() override;
    Q_DISABLE_COPY_MOVE(Session)

    QString peer() const { return m_link->peer(); }
    QString username() const;
    qint64 silentForMs() const { return m_lastHeard.elapsed(); }

    // A complete WebSocket text frame (WireFrame::text).
    void sendFrame(const QByteArray &frame);
    // Hands queued frames to the kernel (called once per event-loop pass).
    void flushOutput();
    void sendJson(const QJsonObject &object);
    void sendError(ErrorCode code, const QString &message, const QString &ref = {});
    // Checks a request against the flood limits; refuses it (and may close) if over.
    bool admit(RequestType type, const QString &ref);
    bool admitInvalid();
    bool checkToken(const QString &token);
    void closeWhenQuiet(int code, const QString &reason);
    void noteDraining();
    void dropSlowReader();
    void ping();
    static constexpr int SilenceCloseCode = 4001; // no answer to pings

    // A close code as a number: application codes (4000-4999) are not values of
    // QWebSocketProtocol::CloseCode, and holding them in that enum is undefined.
    void close(int code, const QString &reason);

private:
    void onLinkText(const QByteArray &utf8) override;
    void onLinkBinary() override;
    void onLinkPong() override;
    void onLinkClosing() override;
    void onLinkDisconnected(int closeCode) override;

    void handleHello(const Request &r);
    void handleJoin(const Request &r);
    void handleLeave(const Request &r);
    void handleChat(const Request &r);
    void handleTyping(const Request &r);
    void handleHistory(const Request &r);
    void handleRooms();

    bool identify(const QString &username, const QString &ref, bool viaHello);
    // Takes over an identity (a resume): its rooms become this connection's.
    void attach(Identity *identity);
    // Another connection resumed our identity: stop speaking for it and close.
    void detachReplaced();
    // The room a request names, or the current one; sends the error itself.
    Room *memberRoom(const QString &name, const QString &ref);
    void subscribe(Room *room);
    void onRoomEvent(const QByteArray &frame, const QString &skipUsername);
    void unsubscribe(Room *room);

    std::unique_ptr<Link> m_link;
    const ServerContext &m_ctx;
    QPointer<Identity> m_identity;
    QElapsedTimer m_lastHeard;
    TokenBucket m_chatBucket;
    TokenBucket m_requestBucket;
    TokenBucket m_typingBucket;
    int m_refusedInRow = 0;
    bool m_dropping = false; // a slow reader being dropped: nothing more is queued
    bool m_draining = false; // a flooder being closed: what it still sends is ignored
    bool m_flushScheduled = false;
    bool m_finished = false;
    bool m_closing = false; // a close handshake started (either side)
    bool m_weClosed = false; // ... and we started it
    int m_closeCodeSent = QWebSocketProtocol::CloseCodeNormal;
};

} // namespace Chat
