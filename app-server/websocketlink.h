// A Link on Qt's QWebSocket: what TLS connections use (see link.h). Broadcast
// frames are written pre-built to the socket underneath, not re-encoded.
#pragma once

#include "link.h"

#include <QObject>
#include <QPointer>

QT_BEGIN_NAMESPACE
class QTcpSocket;
class QWebSocket;
QT_END_NAMESPACE

namespace Chat {

class WebSocketLink final : public QObject, public Link
{
    Q_OBJECT
public:
    // Takes ownership of the socket. `wire` is the TCP (or TLS) socket under it,
    // or null if not known.
    WebSocketLink(QWebSocket *socket, QTcpSocket *wire);
    ~WebSocketLink() override;
    Q_DISABLE_COPY_MOVE(WebSocketLink)

    void setListener(LinkListener *listener) override;
    QString peer() const override;
    void send(const QByteArray &frame) override;
    void flush() override;
    qint64 queuedBytes() const override;
    void ping() override;
    void close(int code, const QString &reason) override;
    void abort() override;

private:
    void failUnmasked();
    bool isConnected() const;

    QWebSocket *m_socket;
    QPointer<QTcpSocket> m_wire;
    LinkListener *m_listener = nullptr;
    bool m_closing = false;
};

} // namespace Chat
