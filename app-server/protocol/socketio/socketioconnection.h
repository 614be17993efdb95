// Socket.IO v5 on one Engine.IO session (docs/socket.io-protocol/v5-current.md):
// CONNECT to namespaces (each a SocketIoSocket with an id of its own, the
// `socket.id` a page shows), CONNECT_ERROR for an unknown namespace or refused
// auth, EVENT and ACK with their binary attachments put back together,
// DISCONNECT, and the connect timeout. A malformed packet closes this session
// and no other. What a namespace does with its sockets is a SocketIoNamespace.
#pragma once

#include "engineiosession.h"
#include "socketiopacket.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace Chat {

class SocketIoConnection;

class SocketIoSocketListener
{
public:
    // An EVENT (or ACK) for this namespace, its attachments in order.
    virtual void onSocketPacket(const SocketIo::Packet &packet,
                                const QList<QByteArray> &attachments)
        = 0;
    virtual void onSocketAlive() = 0;
    // The namespace connection is over (client DISCONNECT, transport gone, ...). Once, last.
    virtual void onSocketGone(const QString &reason) = 0;

protected:
    ~SocketIoSocketListener() = default;
};

// One namespace connection. Owned by its SocketIoConnection.
class SocketIoSocket final
{
public:
    SocketIoSocket(SocketIoConnection *connection, const QString &nsp, const QString &id)
        : m_connection(connection), m_nsp(nsp), m_id(id)
    { }
    Q_DISABLE_COPY_MOVE(SocketIoSocket)

    QString id() const { return m_id; }
    QString nsp() const { return m_nsp; }
    QString peer() const;
    void setListener(SocketIoSocketListener *listener) { m_listener = listener; }
    SocketIoSocketListener *listener() const { return m_listener; }

    void emitEvent(const QJsonArray &args, const QList<QByteArray> &attachments = {});
    void ack(qint64 id, const QJsonArray &args, const QList<QByteArray> &attachments = {});
    // Packets already encoded (a codec's bytes): Socket.IO packets joined by 0x1e.
    void sendEncoded(const QByteArray &packets);
    void flush();
    qint64 queuedBytes() const;
    // Ends this namespace connection: a DISCONNECT packet, and the listener hears
    // onSocketGone on the next pass.
    void disconnect(const QString &reason);
    // Ends the whole Engine.IO session (the client reconnects by itself).
    void closeTransport(const QString &reason);

private:
    void send(const SocketIo::Packet &packet, const QList<QByteArray> &attachments);

    SocketIoConnection *m_connection;
    SocketIoSocketListener *m_listener = nullptr;
    QString m_nsp;
    QString m_id;
};

class SocketIoNamespace
{
public:
    // The answer to a CONNECT.
    struct Admission
    {
        std::optional<QJsonObject> refusal; // the CONNECT_ERROR data; none: accepted
        QString sid; // the socket's id; empty: a new one
        QJsonObject extra; // more fields of the CONNECT answer ("pid")
    };

    virtual ~SocketIoNamespace() = default;
    // CONNECT with `auth`: refused, or accepted (then connected() follows at once).
    virtual Admission admit(const QJsonObject &auth)
    {
        Q_UNUSED(auth);
        return {};
    }
    // Accepted: the client has its CONNECT answer; the socket needs a listener.
    virtual void connected(SocketIoSocket *socket, const QJsonObject &auth) = 0;
};

class SocketIoConnection final : public QObject, private EngineIoListener
{
    Q_OBJECT
public:
    // Rides on the session (EngineIoSession::setRider). `namespaces` outlive it.
    SocketIoConnection(EngineIoSession *engine,
                       const QHash<QString, SocketIoNamespace *> *namespaces, int connectTimeoutMs);
    ~SocketIoConnection() override;
    Q_DISABLE_COPY_MOVE(SocketIoConnection)

    EngineIoSession *engine() const { return m_engine; }
    void removeSocket(const QString &nsp, const QString &reason);

private:
    void onEngineMessage(const QByteArray &data, bool binary) override;
    void onEngineAlive() override;
    void onEngineClosed(const QString &reason) override;

    void dispatch(const SocketIo::Packet &packet, const QList<QByteArray> &attachments);
    void onConnect(const SocketIo::Packet &packet);
    void fail(const char *reason);

    EngineIoSession *m_engine;
    const QHash<QString, SocketIoNamespace *> *m_namespaces;
    QHash<QString, SocketIoSocket *> m_sockets; // by namespace
    std::optional<SocketIo::Packet> m_partial; // a binary packet waiting for attachments
    QList<QByteArray> m_attachments;
    QTimer m_connectTimer;
};

} // namespace Chat
