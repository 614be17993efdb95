// A TCP relay between a client and the server that a test can cut, pause in one
// direction, or reset: a network blip on demand.
#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace Chat::Test {

class TcpRelay final : public QObject
{
    Q_OBJECT
public:
    explicit TcpRelay(quint16 targetPort, QObject *parent = nullptr);
    ~TcpRelay() override;

    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    void setTargetPort(quint16 port) { m_targetPort = port; }

    // Holds back (drops) what the server sends to clients while true.
    void setServerToClientBlocked(bool blocked) { m_blockDownstream = blocked; }
    // Refuses new connections while true (the "network" is down).
    void setRefusing(bool refusing) { m_refusing = refusing; }
    // Resets every relayed connection, both sides, without a close frame.
    void cutAll();
    int connectionCount() const;
    qint64 bytesDropped() const { return m_dropped; }

private:
    struct Pair
    {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> server;
    };
    void onNewConnection();

    QTcpServer m_server;
    quint16 m_targetPort;
    QList<Pair> m_pairs;
    bool m_blockDownstream = false;
    bool m_refusing = false;
    qint64 m_dropped = 0;
};

} // namespace Chat::Test
