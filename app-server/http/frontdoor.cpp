// Front door: one port for WebSocket and HTTP, plain or TLS.
#include "frontdoor.h"

#include "linkpoller.h"
#include "permessagedeflate.h"
#include "serverlogging.h"
#include "tlsfront.h"
#include "upgradesocket.h"

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTimer>

#include <unistd.h>

namespace Chat {

namespace {
constexpr int TlsStepsPerPass = 4;
constexpr char PendingTimerName[] = "chat-head-timer";
} // namespace

FrontDoor::FrontDoor(QObject *parent)
    : QTcpServer(parent), m_counts(std::make_shared<ConnectionCounts>())
{
    setListenBacklogSize(1024);
}

FrontDoor::~FrontDoor()
{
    // Before their poller, a child too.
    qDeleteAll(findChildren<TlsFront *>(Qt::FindDirectChildrenOnly));
}

bool FrontDoor::setTls(const QSslConfiguration &configuration, QString *error)
{
    QByteArray chain;
    for (const QSslCertificate &certificate : configuration.localCertificateChain())
        chain += certificate.toPem();
    std::shared_ptr<TlsContext> context
        = TlsContext::fromPem(chain, configuration.privateKey().toPem(), error);
    if (!context)
        return false; // what was set stays
    // Connections that started with the previous one keep it (OpenSSL counts its users).
    m_tls = std::move(context);
    if (!m_tlsPoller) // a handshake step can take a fraction of a millisecond: few per pass
        m_tlsPoller = new LinkPoller(this, TlsStepsPerPass);
    return true;
}

void FrontDoor::incomingConnection(qintptr socketDescriptor)
{
    if (m_tls) {
        startTls(socketDescriptor);
        return;
    }
    // An UpgradeSocket: once upgraded, it can be taken back from Qt (handover.h).
    QTcpSocket *socket = new UpgradeTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    const QString address = socket->peerAddress().toString();
    if (m_limits.maxConnections > 0 && m_counts->total >= m_limits.maxConnections) {
        qCWarning(lcServer).noquote()
            << "refusing" << address << ": connection limit" << m_limits.maxConnections;
        track(socket);
        refuse(socket, "503 Service Unavailable");
        return;
    }
    if (m_limits.maxPerAddress > 0
        && m_counts->perAddress.value(address) >= m_limits.maxPerAddress) {
        qCInfo(lcServer).noquote()
            << "refusing" << address << ": more than" << m_limits.maxPerAddress << "connections";
        track(socket);
        refuse(socket, "429 Too Many Requests");
        return;
    }
    track(socket);
    startInspecting(socket, m_limits.headTimeoutMs);
}

void FrontDoor::startTls(qintptr socketDescriptor)
{
    ++m_accepted;
    // The TLS handshake first; the request head is read from the plain end of
    // the front's pair, by the same code as for a plain connection.
    auto *front
        = new TlsFront(int(socketDescriptor), *m_tls, m_tlsPoller, m_limits.headTimeoutMs, this);
    const QString address = front->peerAddress().toString();
    const auto refuseNow = [this, front, &address](int status, const char *why) {
        // Nothing can be said before the handshake: the connection is closed.
        ++m_refusals[status];
        qCInfo(lcServer).noquote() << "refusing" << address << ":" << why;
        delete front;
    };
    if (m_limits.maxConnections > 0 && m_counts->total >= m_limits.maxConnections)
        return refuseNow(503, "connection limit");
    if (m_limits.maxPerAddress > 0 && m_counts->perAddress.value(address) >= m_limits.maxPerAddress)
        return refuseNow(429, "too many connections from this address");
    // It counts from the start of the handshake, and until its link (or socket) goes.
    front->holdTicket(ConnectionTicket(m_counts, address));
    connect(front, &TlsFront::secured, this, [this, front](int plainFd) {
        auto *socket = new UpgradeTcpSocket(this);
        if (!socket->setSocketDescriptor(plainFd)) {
            ::close(plainFd);
            delete socket;
            return;
        }
        UpgradeControl *control = UpgradeControl::of(socket);
        control->setTlsFront(front);
        control->setTicket(front->takeTicket());
        startInspecting(socket, qMax(1, m_limits.headTimeoutMs - int(front->elapsedMs())));
    });
}

void FrontDoor::track(QTcpSocket *socket)
{
    ++m_accepted;
    if (UpgradeControl *control = UpgradeControl::of(socket))
        control->setTicket(ConnectionTicket(m_counts, socket->peerAddress().toString()));
}

void FrontDoor::startInspecting(QTcpSocket *socket, int headTimeoutMs)
{
    // One deadline for the TLS handshake and the request head together.
    auto *timer = new QTimer(socket);
    timer->setObjectName(QLatin1String(PendingTimerName));
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, socket, [this, socket] {
        qCInfo(lcHttp).noquote() << "request head timeout from" << socket->peerAddress().toString();
        refuse(socket, "408 Request Timeout");
    });
    timer->start(headTimeoutMs);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { inspect(socket); });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
}

void FrontDoor::inspect(QTcpSocket *socket)
{
    const QByteArray head = socket->peek(m_limits.maxHeadBytes + 1);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (head.size() > m_limits.maxHeadBytes)
            refuse(socket, "431 Request Header Fields Too Large");
        return;
    }
    const std::optional<RequestHead> request = RequestHead::parse(head.left(end));
    if (!request) {
        qCInfo(lcHttp).noquote() << "malformed request head from"
                                 << socket->peerAddress().toString();
        refuse(socket, "400 Bad Request");
        return;
    }
    if (!m_hosts.allowsHost(*request)) {
        qCInfo(lcHttp).noquote() << "refusing a request for host" << request->header("host")
                                 << "from" << socket->peerAddress().toString()
                                 << "(not one of this server's names; see --allow-host)";
        refuse(socket, "421 Misdirected Request");
        return;
    }
    const bool upgrade = request->isWebSocketUpgrade();
    if (upgrade && !m_hosts.allowsOrigin(*request, isTls())) {
        qCInfo(lcServer).noquote()
            << "refusing a WebSocket from origin" << request->header("origin") << "at"
            << socket->peerAddress().toString();
        refuse(socket, "403 Forbidden");
        return;
    }
    if (upgrade && m_limits.deflate) {
        const QByteArray offers = request->headerList("sec-websocket-extensions");
        if (!offers.isEmpty()) {
            const auto agreement = PerMessageDeflate::negotiate(offers);
            UpgradeControl *control = UpgradeControl::of(socket);
            if (agreement && control)
                control->setDeflateAnswer(agreement->response, agreement->serverWindowBits);
        }
    }
    handOff(socket, upgrade);
}

void FrontDoor::handOff(QTcpSocket *socket, bool upgrade)
{
    delete socket->findChild<QTimer *>(QLatin1String(PendingTimerName));
    disconnect(socket, nullptr, this, nullptr);
    if (upgrade)
        emit upgradeRequested(socket);
    else
        emit httpRequested(socket);
}

void FrontDoor::refuse(QTcpSocket *socket, const QByteArray &status)
{
    ++m_refusals[status.left(3).toInt()];
    delete socket->findChild<QTimer *>(QLatin1String(PendingTimerName));
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    const QByteArray body = status + '\n';
    socket->write("HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
    // A peer that does not read its answer is not waited for.
    QTimer::singleShot(1000, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    if (socket->state() == QAbstractSocket::UnconnectedState)
        socket->deleteLater();
}

} // namespace Chat
