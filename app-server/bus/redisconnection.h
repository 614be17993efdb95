// One connection to Redis through hiredis's asynchronous API, on the event loop:
// hiredis's event hooks drive two QSocketNotifiers (its own Qt adapter uses the
// old SIGNAL() syntax and needs moc on a system header). A dropped connection
// is opened again with backoff (100 ms doubling to 2 s); connected() says when,
// so that subscriptions can be made again.
#pragma once

#include <QByteArrayList>
#include <QObject>
#include <QTimer>

#include <functional>

struct redisAsyncContext;
struct redisReply;
QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

namespace Chat {

class RedisConnection final : public QObject
{
    Q_OBJECT
public:
    RedisConnection(const QString &host, quint16 port, QObject *parent = nullptr);
    ~RedisConnection() override;
    Q_DISABLE_COPY_MOVE(RedisConnection)

    void open();
    bool isConnected() const { return m_connected; }

    // A reply, or null when the connection went away first.
    using ReplyHandler = std::function<void(redisReply *)>;
    // Sends a command; `onReply` runs once (for SUBSCRIBE: for every message
    // until the connection drops). False when not connected.
    bool command(const QByteArrayList &arguments, ReplyHandler onReply = {},
                 bool repeating = false);

signals:
    void connected();
    void disconnected(const QString &why);

private:
    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void onReply(redisAsyncContext *context, void *reply, void *privdata);
    static void addRead(void *privdata);
    static void delRead(void *privdata);
    static void addWrite(void *privdata);
    static void delWrite(void *privdata);
    static void cleanup(void *privdata);
    void lost(const QString &why);

    QString m_host;
    quint16 m_port;
    redisAsyncContext *m_context = nullptr; // hiredis frees it after onDisconnect
    QSocketNotifier *m_read = nullptr;
    QSocketNotifier *m_write = nullptr;
    bool m_connected = false;
    QTimer m_retry;
    int m_backoffMs = 100;
};

} // namespace Chat
