// The plain-HTTP side of the one port, on Qt HttpServer: the browser client's
// files, /healthz, and a clean 404 for everything else. The front door hands
// sockets over; this never listens itself.
#pragma once

#include "webfiles.h"

#include <QJsonObject>
#include <QObject>

#include <functional>

QT_BEGIN_NAMESPACE
class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;
class QTcpSocket;
QT_END_NAMESPACE

namespace Chat {

class HandOffServer;

class HttpService final : public QObject
{
    Q_OBJECT
public:
    using HealthProvider = std::function<QJsonObject()>;

    // webRoot: a folder to serve the browser client from, or empty for the
    // compiled-in files.
    HttpService(HealthProvider health, const QString &webRoot, QObject *parent = nullptr);
    ~HttpService() override;
    Q_DISABLE_COPY_MOVE(HttpService)

    // Serves the request whose bytes are already buffered in the socket.
    void handle(QTcpSocket *socket);

    // Headers every answer carries: a Content-Security-Policy that allows only
    // this origin and its own WebSocket, nosniff, no referrer, no framing.
    static QList<std::pair<QByteArray, QByteArray>> securityHeaders(const QByteArray &host);

private:
    void serveFile(const QString &name, const QHttpServerRequest &request,
                   QHttpServerResponder &responder);

    HealthProvider m_health;
    WebFiles m_web;
    QHttpServer *m_http;
    HandOffServer *m_handOff;
};

} // namespace Chat
