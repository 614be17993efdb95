// chat-server end to end in one process: a real server on port 0, real
// QWebSocket clients, a real SQLite file.
#include "chatserver.h"
#include "logging.h"
#include "requests.h"
#include "sqlitemessagestore.h"
#include "testclient.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Chat;
using Chat::Test::TestClient;

class tst_ChatServer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void welcomeOnConnect();
    void documentsClientFlow();
    void helloThenJoin();
    void nameTakenIgnoringCase();
    void nameFreedOnDisconnect();
    void alreadyIdentified();
    void multiRoomMembership();
    void leaveAnnouncesToOthers();
    void historyOnJoinAndPaging();
    void joinSinceReturnsMissed();
    void joinSinceUnknownIdResets();
    void rejoinRepliesWithoutNoise();
    void roomsListsLiveAndStored();
    void retriedClientIdBroadcastsOnce();
    void badInputGetsErrorAndConnectionStays_data();
    void badInputGetsErrorAndConnectionStays();
    void oversizeMessageClosesWith1009();
    void silentPeerIsDropped();
    void handshakeTimeoutClosesIdleSocket();
    void healthAndNotFound();
    void floodIsCappedThenClosed();
    void failedHandshakesAreForgotten();
    void foreignHostIsRefused();
    void roomsNeedThePassword();
    void webRootServesRegularFilesOnly();

private:
    std::unique_ptr<TestClient> client(const QString &name = {}, const QString &room = {});
    bool restartServer(const std::function<void(ServerConfig &)> &change);
    QByteArray httpGet(const QByteArray &request);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SqliteMessageStore> m_store;
    std::unique_ptr<ChatServer> m_server;
    ServerConfig m_config;
    QUrl m_url;
};

void tst_ChatServer::initTestCase()
{
    applyLogSetting(QStringLiteral("warning"));
}

void tst_ChatServer::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<SqliteMessageStore>(m_dir->filePath(QStringLiteral("chat.sqlite")));
    QVERIFY(m_store->open());
    m_config = ServerConfig {};
    m_config.host = QHostAddress::LocalHost;
    m_config.port = 0;
    m_config.serverName = QStringLiteral("chat-server test");
    restartServer({}); // the defaults; a test that needs other settings restarts it
}

bool tst_ChatServer::restartServer(const std::function<void(ServerConfig &)> &change)
{
    m_server.reset();
    if (change)
        change(m_config);
    m_server = std::make_unique<ChatServer>(m_config, m_store.get());
    m_url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server->serverPort()));
    if (!m_server->listen())
        return false;
    m_url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_server->serverPort()));
    return true;
}

void tst_ChatServer::cleanup()
{
    m_server.reset();
    m_store.reset();
    m_dir.reset();
}

std::unique_ptr<TestClient> tst_ChatServer::client(const QString &name, const QString &room)
{
    auto c = std::make_unique<TestClient>();
    if (!c->connectTo(m_url))
        return nullptr;
    if (!name.isEmpty() && !c->hello(name))
        return nullptr;
    if (!room.isEmpty() && c->join(room).isEmpty())
        return nullptr;
    return c;
}

static QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

static int num(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toInt(-1);
}

void tst_ChatServer::welcomeOnConnect()
{
    TestClient c;
    c.socket().open(m_url);
    const QJsonObject welcome = c.take(QStringLiteral("welcome"));
    QCOMPARE(num(welcome, "protocol"), 1);
    QCOMPARE(str(welcome, "server"), QStringLiteral("chat-server test"));
    QVERIFY(!str(welcome, "message").isEmpty());
    QCOMPARE(welcome.value(QLatin1String("limits"))
                 .toObject()
                 .value(QLatin1String("maxMessageBytes"))
                 .toInt(),
             65536);
}

void tst_ChatServer::documentsClientFlow()
{
    // Exactly what a client of the documents' ws example sends.
    auto a = client();
    auto b = client();
    QVERIFY(a && b);
    a->sendRaw(QStringLiteral(R"({"type":"join","room":"general","username":"Aminah"})"));
    QJsonObject aJoined = a->take(QStringLiteral("user-joined"));
    QCOMPARE(str(aJoined, "username"), QStringLiteral("Aminah"));
    QCOMPARE(num(aJoined, "usersInRoom"), 1);

    b->sendRaw(QStringLiteral(R"({"type":"join","room":"general","username":"Ben"})"));
    const QJsonObject bJoinedSeenByB = b->take(QStringLiteral("user-joined"));
    QCOMPARE(str(bJoinedSeenByB, "username"), QStringLiteral("Ben")); // joiner included
    QCOMPARE(num(bJoinedSeenByB, "usersInRoom"), 2);
    const QJsonObject bJoinedSeenByA = a->take(QStringLiteral("user-joined"));
    QCOMPARE(str(bJoinedSeenByA, "username"), QStringLiteral("Ben"));
    QCOMPARE(num(bJoinedSeenByA, "usersInRoom"), 2);

    a->sendRaw(QStringLiteral(R"({"type":"chat","text":"Hello, Ben!"})"));
    for (TestClient *c : {a.get(), b.get()}) { // sender included
        const QJsonObject m = c->take(QStringLiteral("message"));
        QCOMPARE(str(m, "username"), QStringLiteral("Aminah"));
        QCOMPARE(str(m, "text"), QStringLiteral("Hello, Ben!"));
        QCOMPARE(str(m, "room"), QStringLiteral("general"));
        QCOMPARE(num(m, "id"), 1);
        QVERIFY(parseTimestamp(str(m, "timestamp")));
        QVERIFY(str(m, "timestamp").endsWith(QLatin1Char('Z')));
    }

    b->sendRaw(QStringLiteral(R"({"type":"typing"})"));
    const QJsonObject typing = a->take(QStringLiteral("user-typing"));
    QCOMPARE(str(typing, "username"), QStringLiteral("Ben"));
    QCOMPARE(typing.value(QLatin1String("active")).toBool(), true);
    QVERIFY(b->sync());
    QVERIFY(b->pending(QStringLiteral("user-typing")).isEmpty()); // others only

    b->socket().close();
    const QJsonObject left = a->take(QStringLiteral("user-left"));
    QCOMPARE(str(left, "username"), QStringLiteral("Ben"));
    QCOMPARE(num(left, "usersInRoom"), 1);
}

void tst_ChatServer::helloThenJoin()
{
    auto a = client();
    QVERIFY(a);
    a->send(Requests::hello(QStringLiteral("  Aminah ")));
    const QJsonObject identified = a->take(QStringLiteral("identified"));
    QCOMPARE(str(identified, "username"), QStringLiteral("Aminah"));
    QCOMPARE(str(identified, "session").size(), 32);
    const QJsonObject joined = a->join(QStringLiteral("general"));
    QCOMPARE(str(joined, "room"), QStringLiteral("general"));
    QCOMPARE(joined.value(QLatin1String("users")).toArray(), QJsonArray {QStringLiteral("Aminah")});
    QCOMPARE(joined.value(QLatin1String("history")).toArray().size(), 0);
    QCOMPARE(joined.value(QLatin1String("more")).toBool(), false);
}

void tst_ChatServer::nameTakenIgnoringCase()
{
    auto a = client(QStringLiteral("Aminah"), QStringLiteral("general"));
    auto b = client();
    QVERIFY(a && b);
    b->send(Requests::hello(QStringLiteral("aMINAH")));
    QCOMPARE(str(b->take(QStringLiteral("error")), "code"), QStringLiteral("name-taken"));
    b->sendRaw(QStringLiteral(R"({"type":"join","room":"general","username":"AMINAH"})"));
    QCOMPARE(str(b->take(QStringLiteral("error")), "code"), QStringLiteral("name-taken"));
    QVERIFY(b->hello(QStringLiteral("Ben"))); // and another name works on the same connection
}

void tst_ChatServer::nameFreedOnDisconnect()
{
    auto a = client(QStringLiteral("Aminah"));
    QVERIFY(a);
    a->socket().close();
    QTRY_COMPARE(m_server->connectionCount(), 0);
    auto b = client(QStringLiteral("Aminah"));
    QVERIFY(b);
}

void tst_ChatServer::alreadyIdentified()
{
    auto a = client(QStringLiteral("Aminah"));
    QVERIFY(a);
    a->send(Requests::hello(QStringLiteral("Other")));
    QCOMPARE(str(a->take(QStringLiteral("error")), "code"), QStringLiteral("already-identified"));
    QVERIFY(a->hello(QStringLiteral("aminah"))); // same name again is harmless
}

void tst_ChatServer::multiRoomMembership()
{
    auto a = client(QStringLiteral("Aminah"), QStringLiteral("one"));
    QVERIFY(a);
    QVERIFY(!a->join(QStringLiteral("two")).isEmpty());
    auto b = client(QStringLiteral("Ben"), QStringLiteral("one"));
    QVERIFY(b);

    a->send(Requests::chat(QStringLiteral("two"), QStringLiteral("in two")));
    QCOMPARE(str(a->take(QStringLiteral("message"), 5000, QStringLiteral("two")), "text"),
             QStringLiteral("in two"));
    a->send(Requests::chat(QStringLiteral("one"), QStringLiteral("in one")));
    QCOMPARE(str(b->take(QStringLiteral("message")), "text"), QStringLiteral("in one"));
    QVERIFY(b->pending(QStringLiteral("message")).isEmpty()); // never saw "in two"

    // Without a room, chat goes to the room joined last.
    a->sendRaw(QStringLiteral(R"({"type":"chat","text":"default"})"));
    QCOMPARE(str(a->take(QStringLiteral("message"), 5000, QStringLiteral("two")), "text"),
             QStringLiteral("default"));
    a->send(Requests::leave(QStringLiteral("two")));
    a->sendRaw(QStringLiteral(R"({"type":"chat","text":"now one"})"));
    QCOMPARE(str(b->take(QStringLiteral("message")), "text"), QStringLiteral("now one"));
    QCOMPARE(m_server->roomCount(), 1); // "two" emptied and closed
}

void tst_ChatServer::leaveAnnouncesToOthers()
{
    auto a = client(QStringLiteral("Aminah"), QStringLiteral("general"));
    auto b = client(QStringLiteral("Ben"), QStringLiteral("general"));
    QVERIFY(a && b);
    b->send(Requests::leave(QStringLiteral("general")));
    const QJsonObject left = a->take(QStringLiteral("user-left"));
    QCOMPARE(str(left, "username"), QStringLiteral("Ben"));
    QCOMPARE(num(left, "usersInRoom"), 1);
    b->send(
        Requests::chat(QStringLiteral("general"), QStringLiteral("ghost"), QStringLiteral("g1")));
    const QJsonObject error = b->take(QStringLiteral("error"));
    QCOMPARE(str(error, "code"), QStringLiteral("not-in-room"));
    QCOMPARE(str(error, "ref"), QStringLiteral("g1"));
    b->send(Requests::leave(QStringLiteral("general")));
    QCOMPARE(str(b->take(QStringLiteral("error")), "code"), QStringLiteral("not-in-room"));
}

void tst_ChatServer::historyOnJoinAndPaging()
{
    // Posts 60 at once: about paging, not flood control.
    QVERIFY(restartServer([](ServerConfig &c) { c.limits.ratePerSecond = 0; }));
    auto a = client(QStringLiteral("Aminah"), QStringLiteral("general"));
    QVERIFY(a);
    for (int i = 1; i <= 60; ++i)
        a->send(Requests::chat(QStringLiteral("general"), QStringLiteral("m%1").arg(i)));
    for (int i = 1; i <= 60; ++i)
        QVERIFY(!a->take(QStringLiteral("message")).isEmpty());

    auto b = client(QStringLiteral("Ben"));
    QVERIFY(b);
    const QJsonObject joined = b->join(QStringLiteral("general"));
    const QJsonArray history = joined.value(QLatin1String("history")).toArray();
    QCOMPARE(history.size(), 50);
    QCOMPARE(history.first().toObject().value(QLatin1String("id")).toInt(), 11);
    QCOMPARE(history.last().toObject().value(QLatin1String("text")).toString(),
             QStringLiteral("m60"));
    QCOMPARE(joined.value(QLatin1String("more")).toBool(), true);
    QCOMPARE(joined.value(QLatin1String("users")).toArray().size(), 2);

    b->send(Requests::history(QStringLiteral("general"), 11, 7));
    QJsonObject page = b->take(QStringLiteral("history"));
    QJsonArray messages = page.value(QLatin1String("messages")).toArray();
    QCOMPARE(messages.size(), 7);
    QCOMPARE(messages.first().toObject().value(QLatin1String("id")).toInt(), 4);
    QCOMPARE(messages.last().toObject().value(QLatin1String("id")).toInt(), 10);
    QCOMPARE(page.value(QLatin1String("more")).toBool(), true);
    b->send(Requests::history(QStringLiteral("general"), 4, 50));
    page = b->take(QStringLiteral("history"));
    QCOMPARE(page.value(QLatin1String("messages")).toArray().size(), 3);
    QCOMPARE(page.value(QLatin1String("more")).toBool(), false);
}

void tst_ChatServer::joinSinceReturnsMissed()
{
    auto a = client(QStringLiteral("Aminah"), QStringLiteral("general"));
    QVERIFY(a);
    for (int i = 1; i <= 10; ++i)
        a->send(Requests::chat(QStringLiteral("general"), QStringLiteral("m%1").arg(i)));
    for (int i = 1; i <= 10; ++i)
        QVERIFY(!a->take(QStringLiteral("message")).isEmpty());
    auto b = client(QStringLiteral("Ben"));
    QVERIFY(b);
    const QJsonObject joined = b->join(QStringLiteral("general"), 7);
    const QJsonArray history = joined.value(QLatin1String("history")).toArray();
    QCOMPARE(history.size(), 3);
    QCOMPARE(history.at(0).toObject().value(QLatin1String("id")).toInt(), 8);
    QCOMPARE(history.at(2).toObject().value(QLatin1String("id")).toInt(), 10);
    QCOMPARE(joined.value(QLatin1String("more")).toBool(), false);
    QVERIFY(!joined.contains(QLatin1String("reset")));
}

void tst_ChatServer::joinSinceUnknownIdResets()
{
    auto a = client(QStringLiteral("Aminah"), QStringLiteral("general"));
    QVERIFY(a);
    a->send(Requests::chat(QStringLiteral("general"), QStringLiteral("only")));
    QVERIFY(!a->take(QStringLiteral("message")).isEmpty());
    auto b = client(QStringLiteral("Ben"));
    QVERIFY(b);
    // An id the server never gave (another database): reload, not a silent gap.
    const QJsonObject joined = b->join(QStringLiteral("general"), 999);
    QCOMPARE(joined.value(QLatin1String("reset")).toBool(), true);
    QCOMPARE(joined.value(QLatin1String("history")).toArray().size(), 1);
}

void tst_ChatServer::rejoinRepliesWithoutNoise()
{
    auto a = client(QStringLiteral("Aminah"), QStringLiteral("general"));
    auto b = client(QStringLiteral("Ben"), QStringLiteral("general"));
    QVERIFY(a && b);
    QVERIFY(!a->take(QStringLiteral("user-joined")).isEmpty()); // Aminah
    QVERIFY(!a->take(QStringLiteral("user-joined")).isEmpty()); // Ben
    const QJsonObject again = b->join(QStringLiteral("general"));
    QCOMPARE(again.value(QLatin1String("users")).toArray().size(), 2);
    QVERIFY(a->sync());
    QVERIFY(a->pending(QStringLiteral("user-joined")).isEmpty());
}

void tst_ChatServer::roomsListsLiveAndStored()
{
    auto a = client(QStringLiteral("Aminah"), QStringLiteral("live"));
    QVERIFY(a);
    a->send(Requests::chat(QStringLiteral("live"), QStringLiteral("x")));
    QVERIFY(!a->take(QStringLiteral("message")).isEmpty());
    QVERIFY(!a->join(QStringLiteral("quiet")).isEmpty());
    a->send(Requests::chat(QStringLiteral("quiet"), QStringLiteral("x")));
    QVERIFY(!a->take(QStringLiteral("message")).isEmpty());
    a->send(Requests::leave(QStringLiteral("quiet")));
    auto b = client();
    QVERIFY(b);
    b->send(Requests::rooms()); // works before identifying
    const QJsonArray rooms
        = b->take(QStringLiteral("rooms")).value(QLatin1String("rooms")).toArray();
    QCOMPARE(rooms.size(), 2);
    QCOMPARE(rooms.at(0).toObject().value(QLatin1String("name")).toString(),
             QStringLiteral("live"));
    QCOMPARE(rooms.at(0).toObject().value(QLatin1String("usersInRoom")).toInt(), 1);
    QCOMPARE(rooms.at(1).toObject().value(QLatin1String("name")).toString(),
             QStringLiteral("quiet"));
    QCOMPARE(rooms.at(1).toObject().value(QLatin1String("usersInRoom")).toInt(), 0);
}

void tst_ChatServer::retriedClientIdBroadcastsOnce()
{
    auto a = client(QStringLiteral("Aminah"), QStringLiteral("general"));
    auto b = client(QStringLiteral("Ben"), QStringLiteral("general"));
    QVERIFY(a && b);
    a->send(
        Requests::chat(QStringLiteral("general"), QStringLiteral("once"), QStringLiteral("cid-1")));
    const QJsonObject first = a->take(QStringLiteral("message"));
    QCOMPARE(str(first, "clientId"), QStringLiteral("cid-1"));
    QVERIFY(!b->take(QStringLiteral("message")).isEmpty());
    a->send(
        Requests::chat(QStringLiteral("general"), QStringLiteral("once"), QStringLiteral("cid-1")));
    const QJsonObject retry = a->take(QStringLiteral("message"));
    QCOMPARE(retry, first); // same id, same timestamp
    QVERIFY(b->sync());
    QVERIFY(b->pending(QStringLiteral("message")).isEmpty());
}

void tst_ChatServer::badInputGetsErrorAndConnectionStays_data()
{
    QTest::addColumn<QString>("setup"); // "", "hello" or "join"
    QTest::addColumn<QString>("frame");
    QTest::addColumn<QString>("code");
    QTest::addRow("non-json") << "join"
                              << "{{{"
                              << "invalid-json";
    QTest::addRow("array") << "join"
                           << "[1]"
                           << "invalid-json";
    QTest::addRow("no type") << "join"
                             << R"({"text":"x"})"
                             << "bad-field";
    QTest::addRow("type wrong kind") << "join"
                                     << R"({"type":["chat"]})"
                                     << "bad-field";
    QTest::addRow("unknown type") << "join"
                                  << R"({"type":"explode"})"
                                  << "unknown-type";
    QTest::addRow("text wrong kind") << "join"
                                     << R"({"type":"chat","text":{"a":1}})"
                                     << "bad-field";
    QTest::addRow("chat before join") << ""
                                      << R"({"type":"chat","text":"early"})"
                                      << "not-identified";
    QTest::addRow("chat identified, no room") << "hello"
                                              << R"({"type":"chat","text":"early"})"
                                              << "not-in-room";
    QTest::addRow("join without name") << ""
                                       << R"({"type":"join","room":"general"})"
                                       << "not-identified";
    QTest::addRow("empty text") << "join"
                                << R"({"type":"chat","text":""})"
                                << "bad-field";
    QTest::addRow("oversize text") << "join"
                                   << (QStringLiteral(R"({"type":"chat","text":")")
                                       + QString(4001, QLatin1Char('x')) + QStringLiteral("\"}"))
                                   << "too-long";
    QTest::addRow("bad room") << "hello"
                              << R"({"type":"join","room":"two words"})"
                              << "bad-room";
    QTest::addRow("bad room in chat") << "join"
                                      << R"({"type":"chat","text":"x","room":"a\nb"})"
                                      << "bad-room";
    QTest::addRow("bad username") << ""
                                  << R"({"type":"hello","username":"\u0000"})"
                                  << "bad-username";
    QTest::addRow("long username") << ""
                                   << (QStringLiteral(R"({"type":"hello","username":")")
                                       + QString(40, QLatin1Char('n')) + QStringLiteral("\"}"))
                                   << "bad-username";
    QTest::addRow("name taken") << ""
                                << R"({"type":"hello","username":"WITNESS"})"
                                << "name-taken";
    QTest::addRow("history not member") << "hello"
                                        << R"({"type":"history","room":"general"})"
                                        << "not-in-room";
    QTest::addRow("typing not member") << "hello"
                                       << R"({"type":"typing","room":"elsewhere"})"
                                       << "not-in-room";
}

void tst_ChatServer::badInputGetsErrorAndConnectionStays()
{
    QFETCH(QString, setup);
    QFETCH(QString, frame);
    QFETCH(QString, code);
    // A bystander who keeps chatting throughout.
    auto witness = client(QStringLiteral("Witness"), QStringLiteral("general"));
    QVERIFY(witness);
    auto bad = client(setup.isEmpty() ? QString() : QStringLiteral("Mallory"),
                      setup == QLatin1String("join") ? QStringLiteral("general") : QString());
    QVERIFY(bad);
    bad->sendRaw(frame);
    const QJsonObject error = bad->take(QStringLiteral("error"));
    QCOMPARE(str(error, "code"), code);
    QVERIFY(!str(error, "message").isEmpty());
    // Still usable: the offender gets answers, the bystander keeps chatting.
    bad->send(Requests::rooms());
    QVERIFY(!bad->take(QStringLiteral("rooms")).isEmpty());
    QVERIFY(bad->isOpen());
    witness->send(Requests::chat(QStringLiteral("general"), QStringLiteral("still here")));
    QCOMPARE(str(witness->take(QStringLiteral("message")), "text"), QStringLiteral("still here"));
}

void tst_ChatServer::oversizeMessageClosesWith1009()
{
    auto witness = client(QStringLiteral("Witness"), QStringLiteral("general"));
    auto bad = client(QStringLiteral("Mallory"), QStringLiteral("general"));
    QVERIFY(witness && bad);
    bad->sendRaw(QString(70 * 1024, QLatin1Char('x')));
    QVERIFY(bad->waitClosed());
    QCOMPARE(bad->closeCode(), 1009);
    const QJsonObject left = witness->take(QStringLiteral("user-left"));
    QCOMPARE(str(left, "username"), QStringLiteral("Mallory"));
    witness->send(Requests::chat(QStringLiteral("general"), QStringLiteral("fine")));
    QCOMPARE(str(witness->take(QStringLiteral("message")), "text"), QStringLiteral("fine"));
    // Binary frames are refused but do not close the connection.
    witness->sendBinary(QByteArray("\x00\x01", 2));
    QCOMPARE(str(witness->take(QStringLiteral("error")), "code"),
             QStringLiteral("binary-unsupported"));
    QVERIFY(witness->isOpen());
}

void tst_ChatServer::silentPeerIsDropped()
{
    QVERIFY(restartServer([](ServerConfig &c) {
        c.pingIntervalMs = 100;
        c.idleTimeoutMs = 400;
    }));
    // A raw TCP peer that completes the handshake and then never answers a ping.
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(raw.waitForConnected(5000));
    raw.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QTRY_COMPARE(m_server->connectionCount(), 1);
    auto alive = client(QStringLiteral("Alive")); // answers pings: stays
    QVERIFY(alive);
    QTRY_COMPARE_WITH_TIMEOUT(raw.state(), QAbstractSocket::UnconnectedState, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 1, 5000);
    QVERIFY(alive->isOpen());
    QTest::qWait(600);
    QVERIFY(alive->isOpen());
}

void tst_ChatServer::handshakeTimeoutClosesIdleSocket()
{
    QVERIFY(restartServer([](ServerConfig &c) { c.handshakeTimeoutMs = 300; }));
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(raw.waitForConnected(5000));
    raw.write("GET / HTTP/1.1\r\nHost: x\r\n"); // never finishes the head
    QTRY_COMPARE_WITH_TIMEOUT(raw.state(), QAbstractSocket::UnconnectedState, 5000);
    auto fine = client(QStringLiteral("Fine"));
    QVERIFY(fine);
}

QByteArray tst_ChatServer::httpGet(const QByteArray &request)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(request);
    QByteArray response;
    QDeadlineTimer deadline(5000);
    while (!deadline.hasExpired()) {
        QTest::qWait(10);
        response += socket.readAll();
        const qsizetype headEnd = response.indexOf("\r\n\r\n");
        if (headEnd < 0)
            continue;
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

void tst_ChatServer::healthAndNotFound()
{
    auto a = client(QStringLiteral("Aminah"), QStringLiteral("general"));
    QVERIFY(a);
    const QByteArray health = httpGet("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QVERIFY2(health.startsWith("HTTP/1.1 200"), health.constData());
    QVERIFY(health.toLower().contains("content-type: application/json"));
    const QJsonObject body
        = QJsonDocument::fromJson(health.mid(health.indexOf("\r\n\r\n") + 4)).object();
    QCOMPARE(str(body, "status"), QStringLiteral("ok"));
    QCOMPARE(num(body, "connections"), 1);
    QCOMPARE(num(body, "directLinks"), 1); // plain ws://: framed by chat-server itself
    QCOMPARE(num(body, "rooms"), 1);
    QVERIFY(body.value(QLatin1String("uptime")).toDouble() >= 0);
    const QByteArray missing = httpGet("GET /no/such/page HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QVERIFY2(missing.startsWith("HTTP/1.1 404"), missing.constData());
    QVERIFY(missing.contains("Not found"));
    // WebSocket clients were not disturbed by the HTTP traffic.
    a->send(Requests::chat(QStringLiteral("general"), QStringLiteral("after http")));
    QCOMPARE(str(a->take(QStringLiteral("message")), "text"), QStringLiteral("after http"));
}

void tst_ChatServer::floodIsCappedThenClosed()
{
    auto witness = client(QStringLiteral("Witness"), QStringLiteral("general"));
    auto flooder = client(QStringLiteral("Flooder"), QStringLiteral("general"));
    QVERIFY(witness && flooder);
    // 30 at once: the burst (20) goes through, the rest (less what refills meanwhile)
    // is refused, each with an error naming it. Every one gets exactly one answer.
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 30; ++i)
        flooder->send(Requests::chat(QStringLiteral("general"), QStringLiteral("spam %1").arg(i),
                                     QStringLiteral("s%1").arg(i)));
    QStringList accepted;
    QSet<QString> refused;
    QTRY_VERIFY([&] {
        for (QJsonObject m; !(m = flooder->take(QStringLiteral("message"), 0)).isEmpty();)
            accepted.append(str(m, "clientId"));
        for (QJsonObject e; !(e = flooder->take(QStringLiteral("error"), 0)).isEmpty();) {
            if (str(e, "code") == QLatin1String("rate-limited"))
                refused.insert(str(e, "ref"));
        }
        return accepted.size() + refused.size() == 30;
    }());
    const qint64 elapsedMs = clock.elapsed();
    for (int i = 0; i < 20; ++i) // the burst, in order
        QCOMPARE(accepted.value(i), QStringLiteral("s%1").arg(i));
    for (const QString &id : std::as_const(accepted))
        QVERIFY2(!refused.contains(id), qPrintable(id));
    // Beyond the burst only what the rate (10/s) refilled while they arrived.
    QVERIFY2(
        accepted.size() <= 20 + 1 + elapsedMs * 10 / 1000,
        qPrintable(QStringLiteral("%1 accepted in %2 ms").arg(accepted.size()).arg(elapsedMs)));
    // The witness got exactly the accepted ones, in the same order.
    QStringList delivered;
    while (delivered.size() < accepted.size()) {
        const QJsonObject m = witness->take(QStringLiteral("message"));
        QVERIFY(!m.isEmpty());
        delivered.append(str(m, "clientId"));
    }
    QCOMPARE(delivered, accepted);
    // The others keep chatting meanwhile.
    witness->send(Requests::chat(QStringLiteral("general"), QStringLiteral("still fine")));
    QCOMPARE(str(witness->take(QStringLiteral("message")), "text"), QStringLiteral("still fine"));
    // A client that keeps flooding is closed with 1008.
    for (int i = 0; i < 200 && flooder->isOpen(); ++i)
        flooder->send(Requests::chat(QStringLiteral("general"), QStringLiteral("more spam")));
    QVERIFY(flooder->waitClosed());
    QCOMPARE(flooder->closeCode(), 1008);
    QCOMPARE(str(witness->take(QStringLiteral("user-left")), "username"),
             QStringLiteral("Flooder"));
    // Typing floods are dropped quietly, without errors.
    auto typist = client(QStringLiteral("Typist"), QStringLiteral("general"));
    QVERIFY(typist);
    witness->clear();
    QElapsedTimer typingClock;
    typingClock.start();
    for (int i = 0; i < 50; ++i)
        typist->send(Requests::typing(QStringLiteral("general"), true));
    // A chat after them: once the witness has it, every typing event was handled.
    typist->send(Requests::chat(QStringLiteral("general"), QStringLiteral("marker")));
    QCOMPARE(str(witness->take(QStringLiteral("message")), "text"), QStringLiteral("marker"));
    const qint64 typingMs = typingClock.elapsed();
    const int typingSeen = int(witness->pending(QStringLiteral("user-typing")).size());
    // The burst (5), plus what 2/s refilled meanwhile.
    QVERIFY2(typingSeen >= 5 && typingSeen <= 5 + 1 + typingMs * 2 / 1000,
             qPrintable(QStringLiteral("%1 in %2 ms").arg(typingSeen).arg(typingMs)));
    QVERIFY(typist->pending(QStringLiteral("error")).isEmpty());
    QVERIFY(typist->isOpen());
}

void tst_ChatServer::failedHandshakesAreForgotten()
{
    // Upgrade requests Qt refuses (no Sec-WebSocket-Key): each socket is deleted,
    // and so is what the server kept of it. It kept them all before (RSS grew
    // linearly: 80,000 requests took 20.6 MB to 30.1 MB).
    constexpr int Requests = 200;
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (int i = 0; i < Requests; ++i) {
        auto raw = std::make_unique<QTcpSocket>();
        raw->connectToHost(QHostAddress::LocalHost, m_server->serverPort());
        QVERIFY(raw->waitForConnected(5000));
        raw->write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
        sockets.push_back(std::move(raw));
    }
    for (auto &raw : sockets)
        QTRY_COMPARE_WITH_TIMEOUT(raw->state(), QAbstractSocket::UnconnectedState, 10000);
    QTRY_COMPARE(num(m_server->health(), "sockets"), 0);
    QTRY_COMPARE(num(m_server->health(), "upgrading"), 0);
    QCOMPARE(m_server->connectionCount(), 0);
    // A good handshake still works, and leaves nothing behind either.
    auto a = client(QStringLiteral("Aminah"));
    QVERIFY(a);
    QCOMPARE(num(m_server->health(), "upgrading"), 0);
}

void tst_ChatServer::foreignHostIsRefused()
{
    // DNS rebinding: a page on evil.example whose name now points here. The
    // browser sends Host and Origin of that name; both match, and got 101 before.
    const QByteArray upgrade = "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                               "Sec-WebSocket-Version: 13\r\n";
    const QByteArray rebound = httpGet(upgrade
                                       + "Host: evil.example:8080\r\n"
                                         "Origin: http://evil.example:8080\r\n\r\n");
    QVERIFY2(rebound.startsWith("HTTP/1.1 421"), rebound.constData());
    const QByteArray page = httpGet("GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n");
    QVERIFY2(page.startsWith("HTTP/1.1 421"), page.constData());
    const QByteArray own = httpGet(upgrade
                                   + "Host: 127.0.0.1:8080\r\n"
                                     "Origin: http://127.0.0.1:8080\r\n\r\n");
    QVERIFY2(own.startsWith("HTTP/1.1 101"), own.constData());
    // A name the operator allows.
    QVERIFY(restartServer([](ServerConfig &c) {
        c.allowedHosts = QStringList {QStringLiteral("chat.example.org")};
    }));
    const QByteArray allowed = httpGet(upgrade
                                       + "Host: chat.example.org\r\n"
                                         "Origin: http://chat.example.org\r\n\r\n");
    QVERIFY2(allowed.startsWith("HTTP/1.1 101"), allowed.constData());
}

void tst_ChatServer::roomsNeedThePassword()
{
    QVERIFY(restartServer([](ServerConfig &c) { c.access.token = QStringLiteral("s3cret"); }));
    TestClient member;
    QVERIFY(member.connectTo(m_url));
    member.send(Requests::hello(QStringLiteral("Member"), QStringLiteral("s3cret")));
    QVERIFY(!member.take(QStringLiteral("identified")).isEmpty());
    QVERIFY(!member.join(QStringLiteral("secret-plans")).isEmpty());

    TestClient stranger;
    QVERIFY(stranger.connectTo(m_url));
    stranger.send(Requests::rooms());
    const QJsonObject error = stranger.take(QStringLiteral("error"));
    QCOMPARE(str(error, "code"), QStringLiteral("not-identified"));
    QVERIFY(stranger.pending(QStringLiteral("rooms")).isEmpty());
    stranger.send(Requests::hello(QStringLiteral("Stranger"), QStringLiteral("s3cret")));
    QVERIFY(!stranger.take(QStringLiteral("identified")).isEmpty());
    stranger.send(Requests::rooms());
    const QJsonObject rooms = stranger.take(QStringLiteral("rooms"));
    QCOMPARE(rooms.value(QLatin1String("rooms")).toArray().size(), 1);
}

void tst_ChatServer::webRootServesRegularFilesOnly()
{
    QTemporaryDir outside;
    QFile secret(outside.filePath(QStringLiteral("secret.txt")));
    QVERIFY(secret.open(QIODevice::WriteOnly) && secret.write("not for the web") > 0);
    secret.close();
    const QString root = m_dir->filePath(QStringLiteral("web"));
    QVERIFY(QDir().mkpath(root));
    QFile index(root + QStringLiteral("/index.html"));
    QVERIFY(index.open(QIODevice::WriteOnly) && index.write("<p>hello</p>") > 0);
    index.close();
    QVERIFY(QFile::link(secret.fileName(), root + QStringLiteral("/link.html")));
    QCOMPARE(::mkfifo(QFile::encodeName(root + QStringLiteral("/fifo.html")).constData(), 0600), 0);
    QVERIFY(restartServer([&root](ServerConfig &c) { c.webRoot = root; }));

    const QByteArray page = httpGet("GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QVERIFY2(page.startsWith("HTTP/1.1 200") && page.endsWith("<p>hello</p>"), page.constData());
    const QByteArray link = httpGet("GET /link.html HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QVERIFY2(link.startsWith("HTTP/1.1 404") && !link.contains("not for the web"),
             link.constData());
    // A FIFO would block the server's only thread on open() or read().
    const QByteArray fifo = httpGet("GET /fifo.html HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QVERIFY2(fifo.startsWith("HTTP/1.1 404"), fifo.constData());
    auto a = client(QStringLiteral("Aminah")); // and the server still answers
    QVERIFY(a);
}

QTEST_GUILESS_MAIN(tst_ChatServer)
#include "tst_chatserver.moc"
