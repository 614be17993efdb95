// An Engine.IO v4 session on long-polling and WebSocket.
#include "engineiosession.h"

#include "httpconnection.h"
#include "serverlogging.h"
#include "wireframe.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Chat {

using EngineIo::Packet;
using EngineIo::PacketType;

class EngineIoSession::LinkSink final : public LinkListener
{
public:
    LinkSink(EngineIoSession *owner, bool isProbe) : session(owner), probe(isProbe) { }

    void onLinkText(const QByteArray &utf8) override
    {
        EngineIoSession *m_session = session;
        if (!m_session)
            return;
        if (const std::optional<Packet> packet = EngineIo::parseText(utf8)) {
            m_session->onPacket(*packet, probe);
            return;
        }
        qCInfo(lcSession).noquote() << "Engine.IO: malformed packet from" << m_session->peer();
        if (probe)
            m_session->m_probe->close(1002, QStringLiteral("malformed packet"));
        else
            m_session->finish(QStringLiteral("parse error"));
    }
    void onLinkBinary(const QByteArray &payload) override
    {
        if (session)
            session->onPacket(Packet {PacketType::Message, payload, true}, probe);
    }
    void onLinkPong() override { }
    void onLinkClosing() override { }
    void onLinkDisconnected(int) override
    {
        if (session)
            session->onLinkGone(probe);
    }

    EngineIoSession *session; // null once the session is being deleted
    bool probe;
};

EngineIoSession::EngineIoSession(const QString &sid, const EngineIoOptions &options,
                                 Transport transport, const QString &peer, EngineIoFlusher *flusher,
                                 QObject *parent)
    : QObject(parent)
    , m_sid(sid)
    , m_peer(peer)
    , m_options(options)
    , m_transport(transport)
    , m_flusher(flusher)
{
    m_pingTimer.setSingleShot(true);
    m_pongTimer.setSingleShot(true);
    // Precise: a coarse timer may be 5% late, and the protocol's deadlines are short.
    m_pingTimer.setTimerType(Qt::PreciseTimer);
    m_pongTimer.setTimerType(Qt::PreciseTimer);
    m_upgradeTimer.setSingleShot(true);
    connect(&m_pingTimer, &QTimer::timeout, this, [this] {
        queue(Packet {PacketType::Ping, {}, false});
        m_pongTimer.start(m_options.pingTimeoutMs);
    });
    connect(&m_pongTimer, &QTimer::timeout, this,
            [this] { finish(QStringLiteral("ping timeout")); });
    connect(&m_upgradeTimer, &QTimer::timeout, this, [this] {
        if (m_probe) {
            m_probe->close(1000, QStringLiteral("upgrade timeout"));
            m_probed = false;
        }
    });
    schedulePing();
}

EngineIoSession::~EngineIoSession()
{
    m_rider.reset();
    m_retired.clear();
    // Links still here go with us (a shutdown): no callback may reach us.
    if (m_sink)
        m_sink->session = nullptr;
    if (m_probeSink)
        m_probeSink->session = nullptr;
    if (m_link)
        m_link->abort();
    if (m_probe)
        m_probe->abort();
}

QByteArray EngineIoSession::openPacket() const
{
    QJsonObject open {
        {QStringLiteral("sid"), m_sid},
        {QStringLiteral("upgrades"),
         m_transport == Transport::Polling ? QJsonArray {QStringLiteral("websocket")}
                                           : QJsonArray {}},
        {QStringLiteral("pingInterval"), m_options.pingIntervalMs},
        {QStringLiteral("pingTimeout"), m_options.pingTimeoutMs},
        {QStringLiteral("maxPayload"), double(m_options.maxPayload)},
    };
    return '0' + QJsonDocument(open).toJson(QJsonDocument::Compact);
}

void EngineIoSession::startOnWebSocket(std::unique_ptr<Link> link)
{
    m_transport = Transport::WebSocket;
    m_link = std::move(link);
    m_sink = std::make_unique<LinkSink>(this, false);
    m_link->setListener(m_sink.get());
    m_link->send(WireFrame::text(openPacket()));
    m_link->flush();
}

bool EngineIoSession::expireIfOverdue()
{
    if (!m_closed && m_sincePong.elapsed() > m_options.pingIntervalMs + m_options.pingTimeoutMs)
        finish(QStringLiteral("ping timeout"));
    return m_closed;
}

void EngineIoSession::schedulePing()
{
    m_sincePong.start();
    m_pongTimer.stop();
    m_pingTimer.start(m_options.pingIntervalMs);
}

void EngineIoSession::handlePoll(HttpConnection *connection, const HttpRequest &request,
                                 const HttpHeaders &extraHeaders)
{
    HttpResponse response;
    response.headers = extraHeaders;
    if (request.method() == "GET") {
        if (m_pendingGet) {
            // Two polls at once: the protocol's answer is to close the session.
            qCInfo(lcSession).noquote() << "Engine.IO: overlapping polls from" << m_peer;
            response.status = 400;
            response.contentType = "application/json";
            response.body = R"({"code":3,"message":"Bad request"})";
            connection->respond(response);
            queue(Packet {PacketType::Close, {}, false});
            answerPendingGet();
            finish(QStringLiteral("transport error"));
            return;
        }
        if (m_probe) {
            // The upgrade's "5" may have come on the WebSocket before this poll:
            // read it first, so that the answer does not depend on which socket
            // the event loop looks at first.
            m_probe->readNow();
            if (m_closed || m_transport == Transport::WebSocket) {
                response.status = 400;
                response.contentType = "application/json";
                response.body = R"({"code":3,"message":"Bad request"})";
                connection->respond(response);
                return;
            }
        }
        if (m_probed) {
            m_getHeaders = extraHeaders;
            respondNoop(connection);
            return;
        }
        m_pendingGet = connection;
        m_getHeaders = extraHeaders;
        connect(connection, &HttpConnection::gone, this, [this, connection] {
            // A poll the client gave up on (the page went away): the session is over.
            if (m_pendingGet == connection) {
                m_pendingGet = nullptr;
                finish(QStringLiteral("transport close"));
            }
        });
        answerPendingGet();
        return;
    }
    // POST: a payload of packets.
    const std::optional<QList<Packet>> packets = EngineIo::parsePayload(request.body);
    if (!packets) {
        qCInfo(lcSession).noquote() << "Engine.IO: malformed payload from" << m_peer;
        response.status = 400;
        response.contentType = "application/json";
        response.body = R"({"code":3,"message":"Bad request"})";
        connection->respond(response);
        finish(QStringLiteral("parse error"));
        return;
    }
    response.contentType = "text/html";
    response.body = "ok";
    connection->respond(response);
    for (const Packet &packet : *packets) {
        if (m_closed)
            break;
        onPacket(packet, false);
    }
}

void EngineIoSession::offerUpgrade(std::unique_ptr<Link> link)
{
    Q_ASSERT(canUpgrade());
    m_probe = std::move(link);
    m_probeSink = std::make_unique<LinkSink>(this, true);
    m_probe->setListener(m_probeSink.get());
    m_upgradeTimer.start(m_options.upgradeTimeoutMs);
}

void EngineIoSession::onPacket(const Packet &packet, bool fromProbe)
{
    if (m_closed)
        return;
    if (fromProbe) {
        if (packet.type == PacketType::Ping && packet.data == "probe") {
            m_probe->send(WireFrame::text("3probe"));
            m_probe->flush();
            m_probed = true;
            if (m_pendingGet) {
                HttpConnection *pending = m_pendingGet;
                m_pendingGet = nullptr;
                respondNoop(pending);
            }
        } else if (packet.type == PacketType::Upgrade && m_probed) {
            m_upgradeTimer.stop();
            m_link = std::move(m_probe);
            m_sink = std::move(m_probeSink);
            m_sink->probe = false;
            m_transport = Transport::WebSocket;
            m_probed = false;
            if (m_pendingGet) {
                HttpConnection *pending = m_pendingGet;
                m_pendingGet = nullptr;
                respondNoop(pending);
            }
            // What waited for a poll goes out on the WebSocket, in order.
            const QList<Packet> waiting = std::exchange(m_outbox, {});
            m_outboxBytes = 0;
            for (const Packet &p : waiting)
                writeToLink(p);
            m_link->flush();
            qCDebug(lcSession).noquote() << "Engine.IO: upgraded" << m_sid << "to WebSocket";
        } else {
            m_probe->close(1000, QStringLiteral("bad upgrade"));
        }
        return;
    }
    switch (packet.type) {
    case PacketType::Close:
        finish(QStringLiteral("transport close"));
        break;
    case PacketType::Pong:
        schedulePing();
        if (m_listener)
            m_listener->onEngineAlive();
        break;
    case PacketType::Message:
        if (m_listener)
            m_listener->onEngineMessage(packet.data, packet.binary);
        break;
    case PacketType::Ping: // only probes are client pings in v4
    case PacketType::Open:
    case PacketType::Upgrade:
    case PacketType::Noop:
        break;
    }
}

void EngineIoSession::send(const QByteArray &data, bool binary)
{
    queue(Packet {PacketType::Message, data, binary});
}

void EngineIoSession::queue(Packet packet)
{
    if (m_closed)
        return;
    if (m_transport == Transport::WebSocket && m_link) {
        writeToLink(packet);
    } else {
        m_outboxBytes += packet.data.size() + 1;
        m_outbox.append(std::move(packet));
    }
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        if (m_flusher)
            m_flusher->scheduleFlush(this);
        else
            QMetaObject::invokeMethod(this, &EngineIoSession::flush, Qt::QueuedConnection);
    }
}

void EngineIoSession::writeToLink(const Packet &packet)
{
    if (packet.binary)
        m_link->send(WireFrame::frame(0x2, packet.data));
    else
        m_link->send(WireFrame::text(EngineIo::encodeText(packet)));
}

void EngineIoSession::flush()
{
    m_flushScheduled = false;
    if (m_link)
        m_link->flush();
    else
        answerPendingGet();
}

qint64 EngineIoSession::queuedBytes() const
{
    return m_outboxBytes + (m_link ? m_link->queuedBytes() : 0);
}

void EngineIoSession::answerPendingGet()
{
    if (!m_pendingGet || m_outbox.isEmpty())
        return;
    HttpConnection *connection = m_pendingGet;
    m_pendingGet = nullptr;
    HttpResponse response;
    response.contentType = "text/plain; charset=UTF-8";
    response.headers = m_getHeaders;
    response.body = EngineIo::encodePayload(std::exchange(m_outbox, {}));
    m_outboxBytes = 0;
    disconnect(connection, &HttpConnection::gone, this, nullptr);
    connection->respond(response);
}

void EngineIoSession::respondNoop(HttpConnection *connection)
{
    HttpResponse response;
    response.contentType = "text/plain; charset=UTF-8";
    response.headers = m_getHeaders;
    response.body = "6";
    disconnect(connection, &HttpConnection::gone, this, nullptr);
    connection->respond(response);
}

void EngineIoSession::close(const QString &reason)
{
    if (m_closed)
        return;
    if (m_transport == Transport::Polling) {
        queue(Packet {PacketType::Close, {}, false});
        answerPendingGet();
    } else if (m_link) {
        m_link->flush();
    }
    finish(reason);
}

void EngineIoSession::finish(const QString &reason)
{
    if (m_closed)
        return;
    m_closed = true;
    m_pingTimer.stop();
    m_pongTimer.stop();
    m_upgradeTimer.stop();
    qCDebug(lcSession).noquote() << "Engine.IO: session" << m_sid << "of" << m_peer
                                 << "closed:" << reason;
    if (m_pendingGet) {
        HttpConnection *pending = m_pendingGet;
        m_pendingGet = nullptr;
        respondNoop(pending);
    }
    if (m_link)
        m_link->close(1000, {});
    if (m_probe)
        m_probe->close(1000, {});
    if (EngineIoListener *listener = std::exchange(m_listener, nullptr))
        listener->onEngineClosed(reason);
    if (!m_link && !m_probe)
        emit finished(this);
    else
        QTimer::singleShot(2000, this, [this] {
            // A peer that does not answer the close handshake is not waited for.
            if (m_link)
                m_link->abort();
            if (m_probe)
                m_probe->abort();
        });
}

void EngineIoSession::retire(std::unique_ptr<Link> link, std::unique_ptr<LinkSink> sink)
{
    // Not deleted inside its own callback: on the next pass (or with us, if that
    // comes first).
    sink->session = nullptr;
    m_retired.emplace_back(std::move(link), std::move(sink));
    QMetaObject::invokeMethod(
        this, [this] { m_retired.clear(); }, Qt::QueuedConnection);
}

void EngineIoSession::onLinkGone(bool fromProbe)
{
    if (fromProbe) {
        if (!m_probe)
            return;
        retire(std::move(m_probe), std::move(m_probeSink));
        m_probed = false;
        m_upgradeTimer.stop();
    } else {
        if (!m_link)
            return;
        retire(std::move(m_link), std::move(m_sink));
        finish(QStringLiteral("transport close"));
    }
    if (m_closed && !m_link && !m_probe)
        emit finished(this);
}

} // namespace Chat
