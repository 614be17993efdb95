// One HTTP/1.1 connection after the front door: reads requests one at a time
// (head through RequestHead, a body by Content-Length), hands each to a
// handler, and writes its answer, now or later. "Later" is what Qt HttpServer
// 6.4 cannot do and Engine.IO long-polling needs: a GET held open until there
// is something to send. Keep-alive, Connection: close, HEAD and an idle
// timeout as browsers expect; no pipelining (the next request is read once
// the previous one is answered), no chunked bodies (411).
#pragma once

#include "requesthead.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>
#include <utility>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace Chat {

using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

struct HttpRequest
{
    RequestHead head;
    QByteArray path; // the target before "?", as sent
    QByteArray query; // after "?", undecoded
    QByteArray body;

    QByteArray method() const { return head.method(); }
    bool isHead() const { return head.method() == "HEAD"; }
};

struct HttpResponse
{
    int status = 200;
    QByteArray contentType = "text/plain; charset=utf-8";
    HttpHeaders headers;
    QByteArray body;
    // A HEAD answer: the length of `body`, not the body.
    bool headOnly = false;
};

class HttpConnection final : public QObject
{
    Q_OBJECT
public:
    struct Limits
    {
        qint64 maxHeadBytes = 8192;
        qint64 maxBodyBytes = 1000000;
        int idleTimeoutMs = 15000;
    };
    using Handler = std::function<void(HttpConnection *, const HttpRequest &)>;

    // Takes the socket (its request head may already be buffered).
    HttpConnection(QTcpSocket *socket, const Limits &limits, Handler handler,
                   QObject *parent = nullptr);
    ~HttpConnection() override;
    Q_DISABLE_COPY_MOVE(HttpConnection)

    // Answers the request being handled. Once per request; ignored when gone.
    void respond(const HttpResponse &response);
    bool isAnswering() const { return m_busy; }
    QString peer() const;
    QByteArray peerAddress() const;

    static QByteArray reasonPhrase(int status);

signals:
    // The connection closed; a request not answered yet never will be.
    void gone();

private:
    void readRequests();
    // readRequests() on the next pass of the event loop (once).
    void scheduleRead();
    void refuse(int status, const QByteArray &why);
    void finish();

    QTcpSocket *m_socket;
    Limits m_limits;
    Handler m_handler;
    QTimer m_idle;
    bool m_busy = false;
    bool m_closeAfter = false;
    bool m_gone = false;
    bool m_readScheduled = false;
    bool m_refused = false; // answered with Connection: close: read no more
    bool m_lingering = false; // refused: what the client still sends is dropped
};

} // namespace Chat
