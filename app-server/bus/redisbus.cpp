// Redis pub/sub as the bus.
#include "redisbus.h"

#include "redisconnection.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include "validation.h"

#include <hiredis/hiredis.h>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Chat {

RedisBus::RedisBus(const QString &host, quint16 port, const QString &node, QObject *parent)
    : Bus(parent)
    , m_publisher(new RedisConnection(host, port, this))
    , m_subscriber(new RedisConnection(host, port, this))
    , m_node(node.toUtf8())
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

void RedisBus::publishTyping(const QString &room, const QString &username, bool active)
{
    const QJsonObject object {{QStringLiteral("node"), QString::fromUtf8(m_node)},
                              {QStringLiteral("room"), room},
                              {QStringLiteral("username"), username},
                              {QStringLiteral("active"), active}};
    m_publisher->command({QByteArrayLiteral("PUBLISH"), QByteArray(TypingChannel),
                          QJsonDocument(object).toJson(QJsonDocument::Compact)});
}

void RedisBus::publishPresence(const QJsonObject &state)
{
    QJsonObject object = state;
    object.insert(QStringLiteral("node"), QString::fromUtf8(m_node));
    m_publisher->command({QByteArrayLiteral("PUBLISH"), QByteArray(PresenceChannel),
                          QJsonDocument(object).toJson(QJsonDocument::Compact)});
}

void RedisBus::onPresence(const QByteArray &payload)
{
    const QJsonObject o = QJsonDocument::fromJson(payload).object();
    const QString node = o.value(QLatin1String("node")).toString();
    if (node.isEmpty() || node.size() > 64) {
        ++m_refused;
        return;
    }
    if (node.toUtf8() != m_node)
        emit presenceHeard(node, o); // ClusterPresence checks the rest
}

void RedisBus::onTyping(const QByteArray &payload)
{
    const QJsonObject o = QJsonDocument::fromJson(payload).object();
    const QJsonValue node = o.value(QLatin1String("node"));
    const QJsonValue room = o.value(QLatin1String("room"));
    const QJsonValue user = o.value(QLatin1String("username"));
    const QJsonValue active = o.value(QLatin1String("active"));
    if (!node.isString() || !active.isBool() || !Validation::roomProblem(room.toString()).isEmpty()
        || !Validation::usernameProblem(user.toString()).isEmpty()) {
        ++m_refused;
        return;
    }
    if (node.toString().toUtf8() == m_node)
        return; // this server's own, already shown here
    emit typingHeard(room.toString(), user.toString(), active.toBool());
}

void RedisBus::subscribe()
{
    // One SUBSCRIBE per channel: hiredis keeps a callback (and its data) per
    // channel, and a command naming two would share one between them.
    for (const char *channel : {Channel, TypingChannel, PresenceChannel}) {
        m_subscriber->command(
            {QByteArrayLiteral("SUBSCRIBE"), QByteArray(channel)},
            [this, channel](redisReply *reply) {
                if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != 3)
                    return;
                const redisReply *kind = reply->element[0];
                const redisReply *payload = reply->element[2]; // the count, for "subscribe"
                if (kind->type != REDIS_REPLY_STRING)
                    return;
                const QByteArray type(kind->str, int(kind->len));
                if (type == "subscribe") {
                    if (channel == Channel)
                        m_subscribed = true;
                    return;
                }
                if (type != "message" || payload->type != REDIS_REPLY_STRING)
                    return;
                const QByteArray bytes(payload->str, int(payload->len));
                if (channel == TypingChannel)
                    onTyping(bytes);
                else if (channel == PresenceChannel)
                    onPresence(bytes);
                else
                    onMessage(bytes);
            },
            true);
    }
}

void RedisBus::onMessage(const QByteArray &payload)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &error);
    std::optional<ChatMessage> message;
    if (error.error == QJsonParseError::NoError && doc.isObject())
        message = ChatMessage::fromJson(doc.object());
    if (!message || !Validation::roomProblem(message->room).isEmpty()) {
        ++m_refused;
        qCWarning(lcRedis) << "a bus message that is not a chat message, ignored";
        return;
    }
    ++m_received;
    emit delivered(*message); // the rooms drop what they delivered already
}

} // namespace Chat
