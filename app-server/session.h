// One WebSocket connection: decodes what the client sends, enforces the rules,
// and forwards the events of the rooms its identity is in.
#pragma once

#include "protocol.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QWebSocketProtocol>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace Chat {

class Identity;
class IdentityRegistry;
class MessageStore;
class PostQueue;
class Room;
class RoomRegistry;

// What every session shares; owned by the ChatServer.
struct ServerContext
{
    ProtocolLimits limits;
    QString serverName;
    MessageStore *store = nullptr;
    RoomRegistry *rooms = nullptr;
    IdentityRegistry *identities = nullptr;
    PostQueue *posts = nullptr;
};

class Session final : public QObject
{
    Q_OBJECT
public:
    // Takes ownership of the socket.
    Session(QWebSocket *socket, const ServerContext &context, QObject *parent = nullptr);
    ~Session() override;
    Q_DISABLE_COPY_MOVE(Session)

    QString peer() const { return m_peer; }
    QString username() const;
    qint64 silentForMs() const { return m_lastHeard.elapsed(); }

    void sendFrame(const QString &frame);
    void sendJson(const QJsonObject &object);
    void sendError(ErrorCode code, const QString &message, const QString &ref = {});
    void ping();
    void close(QWebSocketProtocol::CloseCode code, const QString &reason);

signals:
    void finished(Chat::Session *session);

private:
    void onTextMessage(const QString &text);
    void onBinaryMessage(const QByteArray &data);
    void onDisconnected();

    void handleHello(const Request &r);
    void handleJoin(const Request &r);
    void handleLeave(const Request &r);
    void handleChat(const Request &r);
    void handleTyping(const Request &r);
    void handleHistory(const Request &r);
    void handleRooms();

    bool identify(const QString &username, const QString &ref, bool viaHello);
    // Takes over an identity (a resume): its rooms become this connection's.
    void attach(Identity *identity);
    // Another connection resumed our identity: stop speaking for it and close.
    void detachReplaced();
    // The room a request names, or the current one; sends the error itself.
    Room *memberRoom(const QString &name, const QString &ref);
    void subscribe(Room *room);
    void unsubscribe(Room *room);

    QWebSocket *m_socket;
    const ServerContext &m_ctx;
    QString m_peer;
    QPointer<Identity> m_identity;
    QElapsedTimer m_lastHeard;
    bool m_finished = false;
    bool m_closing = false; // a close handshake started (either side)
    bool m_weClosed = false; // ... and we started it
};

} // namespace Chat
