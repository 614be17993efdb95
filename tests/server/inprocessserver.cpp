// The in-process server fixture.
#include "inprocessserver.h"

#include <QDeadlineTimer>
#include <QTcpSocket>
#include <QTest>

namespace Chat::Test {

bool InProcessServer::start()
{
    dir = std::make_unique<QTemporaryDir>();
    store = std::make_unique<SqliteMessageStore>(dir->filePath(QStringLiteral("chat.sqlite")));
    if (!store->open())
        return false;
    config = ServerConfig {};
    config.host = QHostAddress::LocalHost;
    config.port = 0;
    config.serverName = QStringLiteral("chat-server test");
    return restart({});
}

bool InProcessServer::restart(const std::function<void(ServerConfig &)> &change)
{
    server.reset();
    if (change)
        change(config);
    server = std::make_unique<ChatServer>(config, store.get());
    if (!server->listen())
        return false;
    url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server->serverPort()));
    return true;
}

void InProcessServer::stop()
{
    server.reset();
    store.reset();
    dir.reset();
}

std::unique_ptr<TestClient> InProcessServer::client(const QString &name, const QString &room) const
{
    auto c = std::make_unique<TestClient>();
    if (!c->connectTo(url))
        return nullptr;
    if (!name.isEmpty() && !c->hello(name))
        return nullptr;
    if (!room.isEmpty() && c->join(room).isEmpty())
        return nullptr;
    return c;
}

QByteArray InProcessServer::httpGet(const QByteArray &request) const
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, server->serverPort());
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(request);
    QByteArray response;
    QDeadlineTimer deadline(5000);
    while (!deadline.hasExpired()) {
        QTest::qWait(10);
        response += socket.readAll();
        const qsizetype headEnd = response.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            if (socket.state() == QAbstractSocket::UnconnectedState)
                break;
            continue;
        }
        const qsizetype lengthAt = response.toLower().indexOf("content-length:");
        if (lengthAt < 0 || lengthAt > headEnd)
            break;
        const qsizetype lineEnd = response.indexOf("\r\n", lengthAt);
        const int length = response.mid(lengthAt + 15, lineEnd - lengthAt - 15).trimmed().toInt();
        if (response.size() >= headEnd + 4 + length)
            break;
    }
    return response;
}

} // namespace Chat::Test
