// A chat Channel on a Socket.IO socket in the main namespace: EVENTs become v1
// requests for the Session (SocketIoEvents), server events go out through the
// socket's codec, and a request that came with an ack id is answered through
// the ack: with its reply (identified, joined, history, rooms, the stored
// message) or the error, as the v1 object the v1 client would have got.
#pragma once

#include "channel.h"
#include "messagestore.h"
#include "socketioconnection.h"

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QPointer>

#include <deque>
#include <optional>

namespace Chat {

class SocketIoCodec;

// Connection state recovery (Socket.IO's pid and offset): the CONNECT answer
// carries a private id (pid), kept in the store with the user's name; every
// message event carries, as its last argument, the offset: this client's last
// message id in each of its rooms. A client that comes back with both (after a
// blip, or a server restart) gets its socket.id, its name and its rooms back,
// and the messages it missed, before anything else.
class StoreWorker;

struct SocketIoRecovery
{
    MessageStore *store = nullptr; // reads (the CONNECT's lookup)
    StoreWorker *writer = nullptr; // records kept and dropped, off the event loop
    qint64 windowMs = 120000; // how long after a drop the pid is honoured
    QString pid; // this connection's
    std::optional<MessageStore::Recovery> restored; // what the CONNECT recovered
    QMap<QString, qint64> offset; // ... and the client's last ids, by room
};

class SocketIoChannel final : public Channel, private SocketIoSocketListener
{
public:
    SocketIoChannel(SocketIoSocket *socket, const SocketIoCodec &codec,
                    SocketIoRecovery recovery = {});
    ~SocketIoChannel() override;
    Q_DISABLE_COPY_MOVE(SocketIoChannel)

    // What the CONNECT said: a name (and password, resume token) says hello; no
    // name makes a guest in the default room, as the documents' pages expect; a
    // recovered connection gets its name and rooms back.
    void start(const QJsonObject &auth);
    // An offset as the client sends it back; nothing if it is not one of ours.
    static std::optional<QMap<QString, qint64>> parseOffset(const QString &offset);
    // The offset as the last argument of an event: a comma, then a JSON string.
    static QByteArray offsetArgument(const QMap<QString, qint64> &lastIds);

    const WireCodec &codec() const override;
    void setListener(ChannelListener *listener) override { m_listener = listener; }
    QString peer() const override { return m_peer; }
    void send(const QByteArray &bytes) override;
    void sendEvent(const ServerEvent &event) override;
    void sendBroadcast(const Broadcast &event) override;
    void flush() override;
    qint64 queuedBytes() const override;
    void ping() override { } // Engine.IO pings by itself
    void close(int code, const QString &reason) override;
    void abort() override;
    void messageDeferred() override { m_deferredNow = true; }
    void beginDeferred() override;
    void endDeferred() override;

private:
    void onSocketPacket(const SocketIo::Packet &packet,
                        const QList<QByteArray> &attachments) override;
    void onSocketAlive() override;
    void onSocketGone(const QString &reason) override;

    void deliver(const QJsonObject &request, std::optional<qint64> ackId);
    // The bytes with this client's offset after each message event's arguments.
    QByteArray withOffset(const QByteArray &packets) const;
    void noteMessage(const ChatMessage &message);
    void keepRecord(qint64 expiresMs);
    // Whether `event` is the reply to a request of this type (hello, join, ...).
    static bool answers(const QString &type, const ServerEvent &event);
    static bool hasReply(const QString &type); // hello, join, history, rooms
    static bool isAccountRequest(const QString &type); // register, login, logout, devices, revoke
    void ack(qint64 id, const ServerEvent &event);

    SocketIoSocket *m_socket;
    const SocketIoCodec &m_codec;
    ChannelListener *m_listener = nullptr;
    QString m_peer;
    // The request being handled, if it came with an ack id.
    std::optional<qint64> m_dispatchAck;
    QString m_dispatchType;
    // A request whose reply comes later (a name asked of the other servers, on
    // a cluster): its ack waits for that reply.
    struct LaterAck
    {
        QString type;
        qint64 id = 0;
    };
    std::optional<LaterAck> m_laterAck;
    // Messages the session kept for later, in order: their type and ack id (none
    // for a post, whose ack goes by clientId, or for an event without an ack).
    struct Kept
    {
        QString type;
        std::optional<qint64> ack;
    };
    std::deque<Kept> m_kept;
    bool m_deferredNow = false; // the message being delivered was kept
    void finishDispatch();
    // Posts waiting for their commit, by clientId: their ack ids.
    QHash<QString, qint64> m_pendingPosts;
    SocketIoRecovery m_recovery;
    QMap<QString, qint64> m_lastIds; // the offset: last message id sent, by room
    QString m_username;
    QString m_resumeToken;
    bool m_guest = false;
    bool m_recovering = false; // replaying what a recovered client missed
    bool m_gone = false;
};

} // namespace Chat
