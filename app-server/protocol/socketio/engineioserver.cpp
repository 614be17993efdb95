// Engine.IO v4: handshakes, the sid directory, routing to sessions.
#include "engineioserver.h"

#include "engineiorequest.h"
#include "httpconnection.h"
#include "linkcloser.h"
#include "serverlogging.h"
#include "wireframe.h"

#include <QRandomGenerator>

#include <algorithm>

namespace Chat {

namespace {
// 15 random bytes as base64url: 20 characters, as many as the reference server's ids.
QString newSid()
{
    QByteArray bytes(15, Qt::Uninitialized);
    QRandomGenerator::system()->generate(bytes.begin(), bytes.end());
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

HttpResponse errorResponse(const EngineIo::RequestError &error, const HttpHeaders &headers)
{
    HttpResponse response;
    response.status = error.httpStatus();
    response.contentType = "application/json";
    response.headers = headers;
    response.body = error.body();
    return response;
}
} // namespace

EngineIoServer::EngineIoServer(const EngineIoOptions &options, SessionStarted started,
                               QObject *parent)
    : QObject(parent), m_options(options), m_started(std::move(started))
{ }

EngineIoServer::~EngineIoServer()
{
    for (EngineIoSession *session : std::as_const(m_sessions))
        disconnect(session, nullptr, this, nullptr);
    qDeleteAll(m_sessions);
}

EngineIoSession *EngineIoServer::open(EngineIoSession::Transport transport, const QString &peer)
{
    QString sid = newSid();
    while (m_sessions.contains(sid))
        sid = newSid();
    auto *session = new EngineIoSession(sid, m_options, transport, peer, this, this);
    m_sessions.insert(sid, session);
    ++m_perAddress[session->address()];
    connect(session, &EngineIoSession::finished, this, &EngineIoServer::onFinished);
    return session;
}

void EngineIoServer::scheduleFlush(EngineIoSession *session)
{
    m_toFlush.append(session);
    if (!m_flushPosted) {
        m_flushPosted = true;
        QMetaObject::invokeMethod(this, &EngineIoServer::flushAll, Qt::QueuedConnection);
    }
}

void EngineIoServer::flushAll()
{
    m_flushPosted = false;
    const QList<QPointer<EngineIoSession>> sessions = std::exchange(m_toFlush, {});
    for (const QPointer<EngineIoSession> &session : sessions) {
        if (session)
            session->flush();
    }
}

bool EngineIoServer::admits(const QString &peer) const
{
    const QString address = peer.left(peer.lastIndexOf(QLatin1Char(':')));
    if (m_sessions.size() >= m_options.maxSessions) {
        qCWarning(lcServer) << "refusing an Engine.IO session: limit" << m_options.maxSessions;
        return false;
    }
    if (m_perAddress.value(address) >= m_options.maxSessionsPerAddress) {
        qCInfo(lcServer).noquote() << "refusing an Engine.IO session from" << address
                                   << ": more than" << m_options.maxSessionsPerAddress;
        return false;
    }
    return true;
}

void EngineIoServer::onFinished(EngineIoSession *session)
{
    if (m_sessions.remove(session->sid())) {
        if (--m_perAddress[session->address()] <= 0)
            m_perAddress.remove(session->address());
    }
    session->deleteLater();
}

int EngineIoServer::webSocketSessionCount() const
{
    return int(std::count_if(m_sessions.cbegin(), m_sessions.cend(), [](const EngineIoSession *s) {
        return s->transport() == EngineIoSession::Transport::WebSocket;
    }));
}

void EngineIoServer::closeAll(const QString &reason)
{
    const QList<EngineIoSession *> sessions = m_sessions.values();
    for (EngineIoSession *session : sessions)
        session->close(reason);
}

void EngineIoServer::handleHttp(HttpConnection *connection, const HttpRequest &request)
{
    // CORS: a page of another origin (a file:// page has "null") may poll only
    // if the admin allows that origin (--allow-origin); its requests are refused,
    // not merely left unreadable, so that a foreign page cannot post as a guest.
    HttpHeaders headers {{"X-Content-Type-Options", "nosniff"}, {"Cache-Control", "no-store"}};
    const QByteArray origin = request.head.header("origin");
    if (!origin.isEmpty()) {
        if (m_originAllowed && !m_originAllowed(request.head)) {
            qCInfo(lcHttp).noquote()
                << "refusing Engine.IO from origin" << origin << "at" << connection->peer();
            connection->respond(errorResponse({EngineIo::RequestError::Forbidden}, headers));
            return;
        }
        headers.emplaceBack("Access-Control-Allow-Origin", origin);
        headers.emplaceBack("Access-Control-Allow-Credentials", "true");
        headers.emplaceBack("Vary", "Origin");
    }
    if (request.method() == "OPTIONS") {
        HttpResponse preflight;
        preflight.status = 204;
        preflight.headers = headers;
        preflight.headers.emplaceBack("Access-Control-Allow-Methods", "GET, POST");
        preflight.headers.emplaceBack("Access-Control-Allow-Headers", "Content-Type");
        preflight.headers.emplaceBack("Access-Control-Max-Age", "600");
        connection->respond(preflight);
        return;
    }
    const EngineIo::RequestKind kind
        = EngineIo::classifyRequest(request.method(), request.query, false);
    if (const auto *error = std::get_if<EngineIo::RequestError>(&kind)) {
        connection->respond(errorResponse(*error, headers));
        return;
    }
    if (std::holds_alternative<EngineIo::Handshake>(kind)) {
        if (!admits(connection->peer())) {
            HttpResponse busy;
            busy.status = 429;
            busy.headers = headers;
            busy.body = "Too Many Requests\n";
            connection->respond(busy);
            return;
        }
        EngineIoSession *session = open(EngineIoSession::Transport::Polling, connection->peer());
        HttpResponse response;
        response.contentType = "text/plain; charset=UTF-8";
        response.headers = headers;
        response.body = session->openPacket();
        connection->respond(response);
        if (m_started)
            m_started(session);
        return;
    }
    const auto &ask = std::get<EngineIo::SessionRequest>(kind);
    EngineIoSession *session = m_sessions.value(ask.sid);
    if (!session || session->expireIfOverdue()) {
        connection->respond(errorResponse({EngineIo::RequestError::SessionIdUnknown}, headers));
        return;
    }
    if (session->transport() != EngineIoSession::Transport::Polling) {
        // Upgraded: polling on this sid is over.
        connection->respond(errorResponse({EngineIo::RequestError::BadRequest}, headers));
        return;
    }
    session->handlePoll(connection, request, headers);
}

void EngineIoServer::handleWebSocket(std::unique_ptr<Link> link, const QString &query,
                                     const QString &peer)
{
    const QByteArray q = query.toUtf8();
    const EngineIo::RequestKind kind = EngineIo::classifyRequest("GET", q, true);
    if (std::holds_alternative<EngineIo::RequestError>(kind)) {
        closeAndForget(std::move(link), 1002, QStringLiteral("bad Engine.IO request"), this);
        return;
    }
    if (std::holds_alternative<EngineIo::Handshake>(kind)) {
        if (!admits(peer)) {
            closeAndForget(std::move(link), 1013, QStringLiteral("try again later"), this);
            return;
        }
        EngineIoSession *session = open(EngineIoSession::Transport::WebSocket, peer);
        session->startOnWebSocket(std::move(link));
        if (m_started)
            m_started(session);
        return;
    }
    const auto &ask = std::get<EngineIo::SessionRequest>(kind);
    EngineIoSession *session = m_sessions.value(ask.sid);
    if (!session || session->expireIfOverdue() || !session->canUpgrade()) {
        closeAndForget(std::move(link), 1008, QStringLiteral("no session to upgrade"), this);
        return;
    }
    session->offerUpgrade(std::move(link));
}

} // namespace Chat
