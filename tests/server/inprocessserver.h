// A ChatServer in the test process on port 0 with a real SQLite file in a
// temporary folder, and the clients that talk to it: the fixture of the
// in-process server tests.
#pragma once

#include "chatserver.h"
#include "sqlitemessagestore.h"
#include "testclient.h"

#include <QJsonObject>
#include <QTemporaryDir>
#include <QUrl>

#include <functional>
#include <memory>

namespace Chat::Test {

class InProcessServer
{
public:
    // A fresh folder and store, the server's default settings, listening.
    bool start();
    // The same store, with settings changed by `change`.
    bool restart(const std::function<void(ServerConfig &)> &change);
    void stop();

    // Connected; identified as `name` and in `room` when given. Null on failure.
    std::unique_ptr<TestClient> client(const QString &name = {}, const QString &room = {}) const;
    // One raw HTTP exchange on a fresh connection: the response as far as its
    // Content-Length says, or what came before the server closed.
    QByteArray httpGet(const QByteArray &request) const;

    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<SqliteMessageStore> store;
    std::unique_ptr<ChatServer> server;
    ServerConfig config;
    QUrl url;
};

inline QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

inline int num(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toInt(-1);
}

} // namespace Chat::Test
