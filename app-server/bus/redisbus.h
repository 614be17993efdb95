// The bus between servers on Redis pub/sub (--bus redis://HOST[:PORT]): each
// committed message is delivered here at once and published on one channel;
// every server subscribed to it delivers what the others committed as soon as
// it arrives. Redis loses what is published while a subscriber is away, so it
// is never trusted for completeness: the rooms deliver in id order and fill
// gaps from the store (StoreFollower); Redis only makes delivery sooner.
#pragma once

#include "bus.h"

#include <QTimer>

struct redisReply;

namespace Chat {

class RedisConnection;

class RedisBus final : public Bus
{
    Q_OBJECT
public:
    // `node`: this server's id (--node-id), unique among those on the bus.
    RedisBus(const QString &host, quint16 port, const QString &node, QObject *parent = nullptr);
    ~RedisBus() override;
    Q_DISABLE_COPY_MOVE(RedisBus)

    void publish(const ChatMessage &message) override;
    void publishTyping(const QString &room, const QString &username, bool active) override;
    void publishPresence(const QJsonObject &state) override;
    void publishAccounts(const QJsonObject &notice) override;

    bool sharesNames() const override { return true; }
    void reserveName(const QString &key, const QString &entry, NameCallback done) override;
    void takeOverName(const QString &key, const QString &tokenHash, const QString &epoch,
                      NameCallback done) override;
    void releaseName(const QString &key) override;
    void setLocalNames(LocalNames names) override { m_localNames = std::move(names); }
    // How long this server's names outlive its last word to Redis (the resume
    // grace period): a server killed or cut off loses them after that.
    void setNameLifetime(int ms) { m_nameLifetimeMs = ms; }
    // Both connections (publishing, subscribed) are up.
    bool isUp() const;
    qint64 receivedCount() const { return m_received; } // from the channel, own included
    qint64 refusedCount() const { return m_refused; } // payloads that did not parse

    static constexpr const char *Channel = "lanchat:messages";
    static constexpr const char *TypingChannel = "lanchat:typing";
    static constexpr const char *PresenceChannel = "lanchat:presence";
    static constexpr const char *AccountsChannel = "lanchat:accounts";

private:
    void subscribe();
    // Runs one of the names scripts; `done` gets the reply (null: no answer).
    void script(const char *source, QByteArrayList arguments,
                std::function<void(const ::redisReply *)> done);
    void refreshNames();
    void holdNamesAgain();
    void onMessage(const QByteArray &payload);
    void onTyping(const QByteArray &payload);
    void onPresence(const QByteArray &payload);
    void onAccounts(const QByteArray &payload);

    RedisConnection *m_publisher;
    RedisConnection *m_subscriber;
    bool m_subscribed = false;
    QByteArray m_node; // this server's id, to skip its own typing
    LocalNames m_localNames;
    int m_nameLifetimeMs = 30000;
    QTimer m_namesRefresh;
    qint64 m_received = 0;
    qint64 m_refused = 0;
};

} // namespace Chat
