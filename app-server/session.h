// One WebSocket connection: decodes what the client sends, enforces the rules,
// and forwards the events of the rooms it is in.
#pragma once

#include "protocol.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QWebSocketProtocol>

#include <functional>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace Chat {

class MessageStore;
class Room;
class RoomRegistry;
class UserDirectory;

// What every session shares; owned by the ChatServer.
struct ServerContext
{
    ProtocolLimits limits;
    QString serverName;
    MessageStore *store = nullptr;
    RoomRegistry *rooms = nullptr;
    UserDirectory *users = nullptr;
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
    QString username() const { return m_username; }
    QStringList roomNames() const { return m_rooms; }
    qint64 silentForMs() const { return m_lastHeard.elapsed(); }

    void sendFrame(const QString &frame);
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

    bool identify(const QString &username, const QString &ref);
    // The room a request names, or the current one; sends the error itself.
    Room *memberRoom(const QString &name, const QString &ref);
    void enter(Room *room);
    void leave(Room *room);
    void sendJson(const QJsonObject &object);
    void sendError(ErrorCode code, const QString &message, const QString &ref = {});

    QWebSocket *m_socket;
    const ServerContext &m_ctx;
    QString m_peer;
    QString m_username;
    QString m_sessionToken;
    QStringList m_rooms; // in join order; the last is the current room
    QElapsedTimer m_lastHeard;
    bool m_finished = false;
};

} // namespace Chat
