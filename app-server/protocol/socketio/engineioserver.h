// Engine.IO v4 at one path (/socket.io/): the handshake on either transport,
// the sid directory, long-polling requests routed to their session, WebSocket
// upgrades and WebSocket-only sessions, CORS for the origins the admin allows,
// and the protocol's errors (400 with {"code","message"}, 403, 413 by the HTTP
// layer). Each new session is handed to whoever rides on it (Socket.IO).
#pragma once

#include "engineiosession.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace Chat {

class HttpConnection;
class RequestHead;
struct HttpRequest;

class EngineIoServer final : public QObject, private EngineIoFlusher
{
    Q_OBJECT
public:
    using SessionStarted = std::function<void(EngineIoSession *)>;
    using OriginCheck = std::function<bool(const RequestHead &)>;

    EngineIoServer(const EngineIoOptions &options, SessionStarted started,
                   QObject *parent = nullptr);
    ~EngineIoServer() override;
    Q_DISABLE_COPY_MOVE(EngineIoServer)

    // Which browser origins may use it (CORS); without a check, any.
    void setOriginCheck(OriginCheck check) { m_originAllowed = std::move(check); }
    const EngineIoOptions &options() const { return m_options; }

    void handleHttp(HttpConnection *connection, const HttpRequest &request);
    // An upgraded connection to this path, with its request's query: a new
    // session, the upgrade of a polling one, or refused with a close.
    void handleWebSocket(std::unique_ptr<Link> link, const QString &query, const QString &peer);

    int sessionCount() const { return int(m_sessions.size()); }
    // Sessions whose transport is WebSocket (the rest poll).
    int webSocketSessionCount() const;
    // Every session ends (a shutdown).
    void closeAll(const QString &reason);

private:
    EngineIoSession *open(EngineIoSession::Transport transport, const QString &peer);
    void scheduleFlush(EngineIoSession *session) override;
    void flushAll();
    // Room for one more session from this peer ("address:port")? Logs if not.
    bool admits(const QString &peer) const;
    void onFinished(EngineIoSession *session);

    EngineIoOptions m_options;
    SessionStarted m_started;
    OriginCheck m_originAllowed;
    QHash<QString, EngineIoSession *> m_sessions;
    QHash<QString, int> m_perAddress;
    QList<QPointer<EngineIoSession>> m_toFlush;
    bool m_flushPosted = false;
};

} // namespace Chat
