// One Engine.IO v4 session (docs/engine.io-protocol/v4-current.md): a sid, the
// transport it is on (HTTP long-polling, or a WebSocket Link), the packets
// waiting for the next poll, the server's heartbeat (ping every pingInterval,
// closed when no pong comes within pingTimeout), and the upgrade from polling
// to WebSocket (2probe/3probe, a noop to the pending GET, 5). What rides on it
// (Socket.IO) is its listener's business.
#pragma once

#include "engineiopacket.h"
#include "httpconnection.h"
#include "link.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <vector>

namespace Chat {

struct EngineIoOptions
{
    int pingIntervalMs = 25000;
    int pingTimeoutMs = 20000;
    qint64 maxPayload = 1000000;
    int upgradeTimeoutMs = 10000;
    int maxSessions = 10000;
    int maxSessionsPerAddress = 256;
};

class EngineIoListener
{
public:
    virtual void onEngineMessage(const QByteArray &data, bool binary) = 0;
    // A pong came: the client is alive.
    virtual void onEngineAlive() = 0;
    // The session is over (client close, ping timeout, transport error, ...). Once, last.
    virtual void onEngineClosed(const QString &reason) = 0;

protected:
    ~EngineIoListener() = default;
};

class EngineIoSession;

// Flushes sessions at the end of the event-loop pass, all of them with one posted
// event (a broadcast touches every session in the room).
class EngineIoFlusher
{
public:
    virtual void scheduleFlush(EngineIoSession *session) = 0;

protected:
    ~EngineIoFlusher() = default;
};

class EngineIoSession final : public QObject
{
    Q_OBJECT
public:
    enum class Transport : quint8 { Polling, WebSocket };

    // peer: "address:port" of the connection that opened it.
    EngineIoSession(const QString &sid, const EngineIoOptions &options, Transport transport,
                    const QString &peer, EngineIoFlusher *flusher, QObject *parent = nullptr);
    // The peer's address, without the port.
    QString address() const { return m_peer.left(m_peer.lastIndexOf(QLatin1Char(':'))); }
    ~EngineIoSession() override;
    Q_DISABLE_COPY_MOVE(EngineIoSession)

    QString sid() const { return m_sid; }
    QString peer() const { return m_peer; }
    Transport transport() const { return m_transport; }
    bool isClosed() const { return m_closed; }
    // No pong within pingInterval + pingTimeout of the last one (or of the open):
    // over, even if the timer has not fired yet. Ends it if so.
    bool expireIfOverdue();
    void setListener(EngineIoListener *listener) { m_listener = listener; }
    // What rides on the session (its listener, usually): deleted first when the
    // session is, while the session is still whole.
    void setRider(std::unique_ptr<QObject> rider) { m_rider = std::move(rider); }

    // The open packet: sid, upgrades, ping times, maxPayload.
    QByteArray openPacket() const;
    // A WebSocket-only session starts on its link (the open packet goes out on it).
    void startOnWebSocket(std::unique_ptr<Link> link);
    // A GET or POST on this session's sid.
    void handlePoll(HttpConnection *connection, const HttpRequest &request,
                    const HttpHeaders &extraHeaders);
    // A WebSocket for this sid may become the upgrade probe (polling, open, no probe yet).
    bool canUpgrade() const { return !m_closed && m_transport == Transport::Polling && !m_probe; }
    void offerUpgrade(std::unique_ptr<Link> link);

    // Queues a message packet; it goes out at the next flush (or poll).
    void send(const QByteArray &data, bool binary = false);
    void flush();
    qint64 queuedBytes() const;
    // Ends the session from the server's side: a close packet where polling can
    // carry one, the WebSocket closed; the listener hears onEngineClosed.
    void close(const QString &reason);

signals:
    // The session is over and may be deleted (emitted once, after the listener heard it).
    void finished(EngineIoSession *session);

private:
    class LinkSink;
    friend class LinkSink;

    void queue(EngineIo::Packet packet);
    void schedulePing();
    void onPacket(const EngineIo::Packet &packet, bool fromProbe);
    void onLinkGone(bool fromProbe);
    void answerPendingGet();
    void respondNoop(HttpConnection *connection);
    void finish(const QString &reason);
    void retire(std::unique_ptr<Link> link, std::unique_ptr<LinkSink> sink);
    void writeToLink(const EngineIo::Packet &packet);

    QString m_sid;
    QString m_peer;
    EngineIoOptions m_options;
    Transport m_transport;
    EngineIoListener *m_listener = nullptr;
    EngineIoFlusher *m_flusher; // may be null: then a posted event of our own
    std::unique_ptr<QObject> m_rider;
    QList<EngineIo::Packet> m_outbox; // polling: waiting for the next GET
    qint64 m_outboxBytes = 0;
    QPointer<HttpConnection> m_pendingGet;
    HttpHeaders m_getHeaders;
    std::unique_ptr<Link> m_link;
    std::unique_ptr<LinkSink> m_sink;
    std::unique_ptr<Link> m_probe; // the WebSocket an upgrade is trying
    std::vector<std::pair<std::unique_ptr<Link>, std::unique_ptr<LinkSink>>> m_retired;
    std::unique_ptr<LinkSink> m_probeSink;
    bool m_probed = false; // 3probe sent: polling answers noop until 5
    QElapsedTimer m_sincePong; // since the open or the last pong
    QTimer m_pingTimer;
    QTimer m_pongTimer;
    QTimer m_upgradeTimer;
    bool m_closed = false;
    bool m_flushScheduled = false;
};

} // namespace Chat
