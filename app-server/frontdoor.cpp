// Front door: one port for WebSocket and HTTP.
#include "frontdoor.h"

#include "serverlogging.h"

#include <QTcpSocket>
#include <QTimer>

namespace Chat {

namespace {
constexpr char PendingTimerName[] = "chat-head-timer";
}

FrontDoor::FrontDoor(QObject *parent) : QTcpServer(parent)
{
    setListenBacklogSize(1024);
}

FrontDoor::~FrontDoor() = default;

void FrontDoor::setHeadLimits(int maxBytes, int timeoutMs)
{
    m_maxHeadBytes = maxBytes;
    m_headTimeoutMs = timeoutMs;
}

bool FrontDoor::isWebSocketUpgrade(const QByteArray &head)
{
    const QList<QByteArray> lines = head.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        if (line.left(colon).trimmed().compare("upgrade", Qt::CaseInsensitive) == 0
            && line.mid(colon + 1).toLower().contains("websocket"))
            return true;
    }
    return false;
}

void FrontDoor::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    ++m_inspecting;
    auto *timer = new QTimer(socket);
    timer->setObjectName(QLatin1String(PendingTimerName));
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, socket, [this, socket] {
        qCInfo(lcHttp).noquote() << "request head timeout from" << socket->peerAddress().toString();
        refuse(socket, "408 Request Timeout");
    });
    timer->start(m_headTimeoutMs);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { inspect(socket); });
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        --m_inspecting;
        socket->deleteLater();
    });
}

void FrontDoor::inspect(QTcpSocket *socket)
{
    const QByteArray head = socket->peek(m_maxHeadBytes + 1);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (head.size() > m_maxHeadBytes)
            refuse(socket, "431 Request Header Fields Too Large");
        return;
    }
    if (!isValidRequestLine(head.left(head.indexOf("\r\n")))) {
        qCInfo(lcHttp).noquote() << "malformed request line from"
                                 << socket->peerAddress().toString();
        refuse(socket, "400 Bad Request");
        return;
    }
    handOff(socket, isWebSocketUpgrade(head.left(end)));
}

bool FrontDoor::isValidRequestLine(const QByteArray &line)
{
    // METHOD SP request-target SP HTTP/1.x, nothing else (RFC 9112, section 3).
    const QList<QByteArray> parts = line.split(' ');
    if (parts.size() != 3 || (parts.at(2) != "HTTP/1.1" && parts.at(2) != "HTTP/1.0"))
        return false;
    const QByteArray &method = parts.at(0);
    if (method.isEmpty() || method.size() > 16)
        return false;
    for (const char c : method) {
        if (c < 'A' || c > 'Z')
            return false;
    }
    const QByteArray &target = parts.at(1);
    if (target.isEmpty()
        || (target.at(0) != '/' && target != "*" && !target.startsWith("http://")
            && !target.startsWith("https://")))
        return false;
    for (const char c : target) {
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
            return false;
    }
    return true;
}

void FrontDoor::handOff(QTcpSocket *socket, bool upgrade)
{
    delete socket->findChild<QTimer *>(QLatin1String(PendingTimerName));
    disconnect(socket, nullptr, this, nullptr);
    --m_inspecting;
    if (upgrade)
        emit upgradeRequested(socket);
    else
        emit httpRequested(socket);
}

void FrontDoor::refuse(QTcpSocket *socket, const QByteArray &status)
{
    delete socket->findChild<QTimer *>(QLatin1String(PendingTimerName));
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    const QByteArray body = status + '\n';
    socket->write("HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    socket->disconnectFromHost();
    // A peer that does not read its answer is not waited for.
    QTimer::singleShot(1000, socket, &QTcpSocket::abort);
}

} // namespace Chat
