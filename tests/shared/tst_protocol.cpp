// The wire codec: every request type decodes, every bad frame gets its code.
#include "jsoninteger.h"
#include "protocol.h"
#include "servermessages.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Chat;

class tst_Protocol : public QObject
{
    Q_OBJECT
private slots:
    void decodesGoodRequests_data();
    void decodesGoodRequests();
    void rejectsBadFrames_data();
    void rejectsBadFrames();
    void chatErrorsCarryClientId();
    void trimsUsername();
    void capsHistoryLimit();
    void timestampFormat();
    void messageRoundTrip();
    void encodesNodeCompatibleFields();
    void survivesGarbage();
    void integersAreRangeChecked_data();
    void integersAreRangeChecked();
    void outOfRangeNumbersAreBadFields_data();
    void outOfRangeNumbersAreBadFields();
    void messageIdsOutOfRangeAreDropped_data();
    void messageIdsOutOfRangeAreDropped();
    void clientDecodesServerMessages();
    void clientDropsBadServerMessages_data();
    void clientDropsBadServerMessages();
    void welcomeLimitsOutOfRangeKeepDefaults();
};

void tst_Protocol::decodesGoodRequests_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("type");
    QTest::addRow("hello") << QByteArray(R"({"type":"hello","username":"Aminah"})")
                           << int(RequestType::Hello);
    QTest::addRow("hello all fields")
        << QByteArray(R"({"type":"hello","username":"A","token":"t","resume":"r","client":"c"})")
        << int(RequestType::Hello);
    QTest::addRow("hello asking for presence batches")
        << QByteArray(R"({"type":"hello","username":"A","batchPresence":true})")
        << int(RequestType::Hello);
    QTest::addRow("documents' join")
        << QByteArray(R"({"type":"join","room":"general","username":"Aminah"})")
        << int(RequestType::Join);
    QTest::addRow("join since") << QByteArray(R"({"type":"join","room":"general","since":42})")
                                << int(RequestType::Join);
    QTest::addRow("leave") << QByteArray(R"({"type":"leave","room":"general"})")
                           << int(RequestType::Leave);
    QTest::addRow("documents' chat")
        << QByteArray(R"({"type":"chat","text":"hello"})") << int(RequestType::Chat);
    QTest::addRow("chat full") << QByteArray(
        R"({"type":"chat","text":"hi","room":"r","clientId":"c-1"})")
                               << int(RequestType::Chat);
    QTest::addRow("documents' typing")
        << QByteArray(R"({"type":"typing"})") << int(RequestType::Typing);
    QTest::addRow("typing off") << QByteArray(R"({"type":"typing","room":"r","active":false})")
                                << int(RequestType::Typing);
    QTest::addRow("history") << QByteArray(
        R"({"type":"history","room":"r","before":10,"limit":20})")
                             << int(RequestType::History);
    QTest::addRow("rooms") << QByteArray(R"({"type":"rooms"})") << int(RequestType::Rooms);
    QTest::addRow("extra fields ignored")
        << QByteArray(R"({"type":"rooms","x":[1,2],"y":{"z":null}})") << int(RequestType::Rooms);
    QTest::addRow("unicode name") << QByteArray(R"({"type":"hello","username":"Zoë 日本 🙂"})")
                                  << int(RequestType::Hello);
    QTest::addRow("multi-line text")
        << QByteArray(R"({"type":"chat","text":"a\nb\tc"})") << int(RequestType::Chat);
}

void tst_Protocol::decodesGoodRequests()
{
    QFETCH(QByteArray, frame);
    QFETCH(int, type);
    const DecodeResult result = decodeRequest(frame, ProtocolLimits {});
    const auto *request = std::get_if<Request>(&result);
    QVERIFY2(request, qPrintable(request ? QString() : std::get<ProtocolError>(result).message));
    QCOMPARE(int(request->type), type);
}

void tst_Protocol::rejectsBadFrames_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("code");
    const QByteArray longText = "{\"type\":\"chat\",\"text\":\"" + QByteArray(4001, 'x') + "\"}";
    const QByteArray longName = "{\"type\":\"hello\",\"username\":\"" + QByteArray(33, 'n') + "\"}";
    const QByteArray longRoom = "{\"type\":\"join\",\"room\":\"" + QByteArray(65, 'r') + "\"}";
    QTest::addRow("not json") << QByteArray("hello") << "invalid-json";
    QTest::addRow("truncated json") << QByteArray(R"({"type":"chat")") << "invalid-json";
    QTest::addRow("empty frame") << QByteArray() << "invalid-json";
    QTest::addRow("array") << QByteArray(R"([1,2,3])") << "invalid-json";
    QTest::addRow("string") << QByteArray(R"("chat")") << "invalid-json";
    QTest::addRow("number") << QByteArray("42") << "invalid-json";
    QTest::addRow("no type") << QByteArray(R"({"text":"hi"})") << "bad-field";
    QTest::addRow("type number") << QByteArray(R"({"type":7})") << "bad-field";
    QTest::addRow("type null") << QByteArray(R"({"type":null})") << "bad-field";
    QTest::addRow("unknown type") << QByteArray(R"({"type":"shout"})") << "unknown-type";
    QTest::addRow("type case") << QByteArray(R"({"type":"CHAT","text":"x"})") << "unknown-type";
    QTest::addRow("hello no name") << QByteArray(R"({"type":"hello"})") << "bad-field";
    QTest::addRow("hello name number")
        << QByteArray(R"({"type":"hello","username":5})") << "bad-field";
    QTest::addRow("hello empty name")
        << QByteArray(R"({"type":"hello","username":"   "})") << "bad-username";
    QTest::addRow("hello long name") << longName << "bad-username";
    QTest::addRow("hello control name")
        << QByteArray(R"({"type":"hello","username":"a\u0007b"})") << "bad-username";
    QTest::addRow("hello bidi override")
        << QByteArray("{\"type\":\"hello\",\"username\":\"a\xe2\x80\xae"
                      "b\"}")
        << "bad-username";
    QTest::addRow("hello lone surrogate")
        << QByteArray(R"({"type":"hello","username":"a\ud800b"})") << "bad-username";
    QTest::addRow("hello token object")
        << QByteArray(R"({"type":"hello","username":"a","token":{}})") << "bad-field";
    QTest::addRow("join no room") << QByteArray(R"({"type":"join","username":"a"})") << "bad-field";
    QTest::addRow("join room number") << QByteArray(R"({"type":"join","room":1})") << "bad-field";
    QTest::addRow("join empty room") << QByteArray(R"({"type":"join","room":""})") << "bad-room";
    QTest::addRow("join room space") << QByteArray(R"({"type":"join","room":"a b"})") << "bad-room";
    QTest::addRow("join room tab") << QByteArray(R"({"type":"join","room":"a\tb"})") << "bad-room";
    QTest::addRow("join room newline")
        << QByteArray(R"({"type":"join","room":"a\nb"})") << "bad-room";
    QTest::addRow("join long room") << longRoom << "bad-room";
    QTest::addRow("join bad username")
        << QByteArray(R"({"type":"join","room":"r","username":""})") << "bad-username";
    QTest::addRow("join since string")
        << QByteArray(R"({"type":"join","room":"r","since":"5"})") << "bad-field";
    QTest::addRow("join since negative")
        << QByteArray(R"({"type":"join","room":"r","since":-1})") << "bad-field";
    QTest::addRow("join since fraction")
        << QByteArray(R"({"type":"join","room":"r","since":1.5})") << "bad-field";
    QTest::addRow("join since huge")
        << QByteArray(R"({"type":"join","room":"r","since":1e300})") << "bad-field";
    QTest::addRow("leave no room") << QByteArray(R"({"type":"leave"})") << "bad-field";
    QTest::addRow("chat no text") << QByteArray(R"({"type":"chat"})") << "bad-field";
    QTest::addRow("chat text number") << QByteArray(R"({"type":"chat","text":12})") << "bad-field";
    QTest::addRow("chat text null") << QByteArray(R"({"type":"chat","text":null})") << "bad-field";
    QTest::addRow("chat empty text") << QByteArray(R"({"type":"chat","text":""})") << "bad-field";
    QTest::addRow("chat blank text")
        << QByteArray(R"({"type":"chat","text":" \n "})") << "bad-field";
    QTest::addRow("chat long text") << longText << "too-long";
    QTest::addRow("chat nul in text")
        << QByteArray(R"({"type":"chat","text":"a\u0000b"})") << "bad-field";
    QTest::addRow("chat bad room")
        << QByteArray(R"({"type":"chat","text":"x","room":"a b"})") << "bad-room";
    QTest::addRow("chat clientId number")
        << QByteArray(R"({"type":"chat","text":"x","clientId":3})") << "bad-field";
    QTest::addRow("chat clientId empty")
        << QByteArray(R"({"type":"chat","text":"x","clientId":""})") << "bad-field";
    QTest::addRow("chat clientId long") << QByteArray(
        "{\"type\":\"chat\",\"text\":\"x\",\"clientId\":\"" + QByteArray(65, 'c') + "\"}")
                                        << "too-long";
    QTest::addRow("typing active string")
        << QByteArray(R"({"type":"typing","active":"yes"})") << "bad-field";
    QTest::addRow("history no room") << QByteArray(R"({"type":"history"})") << "bad-field";
    QTest::addRow("history before zero")
        << QByteArray(R"({"type":"history","room":"r","before":0})") << "bad-field";
    QTest::addRow("history limit zero")
        << QByteArray(R"({"type":"history","room":"r","limit":0})") << "bad-field";
    QTest::addRow("history limit string")
        << QByteArray(R"({"type":"history","room":"r","limit":"9"})") << "bad-field";
    QTest::addRow("oversize frame") << QByteArray(70000, ' ') << "too-long";
}

void tst_Protocol::rejectsBadFrames()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, code);
    const DecodeResult result = decodeRequest(frame, ProtocolLimits {});
    const auto *error = std::get_if<ProtocolError>(&result);
    QVERIFY2(error, "decoded a frame that must be refused");
    QCOMPARE(errorCodeName(error->code), code);
    QVERIFY(!error->message.isEmpty());
    const QJsonObject json = error->toJson();
    QCOMPARE(json.value(QLatin1String("type")).toString(), QStringLiteral("error"));
    QCOMPARE(json.value(QLatin1String("code")).toString(), code);
}

void tst_Protocol::chatErrorsCarryClientId()
{
    const DecodeResult result
        = decodeRequest(R"({"type":"chat","text":"","clientId":"abc"})", ProtocolLimits {});
    QCOMPARE(std::get<ProtocolError>(result).ref, QStringLiteral("abc"));
    QCOMPARE(std::get<ProtocolError>(result).toJson().value(QLatin1String("ref")).toString(),
             QStringLiteral("abc"));
}

void tst_Protocol::trimsUsername()
{
    const DecodeResult result
        = decodeRequest(R"({"type":"hello","username":"  Aminah  "})", ProtocolLimits {});
    QCOMPARE(std::get<Request>(result).username, QStringLiteral("Aminah"));
}

void tst_Protocol::capsHistoryLimit()
{
    ProtocolLimits limits;
    limits.historyPageMax = 100;
    const DecodeResult result
        = decodeRequest(R"({"type":"history","room":"r","limit":100000})", limits);
    QCOMPARE(std::get<Request>(result).limit, 100);
}

void tst_Protocol::timestampFormat()
{
    QCOMPARE(formatTimestamp(1795303164762), QStringLiteral("2026-11-21T23:19:24.762Z"));
    QCOMPARE(parseTimestamp(QStringLiteral("2026-11-21T23:19:24.762Z")).value(),
             qint64(1795303164762));
    QVERIFY(!parseTimestamp(QStringLiteral("yesterday")));
}

void tst_Protocol::messageRoundTrip()
{
    const ChatMessage m {QStringLiteral("general"),
                         7,
                         QStringLiteral("Aminah"),
                         QStringLiteral("hi <b>"),
                         1795303164762,
                         QStringLiteral("c1")};
    const auto back = ChatMessage::fromJson(QJsonDocument::fromJson(encode(m.toJson())).object());
    QVERIFY(back);
    QCOMPARE(*back, m);
}

void tst_Protocol::encodesNodeCompatibleFields()
{
    // The documents' ws example: user-joined/user-left carry username and usersInRoom,
    // message carries username, text and an ISO timestamp, user-typing the username.
    const QJsonObject joined
        = Reply::userJoined(QStringLiteral("general"), QStringLiteral("Aminah"), 2);
    QCOMPARE(joined.value(QLatin1String("type")).toString(), QStringLiteral("user-joined"));
    QCOMPARE(joined.value(QLatin1String("username")).toString(), QStringLiteral("Aminah"));
    QCOMPARE(joined.value(QLatin1String("usersInRoom")).toInt(), 2);
    const QJsonObject left
        = Reply::userLeft(QStringLiteral("general"), QStringLiteral("Aminah"), 1);
    QCOMPARE(left.value(QLatin1String("type")).toString(), QStringLiteral("user-left"));
    QCOMPARE(left.value(QLatin1String("usersInRoom")).toInt(), 1);
    const QJsonObject typing
        = Reply::userTyping(QStringLiteral("general"), QStringLiteral("Aminah"), true);
    QCOMPARE(typing.value(QLatin1String("type")).toString(), QStringLiteral("user-typing"));
    QCOMPARE(typing.value(QLatin1String("username")).toString(), QStringLiteral("Aminah"));
    const QJsonObject welcome = Reply::welcome(QStringLiteral("s"), ProtocolLimits {});
    QCOMPARE(welcome.value(QLatin1String("protocol")).toInt(), 1);
    QCOMPARE(welcome.value(QLatin1String("limits"))
                 .toObject()
                 .value(QLatin1String("maxTextLength"))
                 .toInt(),
             4000);
    QCOMPARE(ProtocolLimits::fromJson(ProtocolLimits {}.toJson()).maxMessageBytes,
             ProtocolLimits {}.maxMessageBytes);
}

void tst_Protocol::survivesGarbage()
{
    // Deterministic pseudo-random bytes and mutations of good frames: never a crash,
    // always either a request or an error with a code.
    quint32 seed = 12345;
    auto next = [&seed] {
        seed = seed * 1103515245u + 12345u;
        return seed >> 16;
    };
    const QList<QByteArray> seeds
        = {R"({"type":"chat","text":"hello","room":"general","clientId":"x"})",
           R"({"type":"join","room":"general","username":"Aminah","since":3})",
           R"({"type":"history","room":"r","before":10,"limit":20})"};
    int requests = 0;
    int errors = 0;
    for (int i = 0; i < 20000; ++i) {
        QByteArray frame = seeds.at(i % seeds.size());
        const int edits = 1 + int(next() % 4);
        for (int e = 0; e < edits && !frame.isEmpty(); ++e)
            frame[int(next() % frame.size())] = char(next() & 0xff);
        const DecodeResult result = decodeRequest(frame, ProtocolLimits {});
        if (std::holds_alternative<Request>(result)) {
            ++requests;
        } else {
            ++errors;
            QVERIFY(!errorCodeName(std::get<ProtocolError>(result).code).isEmpty());
        }
    }
    QCOMPARE(requests + errors, 20000);
    QVERIFY(errors > 0);
}

void tst_Protocol::integersAreRangeChecked_data()
{
    QTest::addColumn<QByteArray>("number");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("value");
    QTest::addRow("0") << QByteArray("0") << true << qint64(0);
    QTest::addRow("42") << QByteArray("42") << true << qint64(42);
    QTest::addRow("4.2e1") << QByteArray("4.2e1") << true << qint64(42);
    QTest::addRow("2^53 - 1") << QByteArray("9007199254740991") << true << qint64(9007199254740991);
    QTest::addRow("2^53") << QByteArray("9007199254740992") << false << qint64(0);
    QTest::addRow("2.2e71") << QByteArray("2.2e71") << false << qint64(0);
    QTest::addRow("1e308") << QByteArray("1e308") << false << qint64(0);
    QTest::addRow("-1") << QByteArray("-1") << false << qint64(0);
    QTest::addRow("-2.2e71") << QByteArray("-2.2e71") << false << qint64(0);
    QTest::addRow("1.5") << QByteArray("1.5") << false << qint64(0);
    QTest::addRow("string") << QByteArray(R"("7")") << false << qint64(0);
    QTest::addRow("true") << QByteArray("true") << false << qint64(0);
}

void tst_Protocol::integersAreRangeChecked()
{
    QFETCH(QByteArray, number);
    QFETCH(bool, valid);
    QFETCH(qint64, value);
    const QJsonValue v = QJsonDocument::fromJson("[" + number + "]").array().at(0);
    const std::optional<qint64> n = jsonInteger(v, 0);
    QCOMPARE(n.has_value(), valid);
    if (valid)
        QCOMPARE(*n, value);
    QVERIFY(!jsonInteger(QJsonValue(7), 8, 100)); // below the minimum
    QVERIFY(!jsonInteger(QJsonValue(101), 8, 100)); // above the maximum
}

void tst_Protocol::outOfRangeNumbersAreBadFields_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addRow("since 2.2e71") << QByteArray(R"({"type":"join","room":"r","since":2.2e71})");
    QTest::addRow("since -1") << QByteArray(R"({"type":"join","room":"r","since":-1})");
    QTest::addRow("since 1.5") << QByteArray(R"({"type":"join","room":"r","since":1.5})");
    QTest::addRow("before 1e300") << QByteArray(R"({"type":"history","room":"r","before":1e300})");
    QTest::addRow("before 0") << QByteArray(R"({"type":"history","room":"r","before":0})");
    QTest::addRow("limit 2.2e71") << QByteArray(R"({"type":"history","room":"r","limit":2.2e71})");
    QTest::addRow("limit -2.2e71")
        << QByteArray(R"({"type":"history","room":"r","limit":-2.2e71})");
    QTest::addRow("limit 2^53") << QByteArray(
        R"({"type":"history","room":"r","limit":9007199254740992})");
}

void tst_Protocol::outOfRangeNumbersAreBadFields()
{
    QFETCH(QByteArray, frame);
    const DecodeResult result = decodeRequest(frame, ProtocolLimits {});
    const auto *error = std::get_if<ProtocolError>(&result);
    QVERIFY(error);
    QCOMPARE(errorCodeName(error->code), QStringLiteral("bad-field"));
}

void tst_Protocol::messageIdsOutOfRangeAreDropped_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::addRow("2.2e71 (UB before: UBSan float-cast-overflow)") << QByteArray("2.2e71");
    QTest::addRow("-2.2e71") << QByteArray("-2.2e71");
    QTest::addRow("2^53") << QByteArray("9007199254740992");
    QTest::addRow("0") << QByteArray("0");
    QTest::addRow("1.5") << QByteArray("1.5");
}

void tst_Protocol::messageIdsOutOfRangeAreDropped()
{
    QFETCH(QByteArray, id);
    const QByteArray frame = R"({"type":"message","room":"general","id":)" + id
        + R"(,"username":"a","text":"t","timestamp":"2026-11-21T23:39:24.762Z"})";
    QVERIFY(!ChatMessage::fromJson(QJsonDocument::fromJson(frame).object()));
    QVERIFY(std::holds_alternative<ServerMessage::Ignored>(ServerMessage::decode(frame)));
}

void tst_Protocol::clientDecodesServerMessages()
{
    using namespace ServerMessage;
    const auto joined = decode(
        R"({"type":"joined","room":"general","users":["a","b"],"more":true,"history":[)"
        R"({"room":"general","id":3,"username":"a","text":"hi","timestamp":"2026-11-21T23:39:24.762Z","clientId":"c"}]})");
    const auto *j = std::get_if<Joined>(&joined);
    QVERIFY(j);
    QCOMPARE(j->room, QStringLiteral("general"));
    QCOMPARE(j->users, (QStringList {QStringLiteral("a"), QStringLiteral("b")}));
    QCOMPARE(j->history.size(), 1);
    QCOMPARE(j->history.at(0).id, 3);
    QVERIFY(j->more && !j->reset);
    const auto left
        = decode(R"({"type":"user-left","room":"general","username":"b","usersInRoom":1})");
    const auto *m = std::get_if<Member>(&left);
    QVERIFY(m && !m->joined && m->usersInRoom == 1);
    const auto presence = decode(
        R"({"type":"presence","room":"general","joined":["c","d"],"left":["b"],"usersInRoom":3})");
    const auto *p = std::get_if<Presence>(&presence);
    QVERIFY(p);
    QCOMPARE(p->joined, (QStringList {QStringLiteral("c"), QStringLiteral("d")}));
    QCOMPARE(p->left, QStringList {QStringLiteral("b")});
    QCOMPARE(p->usersInRoom, 3);
    // What the server sends is what the client reads.
    const auto built
        = decode(QJsonDocument(Reply::presence(QStringLiteral("r"), {}, {QStringLiteral("x")}, 0))
                     .toJson(QJsonDocument::Compact));
    QVERIFY(std::get_if<Presence>(&built) && std::get<Presence>(built).left.size() == 1);
    const auto error
        = decode(R"({"type":"error","code":"rate-limited","message":"Slow","ref":"c1"})");
    QCOMPARE(std::get<Error>(error).ref, QStringLiteral("c1"));
    const auto rooms = decode(R"({"type":"rooms","rooms":[{"name":"general","usersInRoom":2}]})");
    QCOMPARE(std::get<Rooms>(rooms).rooms.at(0).usersInRoom, 2);
}

void tst_Protocol::clientDropsBadServerMessages_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addRow("not JSON") << QByteArray("{");
    QTest::addRow("unknown type") << QByteArray(R"({"type":"surprise"})");
    QTest::addRow("usersInRoom 1e40")
        << QByteArray(R"({"type":"user-joined","room":"r","username":"a","usersInRoom":1e40})");
    QTest::addRow("usersInRoom -1")
        << QByteArray(R"({"type":"user-left","room":"r","username":"a","usersInRoom":-1})");
    QTest::addRow("usersInRoom a string")
        << QByteArray(R"({"type":"user-left","room":"r","username":"a","usersInRoom":"3"})");
    QTest::addRow("presence without left")
        << QByteArray(R"({"type":"presence","room":"r","joined":["a"],"usersInRoom":1})");
    QTest::addRow("presence with a number for a name")
        << QByteArray(R"({"type":"presence","room":"r","joined":[1],"left":[],"usersInRoom":1})");
    QTest::addRow("presence count 1e40")
        << QByteArray(R"({"type":"presence","room":"r","joined":[],"left":[],"usersInRoom":1e40})");
    QTest::addRow("presence without a room")
        << QByteArray(R"({"type":"presence","joined":[],"left":["a"],"usersInRoom":0})");
    QTest::addRow("rooms count 2^31")
        << QByteArray(R"({"type":"rooms","rooms":[{"name":"r","usersInRoom":2147483648}]})");
    QTest::addRow("history with a bad id") << QByteArray(
        R"({"type":"history","room":"r","more":false,"messages":[{"id":1e300,"username":"a","text":"t","timestamp":"2026-11-21T23:39:24.762Z"}]})");
    QTest::addRow("joined without users")
        << QByteArray(R"({"type":"joined","room":"r","history":[]})");
    QTest::addRow("message without a room") << QByteArray(
        R"({"type":"message","id":1,"username":"a","text":"t","timestamp":"2026-11-21T23:39:24.762Z"})");
    QTest::addRow("identified without a session")
        << QByteArray(R"({"type":"identified","username":"a"})");
}

void tst_Protocol::clientDropsBadServerMessages()
{
    QFETCH(QByteArray, frame);
    QVERIFY(std::holds_alternative<ServerMessage::Ignored>(ServerMessage::decode(frame)));
}

void tst_Protocol::welcomeLimitsOutOfRangeKeepDefaults()
{
    const ProtocolLimits defaults;
    const auto welcome = ServerMessage::decode(
        R"({"type":"welcome","limits":{"maxMessageBytes":1e300,"maxTextLength":-5,)"
        R"("rateBurst":4294967296,"ratePerSecond":"x","historyOnJoin":2.5,"maxRoomLength":80}})");
    const ProtocolLimits &l = std::get<ServerMessage::Welcome>(welcome).limits;
    QCOMPARE(l.maxMessageBytes, defaults.maxMessageBytes);
    QCOMPARE(l.maxTextLength, defaults.maxTextLength);
    QCOMPARE(l.rateBurst, defaults.rateBurst);
    QCOMPARE(l.ratePerSecond, defaults.ratePerSecond);
    QCOMPARE(l.historyOnJoin, defaults.historyOnJoin);
    QCOMPARE(l.maxRoomLength, 80); // a good one is taken
    const auto off = ServerMessage::decode(R"({"type":"welcome","limits":{"ratePerSecond":0}})");
    QCOMPARE(std::get<ServerMessage::Welcome>(off).limits.ratePerSecond, 0.0); // no limit
}

QTEST_GUILESS_MAIN(tst_Protocol)
#include "tst_protocol.moc"
