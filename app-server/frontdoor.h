// The one listening port: accepts TCP, sets TCP_NODELAY, peeks at the request
// head without consuming it, and hands the socket to the WebSocket server (an
// upgrade) or to the HTTP service (anything else).
#pragma once

#include <QTcpServer>

namespace Chat {

class FrontDoor final : public QTcpServer
{
    Q_OBJECT
public:
    explicit FrontDoor(QObject *parent = nullptr);
    ~FrontDoor() override;
    Q_DISABLE_COPY_MOVE(FrontDoor)

    void setHeadLimits(int maxBytes, int timeoutMs);
    int inspecting() const { return m_inspecting; }

    // True if the request head asks for a WebSocket upgrade.
    static bool isWebSocketUpgrade(const QByteArray &head);
    static bool isValidRequestLine(const QByteArray &line);

signals:
    void upgradeRequested(QTcpSocket *socket);
    void httpRequested(QTcpSocket *socket);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void inspect(QTcpSocket *socket);
    void handOff(QTcpSocket *socket, bool upgrade);
    void refuse(QTcpSocket *socket, const QByteArray &status);

    int m_maxHeadBytes = 16 * 1024;
    int m_headTimeoutMs = 5000;
    int m_inspecting = 0;
};

} // namespace Chat
