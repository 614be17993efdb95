// hiredis on QSocketNotifier.
#include "redisconnection.h"

#include <QLoggingCategory>
#include <QSocketNotifier>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

Q_LOGGING_CATEGORY(lcRedis, "chat.server.bus", QtInfoMsg)

namespace Chat {

namespace {
struct Pending
{
    RedisConnection::ReplyHandler handler;
    bool repeating = false;
};
} // namespace

RedisConnection::RedisConnection(const QString &host, quint16 port, QObject *parent)
    : QObject(parent), m_host(host), m_port(port)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &RedisConnection::open);
}

RedisConnection::~RedisConnection()
{
    m_retry.stop();
    if (m_context) {
        redisAsyncContext *context = std::exchange(m_context, nullptr);
        context->data = nullptr; // its callbacks find no connection any more
        context->ev.data = nullptr; // nor its event hooks
        redisAsyncFree(context); // replies still owed get null
    }
    delete m_read;
    delete m_write;
}

void RedisConnection::open()
{
    if (m_context)
        return;
    redisAsyncContext *context = redisAsyncConnect(m_host.toUtf8().constData(), m_port);
    if (!context || context->err) {
        const QString why
            = context ? QString::fromUtf8(context->errstr) : QStringLiteral("out of memory");
        if (context)
            redisAsyncFree(context);
        lost(why);
        return;
    }
    m_context = context;
    context->data = this;
    context->ev.data = this;
    context->ev.addRead = &RedisConnection::addRead;
    context->ev.delRead = &RedisConnection::delRead;
    context->ev.addWrite = &RedisConnection::addWrite;
    context->ev.delWrite = &RedisConnection::delWrite;
    context->ev.cleanup = &RedisConnection::cleanup;
    const int fd = context->c.fd;
    m_read = new QSocketNotifier(fd, QSocketNotifier::Read);
    m_read->setEnabled(false);
    connect(m_read, &QSocketNotifier::activated, this, [this] {
        if (m_context)
            redisAsyncHandleRead(m_context);
    });
    m_write = new QSocketNotifier(fd, QSocketNotifier::Write);
    m_write->setEnabled(false);
    connect(m_write, &QSocketNotifier::activated, this, [this] {
        if (m_context)
            redisAsyncHandleWrite(m_context);
    });
    redisAsyncSetConnectCallback(context, &RedisConnection::onConnect);
    redisAsyncSetDisconnectCallback(context, &RedisConnection::onDisconnect);
}

void RedisConnection::lost(const QString &why)
{
    const bool was = m_connected;
    m_connected = false;
    if (was)
        qCWarning(lcRedis).noquote() << "Redis" << m_host << m_port << "lost:" << why;
    emit disconnected(why);
    m_retry.start(m_backoffMs);
    m_backoffMs = qMin(m_backoffMs * 2, 2000);
}

void RedisConnection::onConnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self)
        return;
    if (status != REDIS_OK) {
        // hiredis frees the context after this callback.
        self->m_context = nullptr;
        self->lost(QString::fromUtf8(context->errstr));
        return;
    }
    self->m_connected = true;
    self->m_backoffMs = 100;
    qCInfo(lcRedis).noquote() << "Redis" << self->m_host << self->m_port << "connected";
    emit self->connected();
}

void RedisConnection::onDisconnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self)
        return;
    self->m_context = nullptr; // freed by hiredis when this returns
    self->lost(status == REDIS_OK ? QStringLiteral("closed") : QString::fromUtf8(context->errstr));
}

bool RedisConnection::command(const QByteArrayList &arguments, ReplyHandler onReply, bool repeating)
{
    if (!m_context || !m_connected)
        return false;
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const QByteArray &a : arguments) {
        argv.push_back(a.constData());
        lengths.push_back(size_t(a.size()));
    }
    auto *pending = new Pending {std::move(onReply), repeating};
    if (redisAsyncCommandArgv(m_context, &RedisConnection::onReply, pending, int(argv.size()),
                              argv.data(), lengths.data())
        != REDIS_OK) {
        delete pending;
        return false;
    }
    return true;
}

void RedisConnection::onReply(redisAsyncContext *context, void *reply, void *privdata)
{
    auto *pending = static_cast<Pending *>(privdata);
    // A subscription's callback stays until the connection goes (reply null then).
    if (pending->handler && context->data)
        pending->handler(static_cast<redisReply *>(reply));
    if (!pending->repeating || !reply)
        delete pending;
}

namespace {
void enable(QSocketNotifier *notifier, bool on)
{
    if (notifier)
        notifier->setEnabled(on);
}
} // namespace

// The hooks get the connection, or null once it is being destroyed.
void RedisConnection::addRead(void *privdata)
{
    if (auto *self = static_cast<RedisConnection *>(privdata))
        enable(self->m_read, true);
}

void RedisConnection::delRead(void *privdata)
{
    if (auto *self = static_cast<RedisConnection *>(privdata))
        enable(self->m_read, false);
}

void RedisConnection::addWrite(void *privdata)
{
    if (auto *self = static_cast<RedisConnection *>(privdata))
        enable(self->m_write, true);
}

void RedisConnection::delWrite(void *privdata)
{
    if (auto *self = static_cast<RedisConnection *>(privdata))
        enable(self->m_write, false);
}

void RedisConnection::cleanup(void *privdata)
{
    // The context is going: its descriptor will be closed. The notifiers go
    // later, since one of them may be the caller.
    auto *self = static_cast<RedisConnection *>(privdata);
    if (!self)
        return; // the destructor deletes them
    for (QSocketNotifier *n :
         {std::exchange(self->m_read, nullptr), std::exchange(self->m_write, nullptr)}) {
        if (n) {
            n->setEnabled(false);
            n->deleteLater();
        }
    }
}

} // namespace Chat
