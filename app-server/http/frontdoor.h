// The one listening port: accepts TCP (or TLS), sets TCP_NODELAY, enforces the
// connection limits, peeks at the request head without consuming it, refuses
// malformed heads and foreign origins, and hands the socket to the WebSocket
// server (an upgrade) or to the HTTP service (anything else).
#pragma once

#include "connectionticket.h"
#include "frontdoorlimits.h"
#include "requesthead.h"
#include "tlscontext.h"

#include <QHash>
#include <QSslConfiguration>
#include <QTcpServer>

#include <memory>

namespace Chat {

class LinkPoller;

class FrontDoor final : public QTcpServer
{
    Q_OBJECT
public:
    using Limits = FrontDoorLimits;

    explicit FrontDoor(QObject *parent = nullptr);
    ~FrontDoor() override;
    Q_DISABLE_COPY_MOVE(FrontDoor)

    void setLimits(const Limits &limits) { m_limits = limits; }
    // With a configuration, every connection speaks TLS (its certificate chain
    // and key; tlscontext.h). False, with the reason, if OpenSSL refuses them.
    bool setTls(const QSslConfiguration &configuration, QString *error = nullptr);
    bool isTls() const { return m_tls != nullptr; }
    // The Host names answered and the browser origins allowed to upgrade.
    void setHostPolicy(const HostPolicy &policy) { m_hosts = policy; }

    int connectionCount() const { return m_counts->total; }
    // Every connection accepted since the start, refused ones included.
    quint64 acceptedCount() const { return m_accepted; }
    // Connections refused before any request was served, by HTTP status.
    const QHash<int, quint64> &refusals() const { return m_refusals; }

signals:
    void upgradeRequested(QTcpSocket *socket);
    void httpRequested(QTcpSocket *socket);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void startTls(qintptr socketDescriptor);
    void startInspecting(QTcpSocket *socket, int headTimeoutMs);
    void inspect(QTcpSocket *socket);
    void handOff(QTcpSocket *socket, bool upgrade);
    void refuse(QTcpSocket *socket, const QByteArray &status);
    void track(QTcpSocket *socket);

    Limits m_limits;
    std::shared_ptr<TlsContext> m_tls;
    LinkPoller *m_tlsPoller = nullptr; // TLS handshakes and relays (tlsfront.h)
    HostPolicy m_hosts;
    // A connection counts against the limits while its ticket lives: on the
    // socket, then on the Link that takes the connection over (connectionticket.h).
    std::shared_ptr<ConnectionCounts> m_counts;
    quint64 m_accepted = 0;
    QHash<int, quint64> m_refusals;
};

} // namespace Chat
