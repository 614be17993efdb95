// The plain-HTTP side of the one port, on Qt HttpServer: /healthz, and a clean
// 404 for everything else. The front door hands sockets over; this never listens.
#pragma once

#include <QJsonObject>
#include <QObject>

#include <functional>

QT_BEGIN_NAMESPACE
class QHttpServer;
class QTcpSocket;
QT_END_NAMESPACE

namespace Chat {

class HandOffServer;

class HttpService final : public QObject
{
    Q_OBJECT
public:
    using HealthProvider = std::function<QJsonObject()>;

    explicit HttpService(HealthProvider health, QObject *parent = nullptr);
    ~HttpService() override;
    Q_DISABLE_COPY_MOVE(HttpService)

    // Serves the request whose bytes are already buffered in the socket.
    void handle(QTcpSocket *socket);

private:
    HealthProvider m_health;
    QHttpServer *m_http;
    HandOffServer *m_handOff;
};

} // namespace Chat
