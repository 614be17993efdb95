// What chat-server says of itself: /healthz and /metrics (the Prometheus text
// format), on the chat port or on --metrics-listen.
#include "chatserver.h"

#include "engineioserver.h"
#include "frontdoor.h"
#include "handover.h"
#include "httpservice.h"
#include "identityregistry.h"
#include "messagestore.h"
#include "metricstext.h"
#include "permessagedeflate.h"
#include "postqueue.h"
#include "processmetrics.h"
#include "redisbus.h"
#include "session.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace Chat {

QJsonObject ChatServer::health() const
{
    // A load balancer drains a server whose store does not answer: it would
    // refuse every post with store-failed.
    const auto *redis = qobject_cast<const RedisBus *>(m_bus);
    const bool busUp = !redis || redis->isUp();
    const QString status = m_shuttingDown ? QStringLiteral("stopping")
        : m_storeUp && busUp              ? QStringLiteral("ok")
                                          : QStringLiteral("degraded");
    return {{QStringLiteral("status"), status},
            {QStringLiteral("store"),
             QJsonObject {{QStringLiteral("engine"),
                           QLatin1String(m_context.store ? m_context.store->engine() : "none")},
                          {QStringLiteral("state"),
                           m_storeUp ? QStringLiteral("ok") : QStringLiteral("unreachable")}}},
            // A server without Redis still delivers everything, from the store,
            // only later: degraded, for a load balancer to prefer the others.
            {QStringLiteral("bus"),
             QJsonObject {{QStringLiteral("kind"),
                           redis ? QStringLiteral("redis") : QStringLiteral("local")},
                          {QStringLiteral("state"),
                           busUp ? QStringLiteral("ok") : QStringLiteral("unreachable")}}},
            {QStringLiteral("connections"), connectionCount()},
            {QStringLiteral("rooms"), roomCount()},
            {QStringLiteral("uptime"), double(m_uptime.elapsed()) / 1000.0},
            {QStringLiteral("server"), m_config.serverName},
            {QStringLiteral("node"), m_config.nodeId},
            {QStringLiteral("parked"), m_identities->parkedCount()},
            {QStringLiteral("sockets"), m_frontDoor->connectionCount()},
            {QStringLiteral("directLinks"), m_handover->directLinkCount()},
            {QStringLiteral("upgrading"), m_handover->upgradingCount()},
            {QStringLiteral("tls"), m_frontDoor->isTls()},
            {QStringLiteral("engineIoSessions"), m_socketIo->sessionCount()},
            {QStringLiteral("httpConnections"), m_http->connectionCount()},
            {QStringLiteral("messagesStored"), double(m_posts->committedCount())},
            {QStringLiteral("commits"), double(m_posts->transactionCount())}};
}

quint16 ChatServer::metricsPort() const
{
    return m_metricsListener ? m_metricsListener->serverPort() : 0;
}

QByteArray ChatServer::metrics() const
{
    using Type = MetricsText::Type;
    MetricsText out;
    out.family("chat_info", Type::Gauge, "The server's version and whether it speaks TLS.");
    out.sample(1, {{"version", CHAT_VERSION}, {"tls", m_frontDoor->isTls() ? "true" : "false"}});

    out.family("chat_connections", Type::Gauge, "Chat connections (sessions), by protocol.");
    int v1 = 0;
    qint64 queued = 0;
    for (const Session *session : m_sessions) {
        v1 += qstrcmp(session->protocol(), "v1") == 0;
        queued += session->queuedBytes();
    }
    out.sample(v1, {{"protocol", "v1"}});
    out.sample(double(m_sessions.size() - v1), {{"protocol", "socketio"}});
    out.family("chat_engineio_sessions", Type::Gauge, "Engine.IO sessions, by transport.");
    const int engineWs = m_socketIo->webSocketSessionCount();
    out.sample(m_socketIo->sessionCount() - engineWs, {{"transport", "polling"}});
    out.sample(engineWs, {{"transport", "websocket"}});
    out.gauge("chat_tcp_connections", "TCP connections on the chat port, of every kind.",
              m_frontDoor->connectionCount());
    out.gauge("chat_http_connections", "Connections speaking plain HTTP (pages, long-polling).",
              m_http->connectionCount());
    out.gauge("chat_upgrading_connections", "Connections in the WebSocket handshake.",
              m_handover->upgradingCount());
    out.gauge("chat_parked_identities",
              "Users whose connection dropped, kept for them to resume within the grace period.",
              m_identities->parkedCount());
    out.gauge("chat_rooms", "Rooms open.", roomCount());
    out.gauge("chat_queued_bytes",
              "Bytes queued for chat connections, not yet taken by the kernel.", double(queued));

    out.counter("chat_messages_stored_total", "Chat messages committed to the store.",
                double(m_posts->committedCount()));
    out.counter("chat_store_transactions_total", "Store transactions (group commits).",
                double(m_posts->transactionCount()));
    out.counter("chat_store_failures_total", "Store transactions that failed (posts refused).",
                double(m_posts->failedTransactionCount()));
    out.histogram("chat_store_commit_seconds", "Time a store transaction took, begin to commit.",
                  m_posts->commitSeconds());
    out.gauge("chat_store_up", "1 if the store answers (its last transaction or probe), else 0.",
              m_storeUp ? 1 : 0);
    if (const auto *redis = qobject_cast<const RedisBus *>(m_bus)) {
        out.gauge("chat_bus_up", "1 if both Redis connections are up, else 0.",
                  redis->isUp() ? 1 : 0);
        out.counter("chat_bus_received_total",
                    "Messages received from the Redis bus, this server's own included.",
                    double(redis->receivedCount()));
        out.counter("chat_bus_refused_total", "Bus payloads that were not chat messages.",
                    double(redis->refusedCount()));
    }

    out.family("chat_deliveries_total", Type::Counter, "Room events delivered to connections.");
    const std::pair<ChatCounters::Delivery, const char *> kinds[] = {
        {ChatCounters::Delivery::Message, "message"},
        {ChatCounters::Delivery::Typing, "typing"},
        {ChatCounters::Delivery::Presence, "presence"},
    };
    for (const auto &[kind, name] : kinds)
        out.sample(double(m_counters.deliveries[int(kind)]), {{"event", name}});
    out.counter("chat_rate_limited_total", "Requests refused for going over a rate limit.",
                double(m_counters.rateLimited));
    // The connections' codec lives on this thread (permessagedeflate.h).
    const PerMessageDeflate::Codec::Counts &deflate
        = PerMessageDeflate::Codec::forThisThread().counts();
    out.counter("chat_deflate_frames_total",
                "Distinct frames sent compressed (permessage-deflate); a broadcast counts once.",
                double(deflate.frames));
    out.counter("chat_deflate_in_bytes_total", "Payload bytes of those frames before compression.",
                double(deflate.bytesIn));
    out.counter("chat_deflate_out_bytes_total", "Payload bytes of those frames after compression.",
                double(deflate.bytesOut));

    out.family("chat_closes_total", Type::Counter,
               "Chat connections ended, by WebSocket close code and the side that closed.");
    QList<quint32> keys = m_counters.closes.keys();
    std::sort(keys.begin(), keys.end());
    for (const quint32 key : keys) {
        out.sample(
            double(m_counters.closes.value(key)),
            {{"code", QByteArray::number(ChatCounters::closeCode(key))},
             {"by",
              ChatCounters::closeSide(key) == ChatCounters::Side::Server ? "server" : "client"}});
    }
    out.family("chat_refused_connections_total", Type::Counter,
               "Connections refused before their first request was served, by HTTP status.");
    QList<int> statuses = m_frontDoor->refusals().keys();
    std::sort(statuses.begin(), statuses.end());
    for (const int status : statuses)
        out.sample(double(m_frontDoor->refusals().value(status)),
                   {{"status", QByteArray::number(status)}});

    ProcessMetrics::read().writeTo(out);
    return out.text();
}

void ChatServer::serveMetrics(HttpConnection *connection, const HttpRequest &request) const
{
    HttpResponse response;
    response.headers.emplaceBack("Cache-Control", "no-store");
    if (request.path != "/metrics") {
        response.status = 404;
        response.body = "Not found\n";
    } else if (request.method() != "GET" && request.method() != "HEAD") {
        response.status = 405;
        response.headers.emplaceBack("Allow", "GET, HEAD");
        response.body = "Method not allowed\n";
    } else {
        response.contentType = MetricsText::ContentType;
        response.body = metrics();
        response.headOnly = request.isHead();
    }
    connection->respond(response);
}

void ChatServer::onMetricsConnection()
{
    // Few scrapers are expected: the address is the admin's, not the public's.
    constexpr int MaxMetricsConnections = 16;
    while (QTcpSocket *socket = m_metricsListener->nextPendingConnection()) {
        if (m_metricsHttp->connectionCount() >= MaxMetricsConnections) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        m_metricsHttp->handle(socket);
    }
}

} // namespace Chat
