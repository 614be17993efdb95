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
#pragma once

#include "connectionticket.h"

#include <QSslSocket>
#include <QTcpSocket>

namespace Chat {

class UpgradeControl
{
public:
    virtual void setHandoverTag(const QString &tag) = 0;
    virtual void setMuted(bool muted) = 0;
    virtual void setTicket(ConnectionTicket ticket) = 0;
    virtual ConnectionTicket takeTicket() = 0;
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
    void close() override
    {
        if (!m_muted)
            Socket::close();
    }

protected:
    qint64 writeData(const char *data, qint64 size) override
    {
        return m_muted ? size : Socket::writeData(data, size);
    }

private:
    ConnectionTicket m_ticket;
    bool m_muted = false;
};

using UpgradeTcpSocket = UpgradeSocket<QTcpSocket>;
using UpgradeSslSocket = UpgradeSocket<QSslSocket>;

} // namespace Chat
