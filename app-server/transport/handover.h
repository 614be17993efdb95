// The explicit hand-over of an upgraded connection from Qt to a Link.
//
// QWebSocketServer answers every upgrade (the product's design); right after,
// the connection is taken back from the QWebSocket it made, keyed by the socket
// object (see upgradesocket.h), and served by chat-server's own framing:
// a DirectLink on the descriptor, plain TCP or TLS (its SSL taken from the
// TlsFront that relayed the handshake), or a SocketLink on a plain socket that
// cannot be a DirectLink (no epoll).
#pragma once

#include "link.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <memory>

QT_BEGIN_NAMESPACE
class QTcpSocket;
class QWebSocket;
class QWebSocketServer;
QT_END_NAMESPACE

namespace Chat {

class LinkPoller;

class Handover final : public QObject
{
    Q_OBJECT
public:
    Handover(QWebSocketServer *server, qint64 maxMessageBytes, QObject *parent = nullptr);
    ~Handover() override;
    Q_DISABLE_COPY_MOVE(Handover)

    // Hands a front-door socket (an UpgradeSocket) to the WebSocket server.
    void upgrade(QTcpSocket *socket);

    struct Taken
    {
        std::unique_ptr<Link> link;
        QString path; // the upgrade request's path ("/", "/socket.io/")
        QString query; // ... and its query, undecoded
        QByteArray cookie; // its Cookie header (a browser's sign-in rides on it)
    };
    // Takes the connection under a QWebSocket the server made, and deletes the
    // QWebSocket. No link if it was not made from a socket given to upgrade().
    Taken take(QWebSocket *webSocket);

    // Sockets with the WebSocket server, handshake not answered yet.
    int upgradingCount() const { return int(m_upgrading.size()); }
    // Connections served on their descriptor.
    int directLinkCount() const;

private:
    QWebSocketServer *m_server;
    LinkPoller *m_poller;
    qint64 m_maxMessageBytes;
    QHash<quint64, QPointer<QTcpSocket>> m_upgrading;
    quint64 m_nextTag = 1;
};

} // namespace Chat
