// What the layer above talks through: one upgraded WebSocket connection, after
// Qt's handshake. Every Link is a FramedLink (framedlink.h): chat-server's own
// RFC 6455 framing, one parser and one writer, on one of two byte streams:
// a socket descriptor (DirectLink: plain TCP, or TLS through OpenSSL on the
// descriptor) or a QTcpSocket (SocketLink, where there is no epoll set).
#pragma once

#include <QByteArray>
#include <QString>

namespace Chat {

class LinkListener
{
public:
    // A complete text message, valid UTF-8, within the size limit.
    virtual void onLinkText(const QByteArray &utf8) = 0;
    // A complete binary message, within the size limit.
    virtual void onLinkBinary(const QByteArray &payload) = 0;
    virtual void onLinkPong() = 0;
    // A close handshake started, by either side. Called once.
    virtual void onLinkClosing() = 0;
    // The connection is gone. Called once, last.
    virtual void onLinkDisconnected(int closeCode) = 0;

protected:
    ~LinkListener() = default;
};

class Link
{
public:
    virtual ~Link() = default;

    // Called once, before anything else; the listener outlives the link.
    virtual void setListener(LinkListener *listener) = 0;
    virtual QString peer() const = 0; // "address:port"
    // Queues a complete server frame (WireFrame::text, WireFrame::frame); the bytes
    // are shared, not copied.
    virtual void send(const QByteArray &frame) = 0;
    // Hands queued frames to the kernel.
    virtual void flush() = 0;
    // Bytes queued and not yet taken by the kernel.
    virtual qint64 queuedBytes() const = 0;
    virtual void ping() = 0;
    // Starts the close handshake. A close code as a number: application codes
    // (4000-4999) are not values of QWebSocketProtocol::CloseCode.
    virtual void close(int code, const QString &reason) = 0;
    // Drops the connection without a word.
    virtual void abort() = 0;
    // Reads, now, what the peer has sent already: for a caller about to judge
    // something that another connection's request raced (an Engine.IO poll
    // while this WebSocket is completing the upgrade).
    virtual void readNow() = 0;
};

} // namespace Chat
