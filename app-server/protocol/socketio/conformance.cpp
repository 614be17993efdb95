// The test suites' server behaviour.
#include "conformance.h"

#include <QTimer>

namespace Chat::Conformance {

namespace {
class EngineEcho final : public QObject, private EngineIoListener
{
public:
    explicit EngineEcho(EngineIoSession *session) : m_session(session)
    {
        session->setListener(this);
    }
    ~EngineEcho() override { m_session->setListener(nullptr); }

private:
    void onEngineMessage(const QByteArray &data, bool binary) override
    {
        m_session->send(data, binary);
    }
    void onEngineAlive() override { }
    void onEngineClosed(const QString &) override { }

    EngineIoSession *m_session;
};

class EchoSocket final : private SocketIoSocketListener
{
public:
    explicit EchoSocket(SocketIoSocket *socket) : m_socket(socket) { socket->setListener(this); }

    void emitLater(const QJsonArray &args)
    {
        m_timer.setSingleShot(true);
        QObject::connect(&m_timer, &QTimer::timeout, [this, args] { m_socket->emitEvent(args); });
        m_timer.start(5);
    }

private:
    void onSocketPacket(const SocketIo::Packet &packet,
                        const QList<QByteArray> &attachments) override
    {
        if (packet.type != SocketIo::PacketType::Event
            && packet.type != SocketIo::PacketType::BinaryEvent)
            return;
        QJsonArray args = packet.data.toArray();
        const QString name = args.at(0).toString();
        if (name == QLatin1String("message")) {
            args.replace(0, QStringLiteral("message-back"));
            m_socket->emitEvent(args, attachments);
        } else if (name == QLatin1String("message-with-ack") && packet.id) {
            args.removeFirst();
            m_socket->ack(*packet.id, args, attachments);
        }
    }
    void onSocketAlive() override { }
    void onSocketGone(const QString &) override { delete this; }

    SocketIoSocket *m_socket;
    QTimer m_timer; // stops when the socket goes (deleted with us)
};
} // namespace

std::unique_ptr<QObject> engineEcho(EngineIoSession *session)
{
    return std::make_unique<EngineEcho>(session);
}

void EchoNamespace::connected(SocketIoSocket *socket, const QJsonObject &auth)
{
    auto *echo = new EchoSocket(socket);
    // The suite waits for the CONNECT answer and then, with a new listener, for
    // "auth": the two must not reach it in one read. The reference server's
    // WebSocket transport writes the second after the first one's callback;
    // here the CONNECT answer is flushed now and "auth" follows a moment later.
    socket->flush();
    echo->emitLater(QJsonArray {QStringLiteral("auth"), auth});
}

} // namespace Chat::Conformance
