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

namespace {
constexpr int NamesRefreshMs = 2000;

// The names scripts. Each server's names are a hash, lanchat:names:NODE
// (key -> entry), that lives as long as lanchat:node:NODE: both expire when the
// server stops refreshing them (killed, or cut off from Redis), so its names
// are free again after the lifetime. lanchat:nodes lists the servers to look
// in. Each script runs atomically, so of two servers claiming one name at once
// exactly one gets it.
constexpr char ReserveScript[] = R"lua(
local me, key = ARGV[1], ARGV[2]
for _, n in ipairs(redis.call('SMEMBERS', 'lanchat:nodes')) do
  if n ~= me then
    if redis.call('EXISTS', 'lanchat:node:' .. n) == 0 then
      redis.call('SREM', 'lanchat:nodes', n)
      redis.call('DEL', 'lanchat:names:' .. n)
    elseif redis.call('HEXISTS', 'lanchat:names:' .. n, key) == 1 then
      return {0, n}
    end
  end
end
redis.call('SADD', 'lanchat:nodes', me)
redis.call('SET', 'lanchat:node:' .. me, '1', 'PX', ARGV[4])
redis.call('HSET', 'lanchat:names:' .. me, key, ARGV[3])
redis.call('PEXPIRE', 'lanchat:names:' .. me, ARGV[4])
return {1, me}
)lua";

// ARGV: node, key, token hash, new epoch, lifetime. The entry moves to us if
// its token hash matches; the name stays as it was typed.
constexpr char TakeOverScript[] = R"lua(
local me, key, hash = ARGV[1], ARGV[2], ARGV[3]
for _, n in ipairs(redis.call('SMEMBERS', 'lanchat:nodes')) do
  if n ~= me and redis.call('EXISTS', 'lanchat:node:' .. n) == 1 then
    local entry = redis.call('HGET', 'lanchat:names:' .. n, key)
    if entry then
      if string.sub(entry, 1, #hash + 1) ~= hash .. '\n' then
        return {0, n}
      end
      local name = string.match(entry, '^[^\n]*\n(.*)\n[^\n]*$') or ''
      redis.call('HDEL', 'lanchat:names:' .. n, key)
      redis.call('SADD', 'lanchat:nodes', me)
      redis.call('SET', 'lanchat:node:' .. me, '1', 'PX', ARGV[5])
      redis.call('HSET', 'lanchat:names:' .. me, key, hash .. '\n' .. name .. '\n' .. ARGV[4])
      redis.call('PEXPIRE', 'lanchat:names:' .. me, ARGV[5])
      return {1, n, entry}
    end
  end
end
return {0, ''}
)lua";

constexpr char RefreshScript[] = R"lua(
redis.call('SADD', 'lanchat:nodes', ARGV[1])
redis.call('SET', 'lanchat:node:' .. ARGV[1], '1', 'PX', ARGV[2])
redis.call('PEXPIRE', 'lanchat:names:' .. ARGV[1], ARGV[2])
return 1
)lua";

// ARGV: node, lifetime, '1' to forget what Redis had for us first, then key and
// entry pairs. Answers the keys another live server holds now.
constexpr char HoldAgainScript[] = R"lua(
local me = ARGV[1]
if ARGV[3] == '1' then redis.call('DEL', 'lanchat:names:' .. me) end
local others = {}
for _, n in ipairs(redis.call('SMEMBERS', 'lanchat:nodes')) do
  if n ~= me and redis.call('EXISTS', 'lanchat:node:' .. n) == 1 then
    table.insert(others, n)
  end
end
local lost = {}
for i = 4, #ARGV, 2 do
  local held = false
  for _, n in ipairs(others) do
    if redis.call('HEXISTS', 'lanchat:names:' .. n, ARGV[i]) == 1 then held = true end
  end
  if held then table.insert(lost, ARGV[i])
  else redis.call('HSET', 'lanchat:names:' .. me, ARGV[i], ARGV[i + 1]) end
end
redis.call('SADD', 'lanchat:nodes', me)
redis.call('SET', 'lanchat:node:' .. me, '1', 'PX', ARGV[2])
redis.call('PEXPIRE', 'lanchat:names:' .. me, ARGV[2])
return lost
)lua";

constexpr char ReleaseScript[] = R"lua(
redis.call('HDEL', 'lanchat:names:' .. ARGV[1], ARGV[2])
return 1
)lua";

QString replyString(const redisReply *reply)
{
    return reply && reply->type == REDIS_REPLY_STRING
        ? QString::fromUtf8(reply->str, qsizetype(reply->len))
        : QString();
}
} // namespace

RedisBus::RedisBus(const QString &host, quint16 port, const QString &node, QObject *parent)
    : Bus(parent)
    , m_publisher(new RedisConnection(host, port, this))
    , m_subscriber(new RedisConnection(host, port, this))
    , m_node(node.toUtf8())
{
    connect(m_subscriber, &RedisConnection::connected, this, &RedisBus::subscribe);
    connect(m_subscriber, &RedisConnection::disconnected, this, [this] { m_subscribed = false; });
    connect(m_publisher, &RedisConnection::connected, this, &RedisBus::holdNamesAgain);
    m_namesRefresh.setInterval(NamesRefreshMs);
    connect(&m_namesRefresh, &QTimer::timeout, this, &RedisBus::refreshNames);
    m_namesRefresh.start();
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

void RedisBus::publishAccounts(const QJsonObject &notice)
{
    QJsonObject object = notice;
    object.insert(QStringLiteral("node"), QString::fromUtf8(m_node));
    m_publisher->command({QByteArrayLiteral("PUBLISH"), QByteArray(AccountsChannel),
                          QJsonDocument(object).toJson(QJsonDocument::Compact)});
}

void RedisBus::script(const char *source, QByteArrayList arguments,
                      std::function<void(const redisReply *)> done)
{
    arguments.prepend(QByteArrayLiteral("0")); // no KEYS: the scripts name their own
    arguments.prepend(QByteArray(source));
    arguments.prepend(QByteArrayLiteral("EVAL"));
    const bool sent = m_publisher->command(arguments, [done](redisReply *reply) {
        if (done)
            done(reply);
    });
    if (!sent && done) {
        // Never from within the call: callers may be in the middle of a request.
        QTimer::singleShot(0, this, [done] { done(nullptr); });
    }
}

void RedisBus::reserveName(const QString &key, const QString &entry, NameCallback done)
{
    script(ReserveScript,
           {m_node, key.toUtf8(), entry.toUtf8(), QByteArray::number(m_nameLifetimeMs)},
           [done](const redisReply *reply) {
               NameAnswer answer; // Unavailable unless Redis answered
               if (reply && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2
                   && reply->element[0]->type == REDIS_REPLY_INTEGER) {
                   answer.result = reply->element[0]->integer == 1 ? NameAnswer::Result::Granted
                                                                   : NameAnswer::Result::Taken;
                   answer.node = replyString(reply->element[1]);
               }
               done(answer);
           });
}

void RedisBus::takeOverName(const QString &key, const QString &tokenHash, const QString &epoch,
                            NameCallback done)
{
    script(TakeOverScript,
           {m_node, key.toUtf8(), tokenHash.toUtf8(), epoch.toUtf8(),
            QByteArray::number(m_nameLifetimeMs)},
           [done](const redisReply *reply) {
               NameAnswer answer;
               if (reply && reply->type == REDIS_REPLY_ARRAY && reply->elements >= 2
                   && reply->element[0]->type == REDIS_REPLY_INTEGER) {
                   const bool granted = reply->element[0]->integer == 1 && reply->elements == 3;
                   answer.result
                       = granted ? NameAnswer::Result::Granted : NameAnswer::Result::Taken;
                   answer.node = replyString(reply->element[1]);
                   if (granted)
                       answer.entry = replyString(reply->element[2]);
               }
               done(answer);
           });
}

void RedisBus::releaseName(const QString &key)
{
    // Not connected: holdNamesAgain() forgets it when the connection is back.
    script(ReleaseScript, {m_node, key.toUtf8()}, {});
}

void RedisBus::refreshNames()
{
    if (m_publisher->isConnected())
        script(RefreshScript, {m_node, QByteArray::number(m_nameLifetimeMs)}, {});
}

void RedisBus::holdNamesAgain()
{
    // Redis may have restarted (and forgotten every name), or dropped ours while
    // we were away: say again which names are ours, in chunks, and hand back
    // those another server took meanwhile.
    const QList<std::pair<QString, QString>> names
        = m_localNames ? m_localNames() : QList<std::pair<QString, QString>> {};
    constexpr qsizetype Chunk = 500;
    for (qsizetype from = 0; from == 0 || from < names.size(); from += Chunk) {
        QByteArrayList arguments {m_node, QByteArray::number(m_nameLifetimeMs),
                                  from == 0 ? QByteArrayLiteral("1") : QByteArrayLiteral("0")};
        for (qsizetype i = from; i < qMin(names.size(), from + Chunk); ++i)
            arguments << names[i].first.toUtf8() << names[i].second.toUtf8();
        script(HoldAgainScript, arguments, [this](const redisReply *reply) {
            if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements == 0)
                return;
            QStringList lost;
            for (size_t i = 0; i < reply->elements; ++i)
                lost.append(replyString(reply->element[i]));
            qCWarning(lcRedis) << lost.size()
                               << "name(s) of ours were taken on another server while we were away";
            emit namesLost(lost);
        });
    }
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

void RedisBus::onAccounts(const QByteArray &payload)
{
    const QJsonObject o = QJsonDocument::fromJson(payload).object();
    const QJsonValue node = o.value(QLatin1String("node"));
    if (!node.isString() || !o.value(QLatin1String("kind")).isString()) {
        ++m_refused;
        return;
    }
    if (node.toString().toUtf8() != m_node)
        emit accountsHeard(o); // the chat core checks the rest
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
    for (const char *channel : {Channel, TypingChannel, PresenceChannel, AccountsChannel}) {
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
                else if (channel == AccountsChannel)
                    onAccounts(bytes);
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
