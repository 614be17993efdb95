// Redis pub/sub as the bus.
#include "redisbus.h"

#include "redisconnection.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <hiredis/hiredis.h>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Chat {

RedisBus::RedisBus(const QString &host, quint16 port, QObject *parent)
    : Bus(parent)
    , m_publisher(new RedisConnection(host, port, this))
    , m_subscriber(new RedisConnection(host, port, this))
{
    connect(m_subscriber, &RedisConnection::connected, this, &RedisBus::subscribe);
    connect(m_subscriber, &RedisConnection::disconnected, this, [this] { m_subscribed = false; });
    m_publisher->open();
    m_subscriber->open();
}

RedisBus::~RedisBus() = default;

bool RedisBus::isUp() const
{
    return m_publisher->isConnected() && m_subscribed;
}

void RedisBus::publish(const ChatMessage &message)
{
    emit delivered(message); // this server's rooms at once
    QJsonObject object = message.toJson();
    object.remove(QStringLiteral("type"));
    // Not connected: the other servers read it from the store.
    m_publisher->command({QByteArrayLiteral("PUBLISH"), QByteArray(Channel),
                          QJsonDocument(object).toJson(QJsonDocument::Compact)});
}

void RedisBus::subscribe()
{
    m_subscriber->command(
        {QByteArrayLiteral("SUBSCRIBE"), QByteArray(Channel)},
        [this](redisReply *reply) {
            if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != 3)
                return;
            const redisReply *kind = reply->element[0];
            const redisReply *payload = reply->element[2]; // the count, for "subscribe"
            if (kind->type != REDIS_REPLY_STRING)
                return;
            const QByteArray type(kind->str, int(kind->len));
            if (type == "subscribe") {
                m_subscribed = true;
                return;
            }
            if (type != "message" || payload->type != REDIS_REPLY_STRING)
                return;
            QJsonParseError error;
            const QJsonDocument doc
                = QJsonDocument::fromJson(QByteArray(payload->str, int(payload->len)), &error);
            std::optional<ChatMessage> message;
            if (error.error == QJsonParseError::NoError && doc.isObject())
                message = ChatMessage::fromJson(doc.object());
            if (!message || message->room.isEmpty()) {
                ++m_refused;
                qCWarning(lcRedis) << "a bus message that is not a chat message, ignored";
                return;
            }
            ++m_received;
            emit delivered(*message); // the rooms drop what they delivered already
        },
        true);
}

} // namespace Chat
