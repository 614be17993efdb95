// HTTP side: Qt HttpServer bound to a QTcpServer that never listens; sockets
// arrive through addPendingConnection() from the front door.
#include "httpservice.h"

#include "serverlogging.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace Chat {

class HandOffServer final : public QTcpServer
{
    Q_OBJECT
public:
    using QTcpServer::QTcpServer;
    void deliver(QTcpSocket *socket, int idleTimeoutMs)
    {
        socket->setParent(this);
        // Qt HttpServer keeps connections open (keep-alive) and has no timeout of
        // its own: close a connection that stays idle, and honour
        // "Connection: close" once the answer is written.
        const QByteArray head = socket->peek(socket->bytesAvailable()).toLower();
        const qsizetype headEnd = head.indexOf("\r\n\r\n");
        const bool closeAfterAnswer = head.left(headEnd).contains("\r\nconnection: close");
        auto *idle = new QTimer(socket);
        idle->setSingleShot(true);
        connect(idle, &QTimer::timeout, socket, &QTcpSocket::disconnectFromHost);
        connect(socket, &QTcpSocket::readyRead, idle, qOverload<>(&QTimer::start));
        connect(socket, &QTcpSocket::bytesWritten, idle, [socket, idle, closeAfterAnswer] {
            idle->start();
            if (closeAfterAnswer && socket->bytesToWrite() == 0)
                socket->disconnectFromHost();
        });
        idle->start(idleTimeoutMs);
        addPendingConnection(socket);
        emit newConnection();
        // The front door peeked at the request, so its bytes are already buffered
        // and no new readyRead will come: announce them again.
        QMetaObject::invokeMethod(
            socket, [socket] { emit socket->readyRead(); }, Qt::QueuedConnection);
    }
};

namespace {
constexpr int IdleTimeoutMs = 15000;

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

QByteArray headerValue(const QHttpServerRequest &request, const QByteArray &name)
{
    for (const auto &[key, value] : request.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}
} // namespace

QList<std::pair<QByteArray, QByteArray>> HttpService::securityHeaders(const QByteArray &host)
{
    const QByteArray h = cleanHost(host);
    QByteArray connect = "'self'";
    if (!h.isEmpty())
        connect += " ws://" + h + " wss://" + h;
    return {
        {"Content-Security-Policy",
         "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
         "connect-src "
             + connect
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
    , m_http(new QHttpServer(this))
    , m_handOff(new HandOffServer(this))
{
    const auto getOrHead = QHttpServerRequest::Method::Get | QHttpServerRequest::Method::Head;
    m_http->route(QStringLiteral("/healthz"), getOrHead, [this] {
        QHttpServerResponse response(m_health());
        response.setHeader("Cache-Control", "no-store");
        return response;
    });
    m_http->route(QStringLiteral("/"), getOrHead,
                  [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                      serveFile(QString(), request, responder);
                  });
    m_http->route(
        QStringLiteral("/<arg>"), getOrHead,
        [this](const QString &name, const QHttpServerRequest &request,
               QHttpServerResponder &&responder) { serveFile(name, request, responder); });
    m_http->afterRequest([](QHttpServerResponse &&response, const QHttpServerRequest &request) {
        // Qt's own 404 has an empty body of type application/x-empty; say it plainly.
        if (response.statusCode() == QHttpServerResponse::StatusCode::NotFound
            && response.data().isEmpty())
            response = QHttpServerResponse("text/plain; charset=utf-8", "Not found\n",
                                           QHttpServerResponse::StatusCode::NotFound);
        for (const auto &[name, value] : securityHeaders(headerValue(request, "host")))
            response.setHeader(name, value);
        return std::move(response);
    });
    m_http->bind(m_handOff);
    qCInfo(lcHttp).noquote() << "browser client from" << m_web.root();
}

HttpService::~HttpService() = default;

void HttpService::handle(QTcpSocket *socket)
{
    m_handOff->deliver(socket, IdleTimeoutMs);
}

void HttpService::serveFile(const QString &name, const QHttpServerRequest &request,
                            QHttpServerResponder &responder)
{
    const auto file = m_web.find(QLatin1Char('/') + name);
    const auto security = securityHeaders(headerValue(request, "host"));
    auto writeCommon = [&] {
        for (const auto &[key, value] : security)
            responder.writeHeader(key, value);
    };
    if (!file) {
        const QByteArray body = "Not found\n";
        responder.writeStatusLine(QHttpServerResponder::StatusCode::NotFound);
        responder.writeHeader("Content-Type", "text/plain; charset=utf-8");
        responder.writeHeader("Content-Length", QByteArray::number(body.size()));
        writeCommon();
        responder.writeBody(request.method() == QHttpServerRequest::Method::Head ? QByteArray()
                                                                                 : body);
        return;
    }
    const bool notModified = headerValue(request, "if-none-match").contains(file->etag);
    responder.writeStatusLine(notModified ? QHttpServerResponder::StatusCode::NotModified
                                          : QHttpServerResponder::StatusCode::Ok);
    responder.writeHeader("ETag", file->etag);
    responder.writeHeader("Cache-Control", "no-cache");
    writeCommon();
    if (notModified) {
        responder.writeBody(QByteArray());
        return;
    }
    responder.writeHeader("Content-Type", file->contentType);
    responder.writeHeader("Content-Length", QByteArray::number(file->body.size()));
    responder.writeBody(request.method() == QHttpServerRequest::Method::Head ? QByteArray()
                                                                             : file->body);
}

} // namespace Chat

#include "httpservice.moc"
