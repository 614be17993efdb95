// The QWebSocket link.
#include "websocketlink.h"

#include "frameguard.h"
#include "serverlogging.h"
#include "wireframe.h"

#include <QTcpSocket>
#include <QWebSocket>

namespace Chat {

WebSocketLink::WebSocketLink(QWebSocket *socket, QTcpSocket *wire) : m_socket(socket), m_wire(wire)
{
    m_socket->setParent(this);
}

WebSocketLink::~WebSocketLink() = default;

void WebSocketLink::setListener(LinkListener *listener)
{
    m_listener = listener;
    connect(m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { m_listener->onLinkText(text.toUtf8()); });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this,
            [this] { m_listener->onLinkBinary(); });
    connect(m_socket, &QWebSocket::pong, this, [this] { m_listener->onLinkPong(); });
    connect(m_socket, &QWebSocket::aboutToClose, this, [this] {
        if (!std::exchange(m_closing, true))
            m_listener->onLinkClosing();
    });
    connect(m_socket, &QWebSocket::disconnected, this,
            [this] { m_listener->onLinkDisconnected(int(m_socket->closeCode())); });
    if (FrameGuard *guard = m_wire ? frameGuardOf(m_wire) : nullptr)
        guard->start(this, [this] { failUnmasked(); });
}

QString WebSocketLink::peer() const
{
    return QStringLiteral("%1:%2")
        .arg(m_socket->peerAddress().toString())
        .arg(m_socket->peerPort());
}

bool WebSocketLink::isConnected() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

void WebSocketLink::send(const QByteArray &frame)
{
    if (!isConnected())
        return;
    if (m_wire)
        m_wire->write(frame); // shares the bytes with every other recipient: no copy
    else
        m_socket->sendTextMessage(QString::fromUtf8(WireFrame::payloadOf(frame)));
}

void WebSocketLink::flush()
{
    if (m_wire)
        m_wire->flush();
    m_socket->flush();
}

qint64 WebSocketLink::queuedBytes() const
{
    return m_wire ? m_wire->bytesToWrite() : m_socket->bytesToWrite();
}

void WebSocketLink::ping()
{
    m_socket->ping();
}

void WebSocketLink::close(int code, const QString &reason)
{
    // QWebSocket takes its close code as a QWebSocketProtocol::CloseCode, whose
    // values end at 1015: an application code (4000-4999) held in it is undefined
    // behaviour. Those are written as a close frame on the wire under the
    // QWebSocket (the same path as every other pre-built frame), then the
    // connection is closed once it is out.
    if (code >= QWebSocketProtocol::CloseCodeNormal
        && code <= QWebSocketProtocol::CloseCodeTlsHandshakeFailed) {
        m_socket->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
        return;
    }
    if (!m_wire || !isConnected()) {
        m_socket->close(QWebSocketProtocol::CloseCodePolicyViolated, reason);
        return;
    }
    if (!std::exchange(m_closing, true))
        m_listener->onLinkClosing();
    m_wire->write(WireFrame::close(code, reason.toUtf8()));
    m_wire->disconnectFromHost(); // after the close frame is written
}

void WebSocketLink::abort()
{
    m_socket->abort();
}

void WebSocketLink::failUnmasked()
{
    // RFC 6455 7.1.7: send the close frame and drop the connection; nothing the
    // client sends from the offending frame on is read (the guard hides it).
    qCInfo(lcSession).noquote() << "unmasked frame from" << peer() << ": failing the connection";
    close(QWebSocketProtocol::CloseCodeProtocolError,
          QStringLiteral("client frames must be masked"));
    if (m_wire && m_wire->state() == QAbstractSocket::ConnectedState)
        m_wire->disconnectFromHost(); // after the close frame is written
}

} // namespace Chat
