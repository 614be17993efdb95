// The socket type of every front-door connection, so that a connection
// QWebSocketServer upgraded can be taken back from it explicitly (handover.h).
//
// - A hand-over tag: the server names the socket (QAbstractSocket::setPeerName,
//   meant for "virtual connection settings") before handing it to
//   QWebSocketServer; the QWebSocket made from it reports that name
//   (QWebSocket::peerName()), which leads back to this very object.
// - Muting: when a Link takes the connection, the QWebSocket is deleted, and a
//   QWebSocket "closes the socket if it is still open" when destroyed. While
//   muted, what it writes or closes is dropped, so the client sees nothing.
// - The connection's ticket (connectionticket.h), until a Link takes it.
// - For TLS, the TlsFront relaying the connection (tlsfront.h): the socket is
//   the plain end of its pair, named with the client's address and port.
// - The extension the front door agreed to (permessage-deflate): QWebSocketServer
//   negotiates none, so its 101 answer gets the Sec-WebSocket-Extensions line
//   on its way out; the Link is told only if the answer went out with it.
#pragma once

#include "connectionticket.h"
#include "tlsfront.h"

#include <QHostAddress>
#include <QPointer>
#include <QTcpSocket>

namespace Chat {

class UpgradeControl
{
public:
    virtual void setHandoverTag(const QString &tag) = 0;
    virtual void setMuted(bool muted) = 0;
    virtual void setTicket(ConnectionTicket ticket) = 0;
    virtual ConnectionTicket takeTicket() = 0;
    // A relayed TLS connection: the front, and the client's address for the
    // socket to report (it is connected to the front, not to the client).
    virtual void setTlsFront(TlsFront *front) = 0;
    virtual TlsFront *tlsFront() const = 0;
    // The Sec-WebSocket-Extensions value for the 101 answer, and the deflate
    // window it agrees to (permessagedeflate.h).
    virtual void setDeflateAnswer(const QByteArray &answer, quint8 windowBits) = 0;
    // The agreed window if the 101 answer went out with the agreement, else 0.
    virtual quint8 deflateWindowBits() const = 0;
    // The control of a front-door socket, or null for any other socket.
    static UpgradeControl *of(QTcpSocket *socket) { return dynamic_cast<UpgradeControl *>(socket); }

protected:
    ~UpgradeControl() = default;
};

template<class Socket> class UpgradeSocket final : public Socket, public UpgradeControl
{
public:
    using Socket::Socket;
    void setHandoverTag(const QString &tag) override { Socket::setPeerName(tag); }
    void setMuted(bool muted) override { m_muted = muted; }
    void setTicket(ConnectionTicket ticket) override { m_ticket = std::move(ticket); }
    ConnectionTicket takeTicket() override { return std::move(m_ticket); }
    void setTlsFront(TlsFront *front) override
    {
        m_tlsFront = front;
        Socket::setPeerAddress(front->peerAddress());
        Socket::setPeerPort(front->peerPort());
    }
    TlsFront *tlsFront() const override { return m_tlsFront.data(); }
    void setDeflateAnswer(const QByteArray &answer, quint8 windowBits) override
    {
        m_deflateAnswer = answer;
        m_answerBits = windowBits;
    }
    quint8 deflateWindowBits() const override { return m_deflateBits; }
    void close() override
    {
        if (!m_muted)
            Socket::close();
    }

protected:
    qint64 writeData(const char *data, qint64 size) override
    {
        if (m_muted)
            return size;
        if (!m_deflateAnswer.isEmpty()) {
            // The first write is Qt's whole answer (one QTextStream flush).
            const QByteArray answer = std::exchange(m_deflateAnswer, {});
            const QByteArrayView bytes(data, size);
            if (bytes.startsWith("HTTP/1.1 101 ") && bytes.endsWith("\r\n\r\n")) {
                const QByteArray edited = bytes.chopped(2).toByteArray()
                    + "Sec-WebSocket-Extensions: " + answer + "\r\n\r\n";
                if (Socket::writeData(edited.constData(), edited.size()) != edited.size())
                    return -1;
                m_deflateBits = m_answerBits;
                return size;
            }
        }
        return Socket::writeData(data, size);
    }

private:
    ConnectionTicket m_ticket;
    QPointer<TlsFront> m_tlsFront;
    QByteArray m_deflateAnswer;
    quint8 m_answerBits = 0;
    quint8 m_deflateBits = 0;
    bool m_muted = false;
};

using UpgradeTcpSocket = UpgradeSocket<QTcpSocket>;

} // namespace Chat
