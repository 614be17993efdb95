// The HTTP side of the one port: every request after the front door, on an
// HttpConnection each: the browser client's files, socket.io-client's script,
// /healthz, routes other layers add (Engine.IO long-polling at /socket.io/),
// and a clean 404 for everything else. The front door hands sockets over; this
// never listens itself.
#pragma once

#include "httpconnection.h"
#include "requesthead.h"
#include "webfiles.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <optional>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace Chat {

class HttpService final : public QObject
{
    Q_OBJECT
public:
    using HealthProvider = std::function<QJsonObject()>;
    using Route = std::function<void(HttpConnection *, const HttpRequest &)>;

    // webRoot: a folder to serve the browser client from, or empty for the
    // compiled-in files.
    HttpService(HealthProvider health, const QString &webRoot, QObject *parent = nullptr);
    ~HttpService() override;
    Q_DISABLE_COPY_MOVE(HttpService)

    void setLimits(const HttpConnection::Limits &limits) { m_limits = limits; }
    // A folder served at /pages/: pages of the admin's choosing whose inline
    // scripts and styles may run (the documents' Socket.IO pages are written so).
    void setPagesRoot(const QString &folder);
    // The front door checks a connection's first request; this checks the rest.
    void setHostPolicy(const HostPolicy &policy) { m_hosts = policy; }
    // Requests whose path starts with `prefix` go to `route` (the files of the
    // compiled-in socket.io-client excepted).
    void addRoute(const QByteArray &prefix, Route route);
    // Off: only /healthz and the routes (a metrics address serves no files).
    void setServesFiles(bool on) { m_servesFiles = on; }

    // Serves the requests of a connection whose first request head is buffered.
    void handle(QTcpSocket *socket);
    int connectionCount() const { return m_connections; }

    // Headers every answer carries: a Content-Security-Policy that allows only
    // this origin and its own WebSocket, nosniff, no referrer, no framing.
    static HttpHeaders securityHeaders(const QByteArray &host, bool inlineScripts = false);

private:
    void route(HttpConnection *connection, const HttpRequest &request);
    void serveFile(HttpConnection *connection, const HttpRequest &request, const WebFiles &files,
                   const QString &name, bool inlineScripts = false);

    HealthProvider m_health;
    WebFiles m_web;
    WebFiles m_socketIoClient;
    std::optional<WebFiles> m_pages;
    HostPolicy m_hosts;
    HttpConnection::Limits m_limits;
    QList<std::pair<QByteArray, Route>> m_routes;
    int m_connections = 0;
    bool m_servesFiles = true;
};

} // namespace Chat
