// The chat server: the front door on one port, the WebSocket server behind it,
// one Session per connection, the rooms, the store, and the HTTP side.
#pragma once

#include "requesthead.h"
#include "serverconfig.h"
#include "session.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QSslConfiguration>
#include <QTimer>

#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QTcpServer;
class QTcpSocket;
class QWebSocketServer;
QT_END_NAMESPACE

namespace Chat {

class AccountService;
class FrontDoor;
class HttpService;
class MessageStore;
class RoomRegistry;
class IdentityRegistry;
class Bus;
class Handover;
class OutputFlusher;
class PostQueue;
class Retention;
class ClusterPresence;
class StoreFollower;
class StoreWorker;
class EngineIoServer;
class HttpConnection;
struct HttpRequest;
class SocketIoNamespace;

class ChatServer final : public QObject
{
    Q_OBJECT
public:
    // The store must outlive the server.
    ChatServer(const ServerConfig &config, MessageStore *store, QObject *parent = nullptr);
    ~ChatServer() override;
    Q_DISABLE_COPY_MOVE(ChatServer)

    // Before listen(): every connection speaks TLS (wss://, https://). After it
    // (a renewed certificate): new connections get it, the others keep theirs.
    // False, with the reason, if OpenSSL refuses the certificate or key; what
    // was set before stays.
    bool setTls(const QSslConfiguration &configuration, QString *error = nullptr);
    // SIGHUP: takes what may change while running (limits, allowed hosts and
    // origins, the password, retention) and returns the names of the settings
    // that changed but take a restart (the address, the store, ...).
    QStringList reload(const ServerConfig &config);
    bool listen(QString *error = nullptr);
    QHostAddress serverAddress() const;
    quint16 serverPort() const;

    int connectionCount() const { return int(m_sessions.size()); }
    int roomCount() const;
    Retention *retention() const { return m_retention; }
    QJsonObject health() const;
    // Everything /metrics reports, in the Prometheus text format.
    QByteArray metrics() const;
    // The --metrics-listen address, once listening (port 0 until then).
    quint16 metricsPort() const;

    // Stops accepting, closes every client with 1001, flushes the store, then
    // emits shutdownFinished (at the latest after `graceMs`).
    void shutdown(int graceMs = 3000);

signals:
    void shutdownFinished();

private:
    class ChatNamespace;

    void onUpgrade(QTcpSocket *socket);
    void serveMetrics(HttpConnection *connection, const HttpRequest &request) const;
    void onMetricsConnection();
    void setUpSocketIo();
    // The front door's limits and the Host/Origin policy, from m_config.
    void applyDoorSettings();
    // A new Session on a channel (v1 WebSocket, Socket.IO).
    Session *startSession(std::unique_ptr<Channel> channel);
    void onNewWebSocket();
    void onSessionFinished(Session *session);
    void onHeartbeat();
    // Gives the allocator's free memory back to the system once most of the
    // connections it held are gone (10,000 abandoned polling sessions, a crowd
    // that left), and a second after a burst of 1,000 or more new connections
    // ended: glibc keeps freed heap otherwise.
    void releaseMemoryIfQuiet();
    void finishShutdown();
    void setStoreUp(bool up);

    ServerConfig m_config;
    ServerContext m_context;
    RoomRegistry *m_rooms;
    IdentityRegistry *m_identities;
    Bus *m_bus;
    StoreWorker *m_writer; // the store's own thread and connection, for every write
    QString m_storeError; // why the writer could not open, if it could not
    PostQueue *m_posts;
    StoreFollower *m_follower = nullptr; // a store other servers write to too
    ClusterPresence *m_presence = nullptr; // members on the other servers (Redis bus)
    StoreWorker *m_reader = nullptr; // reads of a shared store, off the event loop
    AccountService *m_accounts = nullptr; // --auth accounts
    // How often a shared store is asked what other servers committed: the
    // longest a message takes from one server's clients to another's.
    static constexpr int FollowMs = 250;
    Retention *m_retention;
    OutputFlusher *m_flusher;
    FrontDoor *m_frontDoor;
    QWebSocketServer *m_webSockets;
    HttpService *m_http;
    Handover *m_handover;
    HostPolicy m_hosts;
    EngineIoServer *m_socketIo = nullptr; // /socket.io/
    EngineIoServer *m_engineEcho = nullptr; // /engine.io/, conformance mode only
    QHash<QString, SocketIoNamespace *> m_namespaces;
    std::vector<std::unique_ptr<SocketIoNamespace>> m_namespaceHandlers;
    QSet<Session *> m_sessions;
    ChatCounters m_counters;
    QTcpServer *m_metricsListener = nullptr; // --metrics-listen
    HttpService *m_metricsHttp = nullptr;
    QTimer m_heartbeat;
    QTimer m_memoryCheck;
    QTimer m_storeProbe;
    static constexpr int StoreProbeMs = 2000;
    bool m_probing = false;
    bool m_storeUp = true;
    static constexpr int MemoryCheckMs = 1000;
    int m_peakSinceTrim = 0;
    quint64 m_acceptedAtCheck = 0; // the front door's count at the last check
    quint64 m_acceptedAtTrim = 0; // ... and at the last trim
    QElapsedTimer m_uptime;
    bool m_shuttingDown = false;
    bool m_shutdownDone = false;
};

} // namespace Chat
