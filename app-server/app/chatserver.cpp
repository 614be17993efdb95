// Chat server wiring, heartbeats and shutdown.
#include "chatserver.h"

#include "accounthttp.h"
#include "accountservice.h"
#include "jwtverifier.h"

#include "clusterpresence.h"
#include "conformance.h"
#include "engineioserver.h"
#include "frontdoor.h"
#include "handover.h"
#include "httpservice.h"
#include "identity.h"
#include "identityregistry.h"
#include "inprocessbus.h"
#include "messagestore.h"
#include "outputflusher.h"
#include "postqueue.h"
#include "redisbus.h"
#include "retention.h"
#include "room.h"
#include "roomregistry.h"
#include "secret.h"
#include "serverlogging.h"
#include "session.h"
#include "socketiochannel.h"
#include "socketiocodec.h"
#include "socketioconnection.h"
#include "storefollower.h"
#include "storeworker.h"
#include "v1codec.h"
#include "websocketchannel.h"

#include <QDateTime>
#include <QFile>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>

#include <algorithm>

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
        m_pending.writer = m_server->m_writer;
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
    , m_bus(config.busUrl.isEmpty()
                ? static_cast<Bus *>(new InProcessBus(this))
                : new RedisBus(config.busUrl.host(), quint16(config.busUrl.port(6379)),
                               config.nodeId, this))
    , m_writer(new StoreWorker(this))
    , m_posts(new PostQueue(m_writer, m_bus, this))
    , m_retention(new Retention(store, m_writer, config.retention, this))
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
    m_context.writer = m_writer;
    m_context.flusher = m_flusher;
    m_rooms->setOutputFlusher(m_flusher);
    m_posts->setOutputFlusher(m_flusher);
    m_context.sessionFinished = [this](Session *session) { onSessionFinished(session); };
    m_context.counters = &m_counters;
    if (store) {
        // Everything stored before this start has been delivered by definition;
        // from here on a room's watermark follows what the bus delivers.
        const QHash<QString, qint64> last = store->lastIds();
        for (auto it = last.cbegin(); it != last.cend(); ++it)
            m_rooms->setDelivered(it.key(), it.value());
        const auto mode
            = store->commitWaits() ? StoreWorker::Mode::Thread : StoreWorker::Mode::Inline;
        if (!m_writer->start(store->sibling(), &m_storeError, mode))
            qCWarning(lcStore).noquote() << "cannot open the store's writer:" << m_storeError;
        if (store->isShared()) {
            m_follower = new StoreFollower(store, m_writer, m_rooms, this);
            // Join and history pages of a database across the network are read
            // on a thread and a connection of their own, never on the event loop.
            m_reader = new StoreWorker(this);
            QString readerError;
            if (m_reader->start(store->sibling(), &readerError, StoreWorker::Mode::Thread))
                m_context.reader = m_reader;
            else
                qCWarning(lcStore).noquote()
                    << "cannot open the store's reader, reading on the event loop:" << readerError;
        }
    }
    if (!config.authOpen()) {
        AccountService::Options options;
        options.passwords = config.authAccounts;
        options.registration = AccountService::registrationFromName(config.registration)
                                   .value_or(AccountService::Registration::Admin);
        options.guests = config.guests;
        options.tokenLifetimeMs = qint64(config.tokenLifetimeDays) * 24 * 3600 * 1000;
        options.sharedStore = store && store->isShared();
        m_accounts = new AccountService(options, this);
        // Set even if it cannot start: then every sign-in is refused
        // (server-busy), never waved through as on an open server.
        m_context.accounts = m_accounts;
        QString accountsError;
        if (config.authJwt) {
            JwtVerifier::Options jwt;
            QFile secret(config.jwtSecretFile);
            QFile key(config.jwtPublicKeyFile);
            if (!config.jwtSecretFile.isEmpty() && secret.open(QIODevice::ReadOnly))
                jwt.secret = secret.readAll();
            if (!config.jwtPublicKeyFile.isEmpty() && key.open(QIODevice::ReadOnly))
                jwt.publicKeyPem = key.readAll();
            jwt.issuer = config.jwtIssuer;
            jwt.audience = config.jwtAudience;
            jwt.nameClaim = config.jwtNameClaim;
            if (auto verifier = JwtVerifier::create(jwt, &accountsError)) {
                qCInfo(lcServer).noquote() << "JWT sign-in:" << verifier->algorithm();
                m_accounts->setJwtVerifier(std::move(verifier));
            } else {
                qCCritical(lcServer).noquote() << "JWT sign-in cannot start:" << accountsError;
            }
        }
        // A password, a role, a disabled account or a revoke from a shell
        // (`chat-server user`) or from another server of a cluster.
        connect(m_accounts, &AccountService::accountChanged, this,
                [this](const AccountChange &change) {
                    Identity *identity = m_identities->find(change.key);
                    if (!identity)
                        return;
                    const QList<Session *> sessions = identity->sessions();
                    for (Session *session : sessions)
                        session->applyAccountChange(change);
                });
        // A cluster: rooms and moderation, and the notices for users and rooms
        // whose connections are on other servers, travel on the bus.
        m_context.bus = m_bus;
        connect(m_accounts, &AccountService::directoryChanged, m_bus,
                [this](const QJsonObject &change) {
                    m_bus->publishAccounts({{QStringLiteral("kind"), QStringLiteral("directory")},
                                            {QStringLiteral("change"), change}});
                });
        connect(m_bus, &Bus::accountsHeard, this, [this](const QJsonObject &notice) {
            if (notice.value(QLatin1String("kind")).toString() == QLatin1String("directory")) {
                if (!m_accounts->applyDirectoryChange(
                        notice.value(QLatin1String("change")).toObject()))
                    qCWarning(lcServer) << "a directory change from the bus did not parse";
                return;
            }
            Session::applyClusterNotice(m_context, notice);
        });
        if (!store || !m_accounts->start(store->sibling(), &accountsError))
            qCCritical(lcServer).noquote()
                << "accounts cannot start, nobody can sign in:" << accountsError;
        else
            qCInfo(lcServer).noquote() << "accounts: registration" << config.registration
                                       << "guests" << (config.guests ? "on" : "off");
    }
    if (qobject_cast<RedisBus *>(m_bus)) {
        // Member lists and counts across servers; a server silent for the
        // resume grace period is gone, and its users with it.
        m_presence = new ClusterPresence(m_bus, m_rooms, config.nodeId, config.resumeGraceMs, this);
        // Names are held on the bus for as long as a server's users stay after
        // it goes silent, and a little longer (more than a heartbeat), so that
        // a name is free again only once every server has seen its holder leave.
        // A client dropped on one server resumes on another meanwhile.
        static_cast<RedisBus *>(m_bus)->setNameLifetime(qMax(config.resumeGraceMs, 6000) + 3000);
        m_identities->share(m_bus, m_presence);
    }

    applyDoorSettings();
    HttpConnection::Limits http;
    http.maxHeadBytes = config.maxHeadBytes;
    m_http->setLimits(http);
    m_http->setPagesRoot(config.pagesRoot);
    setUpSocketIo();
    auto metricsRoute = [this](HttpConnection *c, const HttpRequest &r) { serveMetrics(c, r); };
    if (config.metricsOwnAddress) {
        m_metricsListener = new QTcpServer(this);
        m_metricsHttp = new HttpService([this] { return health(); }, {}, this);
        m_metricsHttp->setServesFiles(false);
        m_metricsHttp->setHostPolicy(m_hosts);
        m_metricsHttp->setLimits(http);
        m_metricsHttp->addRoute("/metrics", metricsRoute);
        connect(m_metricsListener, &QTcpServer::newConnection, this,
                &ChatServer::onMetricsConnection);
    } else {
        m_http->addRoute("/metrics", metricsRoute);
    }
    m_webSockets->setHandshakeTimeout(config.handshakeTimeoutMs);
    m_webSockets->setMaxPendingConnections(config.maxPendingConnections);
    connect(m_frontDoor, &FrontDoor::upgradeRequested, this, &ChatServer::onUpgrade);
    connect(m_frontDoor, &FrontDoor::httpRequested, m_http, &HttpService::handle);
    connect(m_webSockets, &QWebSocketServer::newConnection, this, &ChatServer::onNewWebSocket);
    connect(m_bus, &Bus::delivered, m_rooms, &RoomRegistry::deliver);
    // Typing goes to the other servers over the bus, and theirs is shown here.
    connect(m_rooms, &RoomRegistry::roomCreated, this, [this](Room *room) {
        connect(room, &Room::typingChanged, m_bus,
                [bus = m_bus, name = room->name()](const QString &username, bool active) {
                    bus->publishTyping(name, username, active);
                });
    });
    connect(m_bus, &Bus::typingHeard, this,
            [this](const QString &room, const QString &username, bool active) {
                if (Room *open = m_rooms->find(room))
                    open->showTyping(username, active);
            });

    // The store's state for /healthz: every transaction tells it, and so does a
    // probe on the writer's connection when nothing is posted.
    connect(m_posts, &PostQueue::storeAnswered, this, [this](bool ok) { setStoreUp(ok); });
    m_storeProbe.setInterval(StoreProbeMs);
    connect(&m_storeProbe, &QTimer::timeout, this, [this] {
        if (m_probing || !m_writer->isRunning())
            return;
        m_probing = true;
        m_writer->run([](MessageStore &writing) { return writing.ping(); },
                      [this](bool ok) {
                          m_probing = false;
                          setStoreUp(ok);
                      });
    });
    m_memoryCheck.setInterval(MemoryCheckMs);
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
    // What is still queued is committed before the writer's thread ends; then
    // the follower, whose completions that ran, leaves the registry.
    m_posts->drain();
    m_writer->stop();
    if (m_reader)
        m_reader->stop();
    if (m_accounts)
        m_accounts->stop();
    delete std::exchange(m_follower, nullptr);
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
    m_http->addRoute("/api/", [this](HttpConnection *c, const HttpRequest &r) {
        AccountHttp::serve(c, r, m_accounts, m_hosts, m_frontDoor->isTls());
    });
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

bool ChatServer::setTls(const QSslConfiguration &configuration, QString *error)
{
    return m_frontDoor->setTls(configuration, error);
}

void ChatServer::applyDoorSettings()
{
    FrontDoor::Limits door = m_config.door;
    door.maxHeadBytes = m_config.maxHeadBytes;
    door.headTimeoutMs = m_config.handshakeTimeoutMs;
    m_frontDoor->setLimits(door);
    m_hosts = HostPolicy(HostPolicy::localNames(), m_config.allowedHosts, m_config.allowedOrigins);
    m_frontDoor->setHostPolicy(m_hosts);
    m_http->setHostPolicy(m_hosts);
}

QStringList ChatServer::reload(const ServerConfig &next)
{
    QStringList restart;
    const ServerConfig &now = m_config;
    auto differs = [&restart](bool changed, const char *name) {
        if (changed)
            restart.append(QLatin1String(name));
    };
    differs(next.host != now.host, "host");
    differs(next.port != now.port, "port");
    differs(next.dbPath != now.dbPath, "db");
    differs(next.storeUrl != now.storeUrl, "store");
    differs(next.busUrl != now.busUrl, "bus");
    differs(next.nodeId != now.nodeId, "node-id");
    differs(next.durability != now.durability, "durability");
    differs(next.authAccounts != now.authAccounts || next.authJwt != now.authJwt
                || next.jwtSecretFile != now.jwtSecretFile
                || next.jwtPublicKeyFile != now.jwtPublicKeyFile || next.jwtIssuer != now.jwtIssuer
                || next.jwtAudience != now.jwtAudience || next.jwtNameClaim != now.jwtNameClaim
                || next.registration != now.registration || next.guests != now.guests
                || next.tokenLifetimeDays != now.tokenLifetimeDays,
            "auth/jwt-*/registration/guests/sign-in-days");
    differs(next.webRoot != now.webRoot, "web-root");
    differs(next.pagesRoot != now.pagesRoot, "pages");
    differs(next.metricsOwnAddress != now.metricsOwnAddress || next.metricsHost != now.metricsHost
                || next.metricsPort != now.metricsPort,
            "metrics-listen");
    differs(next.resumeGraceMs != now.resumeGraceMs, "resume-grace");
    differs(next.announce != now.announce || next.announceName != now.announceName,
            "announce/announce-name");
    differs(next.socketIoPingIntervalMs != now.socketIoPingIntervalMs
                || next.socketIoPingTimeoutMs != now.socketIoPingTimeoutMs,
            "socketio-ping-interval/-timeout");
    differs(next.limits.maxMessageBytes != now.limits.maxMessageBytes, "max-message-bytes");
    differs(next.maxPendingConnections != now.maxPendingConnections, "max-pending");
    differs(next.pingIntervalMs != now.pingIntervalMs, "ping-interval");
    differs(next.tlsSelfSigned != now.tlsSelfSigned
                || next.tlsCert.isEmpty() != now.tlsCert.isEmpty(),
            "TLS on or off");

    // The rest applies from the next request (limits, flood rates, the password)
    // or the next connection (door limits, host policy); nobody is dropped.
    const int keepMaxBytes = m_config.limits.maxMessageBytes;
    m_config.limits = next.limits;
    m_config.limits.maxMessageBytes = keepMaxBytes; // the handshake's frame limit is fixed
    m_config.flood = next.flood;
    m_config.access = next.access;
    m_config.door = next.door;
    m_config.allowedHosts = next.allowedHosts;
    m_config.allowedOrigins = next.allowedOrigins;
    m_config.retention = next.retention;
    m_config.handshakeTimeoutMs = next.handshakeTimeoutMs;
    m_config.idleTimeoutMs = next.idleTimeoutMs;
    m_config.maxHeadBytes = next.maxHeadBytes;
    m_config.log = next.log;
    m_config.tlsCert = next.tlsCert;
    m_config.tlsKey = next.tlsKey;
    m_context.limits = m_config.limits;
    m_context.flood = m_config.flood;
    m_context.access = m_config.access;
    applyDoorSettings();
    if (m_metricsHttp)
        m_metricsHttp->setHostPolicy(m_hosts);
    m_webSockets->setHandshakeTimeout(m_config.handshakeTimeoutMs);
    m_retention->setPolicy(m_config.retention);
    return restart;
}

bool ChatServer::listen(QString *error)
{
    if (!m_storeError.isEmpty()) {
        if (error)
            *error = QStringLiteral("the store's writer: ") + m_storeError;
        return false;
    }
    if (!m_frontDoor->listen(m_config.host, m_config.port)) {
        if (error)
            *error = m_frontDoor->errorString();
        return false;
    }
    if (m_metricsListener
        && !m_metricsListener->listen(m_config.metricsHost, m_config.metricsPort)) {
        if (error)
            *error = QStringLiteral("--metrics-listen %1:%2: %3")
                         .arg(m_config.metricsHost.toString())
                         .arg(m_config.metricsPort)
                         .arg(m_metricsListener->errorString());
        m_frontDoor->close();
        return false;
    }
    m_heartbeat.start();
    m_memoryCheck.start();
    m_storeProbe.start();
    if (m_follower)
        m_follower->start(FollowMs);
    if (m_presence)
        m_presence->start();
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
            engine->handleWebSocket(std::move(taken.link), taken.query, peer);
            continue;
        }
        auto channel
            = std::make_unique<WebSocketChannel>(std::move(taken.link), V1Codec::instance());
        Session *session = startSession(std::move(channel));
        if (m_accounts)
            session->setCookieToken(AccountHttp::tokenFromCookie(taken.cookie));
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
    // Two moments leave the heap full of freed blocks: many connections gone
    // (a crowd that left, abandoned polling sessions), and the end of a burst of
    // new ones (every handshake's socket buffers and Qt's QWebSocket, freed once
    // the connection is taken over, sit between the blocks that stay).
    const int now = int(m_sessions.size()) + m_socketIo->sessionCount() + m_http->connectionCount();
    m_peakSinceTrim = std::max(m_peakSinceTrim, now);
    const quint64 accepted = m_frontDoor->acceptedCount();
    const bool arriving = accepted != m_acceptedAtCheck;
    m_acceptedAtCheck = accepted;
    const bool crowdLeft = m_peakSinceTrim >= 1000 && now <= m_peakSinceTrim / 2;
    const bool burstOver = !arriving && accepted - m_acceptedAtTrim >= 1000;
    if (!crowdLeft && !burstOver)
        return;
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    if (crowdLeft)
        qCInfo(lcServer) << "connections down from" << m_peakSinceTrim << "to" << now
                         << ": free memory returned to the system";
    else
        qCInfo(lcServer) << accepted - m_acceptedAtTrim
                         << "connections accepted since the last trim, none in the last second:"
                         << "free memory returned to the system";
    m_peakSinceTrim = now;
    m_acceptedAtTrim = accepted;
}

void ChatServer::setStoreUp(bool up)
{
    if (up == m_storeUp)
        return;
    m_storeUp = up;
    if (up)
        qCInfo(lcStore) << "the store answers again";
    else
        qCWarning(lcStore) << "the store does not answer: posts are refused until it does";
}

void ChatServer::shutdown(int graceMs)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    qCInfo(lcServer) << "shutting down:" << connectionCount() << "connections";
    m_frontDoor->close();
    m_heartbeat.stop();
    m_storeProbe.stop();
    if (m_follower)
        m_follower->stop();
    if (m_presence)
        m_presence->stop();
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
    m_posts->drain();
    m_writer->stop();
    if (m_reader)
        m_reader->stop();
    if (m_accounts)
        m_accounts->stop();
    if (m_context.store && !m_context.store->flush())
        qCWarning(lcStore) << "flush on shutdown failed";
    qCInfo(lcServer) << "stopped";
    emit shutdownFinished();
}

} // namespace Chat
