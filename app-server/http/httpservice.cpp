// HTTP side: routing and the static files, on HttpConnection.
#include "httpservice.h"

#include "serverlogging.h"

#include <QJsonDocument>
#include <QTcpSocket>

namespace Chat {

namespace {
// A Host header fit to be echoed into the CSP: host name or address and port only.
QByteArray cleanHost(const QByteArray &host)
{
    if (host.isEmpty() || host.size() > 255)
        return {};
    for (const char c : host) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
        if (!ok)
            return {};
    }
    return host;
}

// socket.io-client's dist files, as the reference server serves them.
constexpr QLatin1StringView SocketIoClientPrefix("/socket.io/");
} // namespace

HttpHeaders HttpService::securityHeaders(const QByteArray &host, bool inlineScripts)
{
    const QByteArray h = cleanHost(host);
    QByteArray connect = "'self'";
    if (!h.isEmpty())
        connect += " ws://" + h + " wss://" + h;
    return {
        {"Content-Security-Policy",
         (inlineScripts ? QByteArray("default-src 'none'; script-src 'self' 'unsafe-inline'; "
                                     "style-src 'self' 'unsafe-inline'; img-src 'self' data:; ")
                        : QByteArray("default-src 'none'; script-src 'self'; style-src 'self'; "
                                     "img-src 'self' data:; "))
             + "connect-src " + connect
             + "; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors "
               "'none'"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"X-Frame-Options", "DENY"},
        {"Cross-Origin-Opener-Policy", "same-origin"},
    };
}

HttpService::HttpService(HealthProvider health, const QString &webRoot, QObject *parent)
    : QObject(parent)
    , m_health(std::move(health))
    , m_web(webRoot.isEmpty() ? QStringLiteral(":/web") : webRoot)
    , m_socketIoClient(QStringLiteral(":/socket.io-client"))
{
    qCInfo(lcHttp).noquote() << "browser client from" << m_web.root();
}

HttpService::~HttpService() = default;

void HttpService::setPagesRoot(const QString &folder)
{
    if (folder.isEmpty())
        m_pages.reset();
    else
        m_pages.emplace(folder);
}

void HttpService::addRoute(const QByteArray &prefix, Route route)
{
    m_routes.append({prefix, std::move(route)});
}

void HttpService::handle(QTcpSocket *socket)
{
    ++m_connections;
    auto *connection = new HttpConnection(
        socket, m_limits,
        [this](HttpConnection *c, const HttpRequest &request) { route(c, request); }, this);
    connect(connection, &HttpConnection::gone, this, [this] { --m_connections; });
}

void HttpService::route(HttpConnection *connection, const HttpRequest &request)
{
    if (!m_hosts.allowsHost(request.head)) {
        HttpResponse response;
        response.status = 421;
        response.body = "Misdirected Request\n";
        connection->respond(response);
        return;
    }
    const QByteArray &path = request.path;
    if (m_servesFiles && path.startsWith(SocketIoClientPrefix.data())) {
        const QString name = QString::fromLatin1(path.mid(SocketIoClientPrefix.size()));
        if (!name.isEmpty() && m_socketIoClient.find(QLatin1Char('/') + name)) {
            serveFile(connection, request, m_socketIoClient, name);
            return;
        }
    }
    if (m_servesFiles && m_pages && path.startsWith("/pages/")) {
        const QString name = QString::fromUtf8(path.mid(7));
        if (request.method() == "GET" || request.method() == "HEAD") {
            serveFile(connection, request, *m_pages, name, true);
            return;
        }
    }
    for (const auto &[prefix, handler] : m_routes) {
        if (path.startsWith(prefix)) {
            handler(connection, request);
            return;
        }
    }
    const QByteArray method = request.method();
    if (method != "GET" && method != "HEAD") {
        HttpResponse response;
        response.status = 405;
        response.headers = securityHeaders(request.head.header("host"));
        response.headers.emplaceBack("Allow", "GET, HEAD");
        response.body = "Method not allowed\n";
        connection->respond(response);
        return;
    }
    if (path == "/healthz") {
        HttpResponse response;
        response.contentType = "application/json";
        response.headers = securityHeaders(request.head.header("host"));
        response.headers.emplaceBack("Cache-Control", "no-store");
        response.body = QJsonDocument(m_health()).toJson(QJsonDocument::Compact);
        response.headOnly = request.isHead();
        connection->respond(response);
        return;
    }
    if (!m_servesFiles) {
        HttpResponse response;
        response.status = 404;
        response.body = "Not found\n";
        connection->respond(response);
        return;
    }
    serveFile(connection, request, m_web, QString::fromUtf8(path.mid(1)));
}

void HttpService::serveFile(HttpConnection *connection, const HttpRequest &request,
                            const WebFiles &files, const QString &name, bool inlineScripts)
{
    HttpResponse response;
    response.headers = securityHeaders(request.head.header("host"), inlineScripts);
    response.headOnly = request.isHead();
    const auto file = files.find(QLatin1Char('/') + name);
    if (!file) {
        response.status = 404;
        response.body = "Not found\n";
        connection->respond(response);
        return;
    }
    response.headers.emplaceBack("ETag", file->etag);
    response.headers.emplaceBack("Cache-Control", "no-cache");
    if (request.head.header("if-none-match").contains(file->etag)) {
        response.status = 304;
        connection->respond(response);
        return;
    }
    response.contentType = file->contentType;
    response.body = file->body;
    connection->respond(response);
}

} // namespace Chat
