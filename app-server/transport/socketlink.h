// A Link on a QTcpSocket after QWebSocketServer answered its handshake: for a
// plain connection that cannot be a DirectLink (no epoll set). Same FramedLink
// rules, same parser, same writer: only the byte stream differs. (TLS
// connections are DirectLinks on their SSL: tlsfront.h.)
#pragma once

#include "framedlink.h"

#include <QHostAddress>
#include <QObject>
#include <QTimer>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace Chat {

class SocketLink final : public QObject, public FramedLink
{
    Q_OBJECT
public:
    // Takes the socket (and what it has buffered from the client); nothing else
    // may read it or be connected to it.
    SocketLink(QTcpSocket *socket, qint64 maxMessageBytes, QObject *parent = nullptr);
    ~SocketLink() override;
    Q_DISABLE_COPY_MOVE(SocketLink)

    QString peer() const override;
    void flush() override;
    void readNow() override { onReadyRead(); }
    qint64 queuedBytes() const override;

private:
    void queueBytes(const QByteArray &bytes) override;
    void shutdownWrites() override;
    void closeStream() override;
    void startDeadline(int ms) override;
    void schedulePending() override;
    void onReadyRead();
    void onBytesWritten();

    QTcpSocket *m_socket; // a child: deleted with the link
    QHostAddress m_peerAddress; // kept for the logs after the close
    quint16 m_peerPort = 0;
    QTimer m_deadline;
    bool m_reading = false;
};

} // namespace Chat
