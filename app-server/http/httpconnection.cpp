// HTTP/1.1 request reading and answering on one connection.
#include "httpconnection.h"

#include "serverlogging.h"

#include <QTcpSocket>

namespace Chat {

namespace {
constexpr qint64 MaxUnsentBytes = 256 * 1024;

// Content-Length as digits only: no sign, no spaces inside, no hex, no overflow.
std::optional<qint64> contentLength(const QByteArray &value, qint64 max)
{
    if (value.isEmpty() || value.size() > 18)
        return std::nullopt;
    qint64 n = 0;
    for (const char c : value) {
        if (c < '0' || c > '9')
            return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n <= max ? std::optional<qint64>(n) : std::optional<qint64>(-1);
}
} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, const Limits &limits, Handler handler,
                               QObject *parent)
    : QObject(parent), m_socket(socket), m_limits(limits), m_handler(std::move(handler))
{
    socket->setParent(this);
    m_idle.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        if (!m_busy)
            m_socket->disconnectFromHost();
    });
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::readRequests);
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::finish);
    connect(socket, &QTcpSocket::bytesWritten, this, [this] {
        if (!m_busy && m_socket->bytesToWrite() <= MaxUnsentBytes && m_socket->bytesAvailable() > 0)
            readRequests();
    });
    m_idle.start(m_limits.idleTimeoutMs);
    // The front door peeked at the first request: its bytes are buffered and no
    // readyRead announces them again.
    scheduleRead();
    if (socket->state() != QAbstractSocket::ConnectedState)
        QMetaObject::invokeMethod(this, &HttpConnection::finish, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection() = default;

QString HttpConnection::peer() const
{
    return m_socket->peerAddress().toString() + QLatin1Char(':')
        + QString::number(m_socket->peerPort());
}

QByteArray HttpConnection::peerAddress() const
{
    return m_socket->peerAddress().toString().toLatin1();
}

QByteArray HttpConnection::reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 421:
        return "Misdirected Request";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    default:
        return "Unknown";
    }
}

void HttpConnection::readRequests()
{
    if (m_lingering) {
        m_socket->readAll(); // a refused request's body: read and dropped
        return;
    }
    if (m_busy || m_gone || m_readScheduled || m_refused)
        return;
    // A client that sends requests and does not read the answers (pipelining
    // into a full window) gets no more answers queued: what waits for it stays
    // where its owner counts it (an Engine.IO session's outbox).
    if (m_socket->bytesToWrite() > MaxUnsentBytes)
        return;
    const QByteArray head = m_socket->peek(m_limits.maxHeadBytes + 4);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (head.size() > m_limits.maxHeadBytes)
            refuse(431, "request head too large");
        return;
    }
    std::optional<RequestHead> parsed = RequestHead::parse(head.left(end));
    if (!parsed) {
        refuse(400, "malformed request head");
        return;
    }
    if (!parsed->header("transfer-encoding").isEmpty()) {
        refuse(411, "chunked bodies are not supported: send Content-Length");
        return;
    }
    qint64 length = 0;
    if (const QByteArray value = parsed->header("content-length"); !value.isEmpty()) {
        const std::optional<qint64> n = contentLength(value, m_limits.maxBodyBytes);
        if (!n) {
            refuse(400, "bad Content-Length");
            return;
        }
        if (*n < 0) {
            refuse(413, "body over the limit");
            return;
        }
        length = *n;
    }
    const qint64 total = end + 4 + length;
    if (m_socket->bytesAvailable() < total)
        return; // the rest of the body is on its way
    const QByteArray bytes = m_socket->read(total);
    HttpRequest request;
    request.head = std::move(*parsed);
    const QByteArray target = request.head.target();
    const qsizetype question = target.indexOf('?');
    request.path = question < 0 ? target : target.left(question);
    request.query = question < 0 ? QByteArray() : target.mid(question + 1);
    request.body = bytes.mid(end + 4);
    const QByteArray connection = request.head.header("connection").toLower();
    const bool http10 = head.left(head.indexOf("\r\n")).endsWith("HTTP/1.0");
    m_closeAfter = connection.contains("close") || (http10 && !connection.contains("keep-alive"));
    m_busy = true;
    m_idle.stop();
    m_handler(this, request);
}

void HttpConnection::respond(const HttpResponse &response)
{
    if (!m_busy || m_gone)
        return;
    m_busy = false;
    QByteArray out;
    out.reserve(256 + response.body.size());
    out += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status)
        + "\r\n";
    if (!response.contentType.isEmpty() && response.status != 304 && response.status != 204)
        out += "Content-Type: " + response.contentType + "\r\n";
    for (const auto &[name, value] : response.headers)
        out += name + ": " + value + "\r\n";
    if (response.status != 304 && response.status != 204)
        out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    out += m_closeAfter ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n";
    if (!response.headOnly && response.status != 304 && response.status != 204)
        out += response.body;
    m_socket->write(out);
    if (m_closeAfter) {
        m_refused = true;
        if (m_lingering)
            m_socket->readAll(); // and so on until the client closes (refuse())
        else
            m_socket->disconnectFromHost();
        return;
    }
    m_idle.start(m_limits.idleTimeoutMs);
    if (m_socket->bytesAvailable() > 0)
        scheduleRead(); // a request that came while this one was answered
}

void HttpConnection::scheduleRead()
{
    if (m_readScheduled)
        return;
    m_readScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_readScheduled = false;
            readRequests();
        },
        Qt::QueuedConnection);
}

void HttpConnection::refuse(int status, const QByteArray &why)
{
    qCInfo(lcHttp).noquote() << "refusing an HTTP request from" << peer() << ":" << why;
    m_busy = true;
    m_closeAfter = true;
    m_refused = true; // nothing after this is read: the connection ends
    // ... but it is not closed under a client still sending (a body over the
    // limit): closing with its bytes unread resets the connection, and the
    // client gets EPIPE instead of the answer. What it sends is dropped until
    // it closes, which the answer's Connection: close asks it to do.
    m_lingering = true;
    HttpResponse response;
    response.status = status;
    response.body = reasonPhrase(status) + '\n';
    respond(response);
    // A peer that does not read its answer is not waited for.
    QTimer::singleShot(1000, this, [this] { m_socket->abort(); });
}

void HttpConnection::finish()
{
    if (m_gone)
        return;
    m_gone = true;
    m_idle.stop();
    emit gone();
    deleteLater();
}

} // namespace Chat
