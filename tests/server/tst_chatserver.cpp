// chat-server end to end in one process: a real server on port 0, real
// QWebSocket clients, a real SQLite file.
#include "chatserver.h"
#include "inprocessserver.h"
#include "logging.h"
#include "requests.h"
#include "testclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Chat;
using Chat::Test::InProcessServer;
using Chat::Test::num;
using Chat::Test::str;
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
    void presenceBatchedForClientsThatAsk();
    void renameIsOnePresence();
    void historyOnJoinAndPaging();
    void joinSinceReturnsMissed();
    void joinSinceUnknownIdResets();
    void rejoinRepliesWithoutNoise();
    void roomsListsLiveAndStored();
    void retriedClientIdBroadcastsOnce();
    void badInputGetsErrorAndConnectionStays_data();
    void badInputGetsErrorAndConnectionStays();
    void oversizeMessageClosesWith1009();

private:
    std::unique_ptr<TestClient> client(const QString &name = {}, const QString &room = {}) const
    {
        return m_s.client(name, room);
    }

    InProcessServer m_s;
};

void tst_ChatServer::initTestCase()
{
    applyLogSetting(QStringLiteral("warning"));
}

void tst_ChatServer::init()
{
    QVERIFY(m_s.start());
}

void tst_ChatServer::cleanup()
{
    m_s.stop();
}

void tst_ChatServer::welcomeOnConnect()
{
    TestClient c;
    c.socket().open(m_s.url);
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
    QTRY_COMPARE(m_s.server->connectionCount(), 0);
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
    QCOMPARE(m_s.server->roomCount(), 1); // "two" emptied and closed
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

namespace {
// A client like ours: hello with batchPresence, then join.
std::unique_ptr<TestClient> batching(const QUrl &url, const QString &name, const QString &room)
{
    auto c = std::make_unique<TestClient>();
    if (!c->connectTo(url))
        return nullptr;
    c->send(Requests::batchingPresence(Requests::hello(name)));
    if (c->take(QStringLiteral("identified")).isEmpty() || c->join(room).isEmpty())
        return nullptr;
    // Its own join, as the others see it (the joiner is told too, as with user-joined).
    if (!c->take(QStringLiteral("presence"))
             .value(QLatin1String("joined"))
             .toArray()
             .contains(QJsonValue(name)))
        return nullptr;
    return c;
}

// Who the presence frames received so far say is in the room, and the last count.
QStringList presentAfter(const TestClient &c, const QStringList &start, int *count)
{
    QStringList present = start;
    for (const QJsonObject &m : c.received()) {
        if (str(m, "type") != QLatin1String("presence"))
            continue;
        for (const QJsonValue &v : m.value(QLatin1String("left")).toArray())
            present.removeAll(v.toString());
        for (const QJsonValue &v : m.value(QLatin1String("joined")).toArray()) {
            if (!present.contains(v.toString()))
                present.append(v.toString());
        }
        *count = num(m, "usersInRoom");
    }
    present.sort();
    return present;
}
} // namespace

void tst_ChatServer::presenceBatchedForClientsThatAsk()
{
    // Our clients say batchPresence in hello: they get presence frames (as
    // many joins and leaves per frame as the server handled in one pass), and
    // never a user-joined; the documents' clients still get one per join.
    auto watcher = batching(m_s.url, QStringLiteral("Watcher"), QStringLiteral("general"));
    auto plain = client(QStringLiteral("Plain"), QStringLiteral("general"));
    QVERIFY(watcher && plain);
    std::vector<std::unique_ptr<TestClient>> crowd;
    QStringList names {QStringLiteral("Plain"), QStringLiteral("Watcher")};
    for (int i = 0; i < 20; ++i) {
        crowd.push_back(std::make_unique<TestClient>());
        QVERIFY(crowd.back()->connectTo(m_s.url));
        names.append(QStringLiteral("Crowd%1").arg(i, 2, 10, QLatin1Char('0')));
    }
    for (int i = 0; i < 20; ++i) // all at once: the server batches what one pass brings
        crowd[size_t(i)]->sendRaw(
            QStringLiteral(R"({"type":"join","room":"general","username":"%1"})")
                .arg(names[i + 2]));
    names.sort();
    int count = 0;
    QTRY_COMPARE(presentAfter(*watcher, {QStringLiteral("Watcher")}, &count), names);
    QCOMPARE(count, 22);
    for (int i = 0; i < 20; ++i)
        QVERIFY(!plain->take(QStringLiteral("user-joined")).isEmpty());

    // A newcomer who speaks at once: the watcher hears of the join first.
    auto newcomer = client();
    QVERIFY(newcomer);
    newcomer->sendRaw(QStringLiteral(R"({"type":"join","room":"general","username":"Newcomer"})"));
    newcomer->sendRaw(QStringLiteral(R"({"type":"chat","room":"general","text":"hi all"})"));
    QCOMPARE(str(watcher->take(QStringLiteral("message")), "text"), QStringLiteral("hi all"));
    names.append(QStringLiteral("Newcomer"));
    names.sort();
    QCOMPARE(presentAfter(*watcher, {QStringLiteral("Watcher")}, &count), names);

    // Leaves, all at once.
    for (int i = 0; i < 10; ++i) {
        crowd[size_t(i)]->socket().close();
        names.removeAll(QStringLiteral("Crowd%1").arg(i, 2, 10, QLatin1Char('0')));
    }
    QTRY_COMPARE(presentAfter(*watcher, {QStringLiteral("Watcher")}, &count), names);
    QCOMPARE(count, 13);
    QVERIFY(watcher->sync());
    QVERIFY(watcher->pending(QStringLiteral("user-joined")).isEmpty());
    QVERIFY(watcher->pending(QStringLiteral("user-left")).isEmpty());
    QCOMPARE(str(plain->take(QStringLiteral("user-left")), "type"), QStringLiteral("user-left"));
}

void tst_ChatServer::renameIsOnePresence()
{
    // A guest who takes a name leaves as the guest and joins as the name in
    // one step: a watcher that batches sees one frame with both.
    auto watcher = batching(m_s.url, QStringLiteral("Watcher"), QStringLiteral("general"));
    auto guest = client();
    QVERIFY(watcher && guest);
    guest->sendRaw(QStringLiteral(R"({"type":"join","room":"general","guest":true})"));
    const QJsonArray users
        = guest->take(QStringLiteral("joined")).value(QLatin1String("users")).toArray();
    QString guestName;
    for (const QJsonValue &v : users) {
        if (v.toString() != QLatin1String("Watcher"))
            guestName = v.toString();
    }
    QVERIFY(guestName.startsWith(QLatin1String("guest-")));
    const QJsonObject arrived = watcher->take(QStringLiteral("presence"));
    QCOMPARE(arrived.value(QLatin1String("joined")).toArray(), QJsonArray {guestName});
    guest->send(Requests::hello(QStringLiteral("Gina")));
    const QJsonObject renamed = watcher->take(QStringLiteral("presence"));
    QCOMPARE(renamed.value(QLatin1String("joined")).toArray(), QJsonArray {QStringLiteral("Gina")});
    QCOMPARE(renamed.value(QLatin1String("left")).toArray(), QJsonArray {guestName});
    QCOMPARE(num(renamed, "usersInRoom"), 2);
}

void tst_ChatServer::historyOnJoinAndPaging()
{
    // Posts 60 at once: about paging, not flood control.
    QVERIFY(m_s.restart([](ServerConfig &c) { c.limits.ratePerSecond = 0; }));
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
    QTest::addRow("batchPresence wrong kind")
        << ""
        << R"({"type":"hello","username":"Mallory","batchPresence":"yes"})"
        << "bad-field";
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

QTEST_GUILESS_MAIN(tst_ChatServer)
#include "tst_chatserver.moc"
