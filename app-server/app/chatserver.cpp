// Chat server wiring, heartbeats and shutdown.
#include "chatserver.h"

#include "conformance.h"
#include "engineioserver.h"
#include "frontdoor.h"
#include "handover.h"
#include "httpservice.h"
#include "identityregistry.h"
#include "inprocessbus.h"
#include "messagestore.h"
#include "outputflusher.h"
#include "postqueue.h"
#include "retention.h"
#include "roomregistry.h"
#include "secret.h"
#include "serverlogging.h"
#include "socketiochannel.h"
#include "socketiocodec.h"
#include "socketioconnection.h"
#include "v1codec.h"
#include "websocketchannel.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QTcpSocket>

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <QWebSocket>
#include <QWebSocketServer>

namespace Chat {

// The chat in Socket.IO's main namespace: a CONNECT is a Session on a
// SocketIoChannel, refused (CONNECT_ERROR) without the server's password.
class ChatServer::ChatNamespace final : public SocketIoNamespace
{
public:
    explicit ChatNamespace(ChatServer *server) : m_server(server) { }

    Admission admit(const QJsonObject &auth) override
    {
        Admission admission;
        const QString &token = m_server->m_config.access.token;
        if (!token.isEmpty() && !sameSecret(auth.value(QLatin1String("token")).toString(), token)) {
            qCInfo(lcSession) << "Socket.IO connect refused: wrong or missing password";
            admission.refusal = QJsonObject {
                {QStringLiteral("message"),
                 QStringLiteral("This server needs the right password.")},
                {QStringLiteral("data"),
                 QJsonObject {{QStringLiteral("code"), QStringLiteral("unauthorized")}}}};
            return admission;
        }
        // Connection state recovery: a pid and an offset from before a drop.
        m_pending = {};
        m_pending.store = m_server->m_context.store;
        m_pending.windowMs = RecoveryWindowMs;
        const QString pid = auth.value(QLatin1String("pid")).toString();
        const auto offset
            = SocketIoChannel::parseOffset(auth.value(QLatin1String("offset")).toString());
        if (!pid.isEmpty() && pid.size() <= 64 && offset) {
            if (auto restored
                = m_pending.store->takeRecovery(pid, QDateTime::currentMSecsSinceEpoch())) {
                qCInfo(lcSession).noquote() << "Socket.IO: recovering" << restored->username << "in"
                                            << offset->size() << "rooms";
                admission.sid = restored->sid;
                m_pending.pid = pid;
                m_pending.restored = std::move(restored);
                m_pending.offset = *offset;
            }
        }
        if (m_pending.pid.isEmpty()) {
            QByteArray bytes(16, Qt::Uninitialized);
            QRandomGenerator::system()->generate(bytes.begin(), bytes.end());
            m_pending.pid = QString::fromLatin1(bytes.toHex());
        }
        admission.extra.insert(QStringLiteral("pid"), m_pending.pid);
        return admission;
    }

    void connected(SocketIoSocket *socket, const QJsonObject &auth) override
    {
        // A client that gives its name gets the v1 events; a page that does not
        // (the documents') also gets the events the documents' pages listen to.
        const bool native = auth.value(QLatin1String("username")).isString()
            || (m_pending.restored && !m_pending.restored->guest);
        auto channel = std::make_unique<SocketIoChannel>(
            socket, native ? SocketIoCodec::native() : SocketIoCodec::documents(),
            std::exchange(m_pending, {}));
        SocketIoChannel *raw = channel.get();
        if (m_server->m_shuttingDown) {
            socket->closeTransport(QStringLiteral("server shutting down"));
            return;
        }
        m_server->startSession(std::move(channel));
        raw->start(auth);
    }

private:
    // How long after a drop a Socket.IO client may recover, as the reference
    // server's maxDisconnectionDuration; kept in the store, so a restart within
    // it loses nothing.
    static constexpr qint64 RecoveryWindowMs = 120000;

    ChatServer *m_server;
    SocketIoRecovery m_pending; // from admit() to connected()
};

ChatServer::ChatServer(const ServerConfig &config, MessageStore *store, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_rooms(new RoomRegistry(this))
    , m_identities(new IdentityRegistry(m_rooms, config.resumeGraceMs, this))
    , m_bus(new InProcessBus(this))
    , m_posts(new PostQueue(store, m_bus, this))
    , m_retention(new Retention(store, config.retention, this))
    , m_flusher(new OutputFlusher(this))
    , m_frontDoor(new FrontDoor(this))
    , m_webSockets(new QWebSocketServer(config.serverName, QWebSocketServer::NonSecureMode, this))
    , m_http(new HttpService([this] { return health(); }, config.webRoot, this))
    , m_handover(new Handover(m_webSockets, config.limits.maxMessageBytes, this))
{
    m_context.limits = config.limits;
    m_context.flood = config.flood;
    m_context.access = config.access;
    m_context.serverName = config.serverName;
    m_context.store = store;
    m_context.rooms = m_rooms;
    m_context.identities = m_identities;
    m_context.posts = m_posts;
    m_context.flusher = m_flusher;
    m_context.sessionFinished = [this](Session *session) { onSessionFinished(session); };

    FrontDoor::Limits door = config.door;
    door.maxHeadBytes = config.maxHeadBytes;
    door.headTimeoutMs = config.handshakeTimeoutMs;
    m_frontDoor->setLimits(door);
    m_hosts = HostPolicy(HostPolicy::localNames(), config.allowedHosts, config.allowedOrigins);
    m_frontDoor->setHostPolicy(m_hosts);
    m_http->setHostPolicy(m_hosts);
    HttpConnection::Limits http;
    http.maxHeadBytes = config.maxHeadBytes;
    m_http->setLimits(http);
    m_http->setPagesRoot(config.pagesRoot);
    setUpSocketIo();
    m_webSockets->setHandshakeTimeout(config.handshakeTimeoutMs);
    m_webSockets->setMaxPendingConnections(config.maxPendingConnections);
    connect(m_frontDoor, &FrontDoor::upgradeRequested, this, &ChatServer::onUpgrade);
    connect(m_frontDoor, &FrontDoor::httpRequested, m_http, &HttpService::handle);
    connect(m_webSockets, &QWebSocketServer::newConnection, this, &ChatServer::onNewWebSocket);
    connect(m_bus, &Bus::delivered, m_rooms, &RoomRegistry::deliver);

    m_memoryCheck.setInterval(5000);
    connect(&m_memoryCheck, &QTimer::timeout, this, &ChatServer::releaseMemoryIfQuiet);
    m_heartbeat.setInterval(config.pingIntervalMs);
    connect(&m_heartbeat, &QTimer::timeout, this, &ChatServer::onHeartbeat);
    m_uptime.start();
}

ChatServer::~ChatServer()
{
    // Sessions go first: leaving their rooms needs the registry and the directory.
    m_context.sessionFinished = nullptr;
    qDeleteAll(m_sessions);
    // Engine.IO sessions hold Links on the hand-over's poller: they go before it.
    delete m_socketIo;
    delete m_engineEcho;
}

void ChatServer::setUpSocketIo()
{
    EngineIoOptions options;
    options.pingIntervalMs = m_config.socketIoPingIntervalMs;
    options.pingTimeoutMs = m_config.socketIoPingTimeoutMs;
    // A polling session holds a connection only while it polls: twice as many
    // sessions as connections may exist, and one address may hold as many as it
    // may hold connections.
    options.maxSessions
        = m_config.door.maxConnections > 0 ? 2 * m_config.door.maxConnections : 1000000;
    options.maxSessionsPerAddress
        = m_config.door.maxPerAddress > 0 ? m_config.door.maxPerAddress : options.maxSessions;
    int connectTimeoutMs = 45000;
    if (m_config.socketIoConformance) {
        // What the official test suites' server uses.
        options.pingIntervalMs = 300;
        options.pingTimeoutMs = 200;
        connectTimeoutMs = 1000;
        for (const QString &nsp : {QStringLiteral("/"), QStringLiteral("/custom")}) {
            m_namespaceHandlers.push_back(std::make_unique<Conformance::EchoNamespace>());
            m_namespaces.insert(nsp, m_namespaceHandlers.back().get());
        }
        m_engineEcho = new EngineIoServer(
            options,
            [](EngineIoSession *session) { session->setRider(Conformance::engineEcho(session)); },
            this);
        m_http->addRoute("/engine.io/", [this](HttpConnection *c, const HttpRequest &r) {
            m_engineEcho->handleHttp(c, r);
        });
    } else {
        m_namespaceHandlers.push_back(std::make_unique<ChatNamespace>(this));
        m_namespaces.insert(QStringLiteral("/"), m_namespaceHandlers.back().get());
    }
    m_socketIo = new EngineIoServer(
        options,
        [this, connectTimeoutMs](EngineIoSession *session) {
            session->setRider(
                std::make_unique<SocketIoConnection>(session, &m_namespaces, connectTimeoutMs));
        },
        this);
    for (EngineIoServer *server : {m_socketIo, m_engineEcho}) {
        if (server)
            server->setOriginCheck([this](const RequestHead &head) {
                return m_hosts.allowsOrigin(head, m_frontDoor->isTls());
            });
    }
    m_http->addRoute("/socket.io/", [this](HttpConnection *c, const HttpRequest &r) {
        if (m_shuttingDown) {
            HttpResponse response;
            response.status = 503;
            response.body = "Service Unavailable\n";
            c->respond(response);
            return;
        }
        m_socketIo->handleHttp(c, r);
    });
}

Session *ChatServer::startSession(std::unique_ptr<Channel> channel)
{
    auto *session = new Session(std::move(channel), m_context, this);
    m_sessions.insert(session);
    return session;
}

void ChatServer::setTls(const QSslConfiguration &configuration)
{
    m_frontDoor->setTls(configuration);
}

bool ChatServer::listen(QString *error)
{
    if (!m_frontDoor->listen(m_config.host, m_config.port)) {
        if (error)
            *error = m_frontDoor->errorString();
        return false;
    }
    m_heartbeat.start();
    m_memoryCheck.start();
    m_retention->start();
    return true;
}

QHostAddress ChatServer::serverAddress() const
{
    return m_frontDoor->serverAddress();
}

quint16 ChatServer::serverPort() const
{
    return m_frontDoor->serverPort();
}

int ChatServer::roomCount() const
{
    return m_rooms->count();
}

QJsonObject ChatServer::health() const
{
    return {{QStringLiteral("status"),
             m_shuttingDown ? QStringLiteral("stopping") : QStringLiteral("ok")},
            {QStringLiteral("connections"), connectionCount()},
            {QStringLiteral("rooms"), roomCount()},
            {QStringLiteral("uptime"), double(m_uptime.elapsed()) / 1000.0},
            {QStringLiteral("server"), m_config.serverName},
            {QStringLiteral("parked"), m_identities->parkedCount()},
            {QStringLiteral("sockets"), m_frontDoor->connectionCount()},
            {QStringLiteral("directLinks"), m_handover->directLinkCount()},
            {QStringLiteral("upgrading"), m_handover->upgradingCount()},
            {QStringLiteral("tls"), m_frontDoor->isTls()},
            {QStringLiteral("engineIoSessions"), m_socketIo->sessionCount()},
            {QStringLiteral("httpConnections"), m_http->connectionCount()},
            {QStringLiteral("messagesStored"), double(m_posts->committedCount())},
            {QStringLiteral("commits"), double(m_posts->transactionCount())}};
}

void ChatServer::onUpgrade(QTcpSocket *socket)
{
    if (m_shuttingDown) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    m_handover->upgrade(socket);
}

void ChatServer::onNewWebSocket()
{
    while (QWebSocket *socket = m_webSockets->nextPendingConnection()) {
        // The connection goes from Qt's QWebSocket to chat-server's own framing
        // (handover.h); the QWebSocket is deleted without a word on the wire.
        Handover::Taken taken = m_handover->take(socket);
        if (!taken.link)
            continue;
        if (m_shuttingDown) {
            taken.link->close(Session::GoingAwayCloseCode, QStringLiteral("server shutting down"));
            taken.link->abort();
            continue;
        }
        const QString peer = taken.link->peer();
        EngineIoServer *engine = taken.path == QLatin1String("/socket.io/") ? m_socketIo
            : taken.path == QLatin1String("/engine.io/")                    ? m_engineEcho
                                                                            : nullptr;
        if (engine) {
            // The socket may go before the connection's owner: the count goes with it.
            if (QObject *owner = engine->handleWebSocket(std::move(taken.link), taken.query, peer))
                FrontDoor::transferTicket(taken.wire, owner);
            continue;
        }
        auto channel
            = std::make_unique<WebSocketChannel>(std::move(taken.link), V1Codec::instance());
        Session *session = startSession(std::move(channel));
        FrontDoor::transferTicket(taken.wire, session); // the socket may go before the session
    }
}

void ChatServer::onSessionFinished(Session *session)
{
    m_sessions.remove(session);
    session->deleteLater();
    if (m_shuttingDown && m_sessions.isEmpty())
        finishShutdown();
}

void ChatServer::onHeartbeat()
{
    // A copy: close() can finish a session, and so remove it from the set, at once
    // (a finished session is deleted later, so its pointer stays valid here).
    const QList<Session *> sessions = m_sessions.values();
    for (Session *session : sessions) {
        if (session->silentForMs() > m_config.idleTimeoutMs) {
            qCInfo(lcSession).noquote() << "drop silent peer" << session->peer();
            session->close(Session::SilenceCloseCode, QStringLiteral("no response to pings"));
        } else {
            session->ping();
        }
    }
}

void ChatServer::releaseMemoryIfQuiet()
{
    const int now = int(m_sessions.size()) + m_socketIo->sessionCount() + m_http->connectionCount();
    m_peakSinceTrim = std::max(m_peakSinceTrim, now);
    if (m_peakSinceTrim < 1000 || now > m_peakSinceTrim / 2)
        return;
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    qCInfo(lcServer) << "connections down from" << m_peakSinceTrim << "to" << now
                     << ": free memory returned to the system";
    m_peakSinceTrim = now;
}

void ChatServer::shutdown(int graceMs)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    qCInfo(lcServer) << "shutting down:" << connectionCount() << "connections";
    m_frontDoor->close();
    m_heartbeat.stop();
    const QList<Session *> sessions = m_sessions.values();
    for (Session *session : sessions)
        session->close(Session::GoingAwayCloseCode, QStringLiteral("server shutting down"));
    // Engine.IO sessions with no chat on them yet (no CONNECT) end too.
    m_socketIo->closeAll(QStringLiteral("server shutting down"));
    if (m_engineEcho)
        m_engineEcho->closeAll(QStringLiteral("server shutting down"));
    if (m_sessions.isEmpty())
        QMetaObject::invokeMethod(this, &ChatServer::finishShutdown, Qt::QueuedConnection);
    else
        QTimer::singleShot(graceMs, this, &ChatServer::finishShutdown);
}

void ChatServer::finishShutdown()
{
    if (m_shutdownDone)
        return;
    m_shutdownDone = true;
    m_posts->flush();
    if (m_context.store && !m_context.store->flush())
        qCWarning(lcStore) << "flush on shutdown failed";
    qCInfo(lcServer) << "stopped";
    emit shutdownFinished();
}

} // namespace Chat
