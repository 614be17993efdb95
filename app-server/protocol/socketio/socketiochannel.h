// A chat Channel on a Socket.IO socket in the main namespace: EVENTs become v1
// requests for the Session (SocketIoEvents), server events go out through the
// socket's codec, and a request that came with an ack id is answered through
// the ack: with its reply (identified, joined, history, rooms, the stored
// message) or the error, as the v1 object the v1 client would have got.
#pragma once

#include "channel.h"
#include "socketioconnection.h"

#include <QHash>
#include <QJsonObject>
#include <QPointer>

namespace Chat {

class SocketIoCodec;

class SocketIoChannel final : public Channel, private SocketIoSocketListener
{
public:
    SocketIoChannel(SocketIoSocket *socket, const SocketIoCodec &codec);
    ~SocketIoChannel() override;
    Q_DISABLE_COPY_MOVE(SocketIoChannel)

    // What the CONNECT said: a name (and password, resume token) says hello; no
    // name makes a guest in the default room, as the documents' pages expect.
    void start(const QJsonObject &auth);

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

private:
    void onSocketPacket(const SocketIo::Packet &packet,
                        const QList<QByteArray> &attachments) override;
    void onSocketAlive() override;
    void onSocketGone(const QString &reason) override;

    void deliver(const QJsonObject &request, std::optional<qint64> ackId);
    bool answers(const ServerEvent &event) const;
    void ack(qint64 id, const ServerEvent &event);

    SocketIoSocket *m_socket;
    const SocketIoCodec &m_codec;
    ChannelListener *m_listener = nullptr;
    QString m_peer;
    // The request being handled, if it came with an ack id.
    std::optional<qint64> m_dispatchAck;
    QString m_dispatchType;
    // Posts waiting for their commit, by clientId: their ack ids.
    QHash<QString, qint64> m_pendingPosts;
    bool m_gone = false;
};

} // namespace Chat
