// HTTP side: Qt HttpServer bound to a QTcpServer that never listens; sockets
// arrive through addPendingConnection() from the front door.
#include "httpservice.h"

#include "serverlogging.h"

#include <QHttpServer>
#include <QHttpServerResponse>
#include <QTcpServer>
#include <QTcpSocket>

namespace Chat {

class HandOffServer final : public QTcpServer
{
    Q_OBJECT
public:
    using QTcpServer::QTcpServer;
    void deliver(QTcpSocket *socket)
    {
        socket->setParent(this);
        addPendingConnection(socket);
        emit newConnection();
        // The front door peeked at the request, so its bytes are already buffered
        // and no new readyRead will come: announce them again.
        QMetaObject::invokeMethod(
            socket, [socket] { emit socket->readyRead(); }, Qt::QueuedConnection);
    }
};

HttpService::HttpService(HealthProvider health, QObject *parent)
    : QObject(parent)
    , m_health(std::move(health))
    , m_http(new QHttpServer(this))
    , m_handOff(new HandOffServer(this))
{
    m_http->route(QStringLiteral("/healthz"), [this] {
        QHttpServerResponse response(m_health());
        response.setHeader("Cache-Control", "no-store");
        return response;
    });
    m_http->afterRequest([](QHttpServerResponse &&response) {
        // Qt's own 404 has an empty body of type application/x-empty; say it plainly.
        if (response.statusCode() == QHttpServerResponse::StatusCode::NotFound
            && response.data().isEmpty())
            response = QHttpServerResponse("text/plain; charset=utf-8", "Not found\n",
                                           QHttpServerResponse::StatusCode::NotFound);
        response.setHeader("X-Content-Type-Options", "nosniff");
        return std::move(response);
    });
    m_http->bind(m_handOff);
}

HttpService::~HttpService() = default;

void HttpService::handle(QTcpSocket *socket)
{
    m_handOff->deliver(socket);
}

} // namespace Chat

#include "httpservice.moc"
