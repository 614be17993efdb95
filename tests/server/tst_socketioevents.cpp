// The chat as Socket.IO events, as data: what each client event (the v1 request
// types and the documents' events) becomes once the v1 decoder has validated it,
// and what each server event becomes in the two encodings.
#include "socketiochannel.h"
#include "socketiocodec.h"
#include "socketioevents.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Chat;

namespace {
QJsonArray args(const char *json)
{
    return QJsonDocument::fromJson(json).array();
}
DecodeResult decoded(const char *json)
{
    const QJsonObject request = SocketIoEvents::toRequest(args(json));
    return decodeRequest(QJsonDocument(request).toJson(QJsonDocument::Compact), ProtocolLimits {});
}
} // namespace

class tst_SocketIoEvents : public QObject
{
    Q_OBJECT
private slots:
    void requests_data();
    void requests();
    void refused_data();
    void refused();
    void nativeEncoding();
    void documentsEncoding();
    void encodingsAreDistinct();
    void offsets_data();
    void offsets();
    void offsetArgumentRoundTrips();
};

void tst_SocketIoEvents::requests_data()
{
    QTest::addColumn<QByteArray>("event");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("room");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("username");
    const int hello = int(RequestType::Hello), join = int(RequestType::Join),
              chat = int(RequestType::Chat);
    QTest::newRow("native chat") << QByteArray(
        R"(["chat",{"room":"r","text":"hi","clientId":"c1"}])")
                                 << chat << "r"
                                 << "hi"
                                 << "";
    QTest::newRow("native chat, bare text") << QByteArray(R"(["chat","hi"])") << chat << ""
                                            << "hi"
                                            << "";
    QTest::newRow("native join, bare room") << QByteArray(R"(["join","lobby"])") << join << "lobby"
                                            << ""
                                            << "";
    QTest::newRow("native hello") << QByteArray(R"(["hello",{"username":"Ana"}])") << hello << ""
                                  << ""
                                  << "Ana";
    QTest::newRow("join_kampung") << QByteArray(R"(["join_kampung","Aminah"])") << hello << ""
                                  << ""
                                  << "Aminah";
    QTest::newRow("kampung_chat") << QByteArray(R"(["kampung_chat","pagi"])") << chat << "general"
                                  << "pagi"
                                  << "";
    QTest::newRow("chat message") << QByteArray(R"(["chat message","hello"])") << chat << "general"
                                  << "hello"
                                  << "";
    QTest::newRow("message, text")
        << QByteArray(R"(["message","Hello from Client!"])") << chat << "general"
        << "Hello from Client!"
        << "";
    QTest::newRow("message, {text}")
        << QByteArray(R"(["message",{"text":"obj"}])") << chat << "general"
        << "obj"
        << "";
    QTest::newRow("join-room") << QByteArray(R"(["join-room","general"])") << join << "general"
                               << ""
                               << "";
    QTest::newRow("room-message") << QByteArray(R"(["room-message",{"room":"r2","text":"t"}])")
                                  << chat << "r2"
                                  << "t"
                                  << "";
}

void tst_SocketIoEvents::requests()
{
    QFETCH(QByteArray, event);
    const DecodeResult result = decoded(event.constData());
    QVERIFY2(std::holds_alternative<Request>(result),
             std::get_if<ProtocolError>(&result)
                 ? qPrintable(std::get<ProtocolError>(result).message)
                 : "");
    const Request &r = std::get<Request>(result);
    QFETCH(int, type);
    QFETCH(QString, room);
    QFETCH(QString, text);
    QFETCH(QString, username);
    QCOMPARE(int(r.type), type);
    QCOMPARE(r.room, room);
    QCOMPARE(r.text, text);
    QCOMPARE(r.username, username);
}

void tst_SocketIoEvents::refused_data()
{
    QTest::addColumn<QByteArray>("event");
    QTest::addColumn<QString>("code");
    QTest::newRow("unknown event") << QByteArray(R"(["dance",{}])") << "unknown-type";
    QTest::newRow("kampung_chat with a number")
        << QByteArray(R"(["kampung_chat",42])") << "bad-field";
    QTest::newRow("kampung_chat with nothing") << QByteArray(R"(["kampung_chat"])") << "bad-field";
    QTest::newRow("chat message, blank") << QByteArray(R"(["chat message","   "])") << "bad-field";
    QTest::newRow("join_kampung, control characters")
        << QByteArray(R"(["join_kampung","a\u0000b"])") << "bad-username";
    QTest::newRow("join_kampung, an object")
        << QByteArray(R"(["join_kampung",{"name":"x"}])") << "bad-field";
    QTest::newRow("join-room, spaces") << QByteArray(R"(["join-room","two words"])") << "bad-room";
    QTest::newRow("room-message, no room")
        << QByteArray(R"(["room-message",{"text":"t"}])") << "bad-room";
    QTest::newRow("room-message, a string") << QByteArray(R"(["room-message","t"])") << "bad-field";
    QTest::newRow("chat, text too long")
        << QByteArray(R"(["chat",{"text":")" + QByteArray(4001, 'x') + R"("}])") << "too-long";
    QTest::newRow("history, a float limit")
        << QByteArray(R"(["history",{"room":"r","limit":1.5}])") << "bad-field";
    QTest::newRow("history, a huge before")
        << QByteArray(R"(["history",{"room":"r","before":1e300}])") << "bad-field";
    QTest::newRow("join, since negative")
        << QByteArray(R"(["join",{"room":"r","since":-1}])") << "bad-field";
    QTest::newRow("join, guest not a boolean")
        << QByteArray(R"(["join",{"room":"r","guest":"yes"}])") << "bad-field";
}

void tst_SocketIoEvents::refused()
{
    QFETCH(QByteArray, event);
    QFETCH(QString, code);
    const DecodeResult result = decoded(event.constData());
    QVERIFY(std::holds_alternative<ProtocolError>(result));
    QCOMPARE(errorCodeName(std::get<ProtocolError>(result).code), code);
}

void tst_SocketIoEvents::nativeEncoding()
{
    const ChatMessage m {
        QStringLiteral("general"), 7, QStringLiteral("Ana"), QStringLiteral("hi"), 1764547200000,
        QStringLiteral("c1")};
    const QByteArray bytes = SocketIoCodec::native().encode(m);
    // Socket.IO packets (EVENT "2"); Engine.IO adds its message type "4" on the way out.
    QCOMPARE(bytes.count('\x1e'), 0); // one packet
    QVERIFY(bytes.startsWith(R"(2["message",{)"));
    const QJsonArray packet = QJsonDocument::fromJson(bytes.mid(1)).array();
    QCOMPARE(packet.at(1).toObject().value(u"id").toInt(), 7);
    QCOMPARE(packet.at(1).toObject().value(u"username").toString(), QStringLiteral("Ana"));
    QVERIFY(!packet.at(1).toObject().contains(u"type"));
}

void tst_SocketIoEvents::documentsEncoding()
{
    const ChatMessage m {QStringLiteral("general"),
                         7,
                         QStringLiteral("Ana"),
                         QStringLiteral("hi"),
                         1764547200000,
                         {}};
    const QList<QByteArray> packets = SocketIoCodec::documents().encode(m).split('\x1e');
    QStringList names;
    for (const QByteArray &p : packets) {
        QVERIFY(p.startsWith("2["));
        names << QJsonDocument::fromJson(p.mid(1)).array().at(0).toString();
    }
    QCOMPARE(names,
             (QStringList {QStringLiteral("message"), QStringLiteral("kampung_chat"),
                           QStringLiteral("chat message"), QStringLiteral("broadcast"),
                           QStringLiteral("new-message")}));
    QCOMPARE(packets.at(1), QByteArray(R"(2["kampung_chat",{"msg":"hi","user":"Ana"}])"));
    QCOMPARE(packets.at(2), QByteArray(R"(2["chat message","Ana: hi"])"));

    const Event::Member joined {true, QStringLiteral("general"), QStringLiteral("Budi"), 2};
    const QList<QByteArray> notices = SocketIoCodec::documents().encode(joined).split('\x1e');
    QCOMPARE(notices.size(), 3);
    QCOMPARE(notices.at(1), QByteArray(R"(2["kampung_news","Budi joined the kampung!"])"));
    QCOMPARE(notices.at(2), QByteArray(R"(2["notification","Budi has joined the chat!"])"));
    QVERIFY(notices.at(0).contains(R"("userId":"Budi")"));
    const Event::Member left {false, QStringLiteral("general"), QStringLiteral("Budi"), 1};
    QVERIFY(SocketIoCodec::documents().encode(left).contains(
        R"(["kampung_news","Budi left the kampung."])"));
}

void tst_SocketIoEvents::encodingsAreDistinct()
{
    QVERIFY(SocketIoCodec::native().encoding() != SocketIoCodec::documents().encoding());
    QVERIFY(SocketIoCodec::native().encoding() > 0); // 0 is v1's
    QVERIFY(SocketIoCodec::documents().encoding() < WireCodec::MaxEncodings);
}

void tst_SocketIoEvents::offsets_data()
{
    QTest::addColumn<QString>("offset");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("rooms");
    QTest::newRow("two rooms") << R"({"general":12,"lobby":0})" << true << 2;
    QTest::newRow("none") << "{}" << true << 0;
    QTest::newRow("not JSON") << "general:12" << false << 0;
    QTest::newRow("an array") << "[12]" << false << 0;
    QTest::newRow("a negative id") << R"({"general":-1})" << false << 0;
    QTest::newRow("a fraction") << R"({"general":1.5})" << false << 0;
    QTest::newRow("past 2^53") << R"({"general":9007199254740993})" << false << 0;
    QTest::newRow("1e300") << R"({"general":1e300})" << false << 0;
    QTest::newRow("a string id") << R"({"general":"12"})" << false << 0;
    QTest::newRow("an empty room") << R"({"":1})" << false << 0;
    QTest::newRow("a long room") << QStringLiteral(R"({"%1":1})").arg(QString(65, u'r')) << false
                                 << 0;
}

void tst_SocketIoEvents::offsets()
{
    QFETCH(QString, offset);
    QFETCH(bool, valid);
    QFETCH(int, rooms);
    const auto parsed = SocketIoChannel::parseOffset(offset);
    QCOMPARE(parsed.has_value(), valid);
    if (parsed)
        QCOMPARE(int(parsed->size()), rooms);
}

void tst_SocketIoEvents::offsetArgumentRoundTrips()
{
    // What the client reads back from an event's last argument is the offset it
    // sends in its next CONNECT: it must parse to the same ids, odd room names too.
    const QMap<QString, qint64> ids {{QStringLiteral("general"), 12},
                                     {QStringLiteral("qu\"ote"), 0},
                                     {QStringLiteral("back\\slash"), 9007199254740991},
                                     {QStringLiteral("kampung-\u00e9\u6751"), 3}};
    const QByteArray arg = SocketIoChannel::offsetArgument(ids);
    QVERIFY(arg.startsWith(','));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[0" + arg + "]", &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonValue last = doc.array().last();
    QVERIFY(last.isString());
    const auto parsed = SocketIoChannel::parseOffset(last.toString());
    QVERIFY(parsed);
    QCOMPARE(*parsed, ids);
    QCOMPARE(SocketIoChannel::offsetArgument({}), QByteArray(R"(,"{}")"));
}

QTEST_GUILESS_MAIN(tst_SocketIoEvents)
#include "tst_socketioevents.moc"
