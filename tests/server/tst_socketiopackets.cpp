// Engine.IO v4 and Socket.IO v5 packets on raw bytes: the examples of the two
// protocol documents, and every way a client's packet can be wrong.
#include "engineiopacket.h"
#include "engineiorequest.h"
#include "socketiopacket.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Chat;
using EioType = EngineIo::PacketType;
using SioType = SocketIo::PacketType;

class tst_SocketIoPackets : public QObject
{
    Q_OBJECT
private slots:
    void engineIoText_data();
    void engineIoText();
    void engineIoPayload_data();
    void engineIoPayload();
    void engineIoEncode();
    void socketIoParses_data();
    void socketIoParses();
    void socketIoRefuses_data();
    void socketIoRefuses();
    void socketIoEncodes_data();
    void socketIoEncodes();
    void engineIoRequests_data();
    void engineIoRequests();
};

void tst_SocketIoPackets::engineIoText_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("open") << QByteArray("0{\"sid\":\"x\"}") << true << 0
                          << QByteArray("{\"sid\":\"x\"}");
    QTest::newRow("close") << QByteArray("1") << true << 1 << QByteArray();
    QTest::newRow("ping probe") << QByteArray("2probe") << true << 2 << QByteArray("probe");
    QTest::newRow("pong") << QByteArray("3") << true << 3 << QByteArray();
    QTest::newRow("message") << QByteArray("4hello") << true << 4 << QByteArray("hello");
    QTest::newRow("upgrade") << QByteArray("5") << true << 5 << QByteArray();
    QTest::newRow("noop") << QByteArray("6") << true << 6 << QByteArray();
    QTest::newRow("empty") << QByteArray() << false << 0 << QByteArray();
    QTest::newRow("type 7") << QByteArray("7") << false << 0 << QByteArray();
    QTest::newRow("letter") << QByteArray("x4") << false << 0 << QByteArray();
    QTest::newRow("base64 in a text frame") << QByteArray("bAQID") << false << 0 << QByteArray();
}

void tst_SocketIoPackets::engineIoText()
{
    QFETCH(QByteArray, frame);
    QFETCH(bool, valid);
    const auto packet = EngineIo::parseText(frame);
    QCOMPARE(packet.has_value(), valid);
    if (!valid)
        return;
    QFETCH(int, type);
    QFETCH(QByteArray, data);
    QCOMPARE(int(packet->type), type);
    QCOMPARE(packet->data, data);
    QCOMPARE(EngineIo::encodeText(*packet), frame);
}

void tst_SocketIoPackets::engineIoPayload_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("count"); // -1: refused
    QTest::newRow("one") << QByteArray("4hello") << 1;
    QTest::newRow("two events") << QByteArray("42[\"hello\"]\x1e"
                                              "42[\"world\"]")
                                << 2;
    QTest::newRow("binary") << QByteArray("4x\x1e"
                                          "bAQIDBA==")
                            << 2;
    QTest::newRow("empty body") << QByteArray() << -1;
    QTest::newRow("trailing separator") << QByteArray("4a\x1e") << -1;
    QTest::newRow("empty packet inside") << QByteArray("4a\x1e\x1e"
                                                       "4b")
                                         << -1;
    QTest::newRow("bad type inside") << QByteArray("4a\x1e"
                                                   "9b")
                                     << -1;
    QTest::newRow("bad base64") << QByteArray("b!!!") << -1;
}

void tst_SocketIoPackets::engineIoPayload()
{
    QFETCH(QByteArray, body);
    QFETCH(int, count);
    const auto packets = EngineIo::parsePayload(body);
    QCOMPARE(packets ? int(packets->size()) : -1, count);
    if (!packets)
        return;
    QCOMPARE(EngineIo::encodePayload(*packets), body);
    if (QTest::currentDataTag() == QByteArray("binary")) {
        QVERIFY(packets->at(1).binary);
        QCOMPARE(packets->at(1).data, QByteArray("\x01\x02\x03\x04", 4));
    }
}

void tst_SocketIoPackets::engineIoEncode()
{
    // More packets than allowed: refused whole.
    QByteArray many;
    for (int i = 0; i < 11; ++i)
        many.append(i ? "\x1e"
                        "6"
                      : "6");
    QVERIFY(EngineIo::parsePayload(many, 11));
    QVERIFY(!EngineIo::parsePayload(many, 10));
    const QList<EngineIo::Packet> out {{EioType::Message, "40{\"sid\":\"a\"}", false},
                                       {EioType::Ping, {}, false},
                                       {EioType::Message, QByteArray("\xff\x00", 2), true}};
    QCOMPARE(EngineIo::encodePayload(out),
             QByteArray("440{\"sid\":\"a\"}\x1e"
                        "2\x1e"
                        "b/wA="));
}

void tst_SocketIoPackets::socketIoParses_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<qint64>("id"); // -1: none
    QTest::addColumn<QByteArray>("data"); // compact JSON, empty: none
    QTest::addColumn<int>("attachments");
    // The examples of v5-current.md, and the documents' events.
    QTest::newRow("connect") << QByteArray("0") << 0 << "/" << qint64(-1) << QByteArray() << 0;
    QTest::newRow("connect /admin")
        << QByteArray("0/admin,") << 0 << "/admin" << qint64(-1) << QByteArray() << 0;
    QTest::newRow("connect /admin, no comma")
        << QByteArray("0/admin") << 0 << "/admin" << qint64(-1) << QByteArray() << 0;
    QTest::newRow("connect with auth") << QByteArray("0{\"token\":\"123\"}") << 0 << "/"
                                       << qint64(-1) << QByteArray("{\"token\":\"123\"}") << 0;
    QTest::newRow("disconnect") << QByteArray("1") << 1 << "/" << qint64(-1) << QByteArray() << 0;
    QTest::newRow("disconnect /admin")
        << QByteArray("1/admin,") << 1 << "/admin" << qint64(-1) << QByteArray() << 0;
    QTest::newRow("event") << QByteArray("2[\"foo\"]") << 2 << "/" << qint64(-1)
                           << QByteArray("[\"foo\"]") << 0;
    QTest::newRow("event /admin") << QByteArray("2/admin,[\"bar\"]") << 2 << "/admin" << qint64(-1)
                                  << QByteArray("[\"bar\"]") << 0;
    QTest::newRow("event with ack")
        << QByteArray("212[\"foo\"]") << 2 << "/" << qint64(12) << QByteArray("[\"foo\"]") << 0;
    QTest::newRow("kampung_chat") << QByteArray("2[\"kampung_chat\",\"apa khabar\"]") << 2 << "/"
                                  << qint64(-1) << QByteArray("[\"kampung_chat\",\"apa khabar\"]")
                                  << 0;
    QTest::newRow("ack /admin") << QByteArray("3/admin,13[\"bar\"]") << 3 << "/admin" << qint64(13)
                                << QByteArray("[\"bar\"]") << 0;
    QTest::newRow("empty ack") << QByteArray("312[]") << 3 << "/" << qint64(12) << QByteArray("[]")
                               << 0;
    QTest::newRow("binary event") << QByteArray("51-[\"baz\",{\"_placeholder\":true,\"num\":0}]")
                                  << 5 << "/" << qint64(-1)
                                  << QByteArray("[\"baz\",{\"_placeholder\":true,\"num\":0}]") << 1;
    QTest::newRow("binary ack") << QByteArray("61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]")
                                << 6 << "/" << qint64(15)
                                << QByteArray("[\"bar\",{\"_placeholder\":true,\"num\":0}]") << 1;
    QTest::newRow("binary, /admin") << QByteArray(
        "52-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]")
                                    << 5 << "/admin" << qint64(-1)
                                    << QByteArray("[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_"
                                                  "placeholder\":true,\"num\":1}]")
                                    << 2;
    QTest::newRow("largest ack id") << QByteArray("29007199254740991[\"x\"]") << 2 << "/"
                                    << qint64(9007199254740991) << QByteArray("[\"x\"]") << 0;
}

void tst_SocketIoPackets::socketIoParses()
{
    QFETCH(QByteArray, text);
    QFETCH(int, type);
    QFETCH(QString, nsp);
    QFETCH(qint64, id);
    QFETCH(QByteArray, data);
    QFETCH(int, attachments);
    const SocketIo::ParseResult result = SocketIo::parse(text);
    const auto *error = std::get_if<SocketIo::ParseError>(&result);
    QVERIFY2(!error, error ? error->reason : "");
    const SocketIo::Packet &p = std::get<SocketIo::Packet>(result);
    QCOMPARE(int(p.type), type);
    QCOMPARE(p.nsp, nsp);
    QCOMPARE(p.id.value_or(-1), id);
    QCOMPARE(p.attachments, attachments);
    if (data.isEmpty()) {
        QVERIFY(p.data.isUndefined());
    } else {
        const QJsonDocument doc
            = p.data.isArray() ? QJsonDocument(p.data.toArray()) : QJsonDocument(p.data.toObject());
        QCOMPARE(doc.toJson(QJsonDocument::Compact), data);
    }
    // What parses, encodes back to the same packet.
    const SocketIo::ParseResult again = SocketIo::parse(SocketIo::encode(p));
    const SocketIo::Packet &q = std::get<SocketIo::Packet>(again);
    QCOMPARE(int(q.type), type);
    QCOMPARE(q.nsp, nsp);
    QCOMPARE(q.id, p.id);
    QCOMPARE(q.data, p.data);
}

void tst_SocketIoPackets::socketIoRefuses_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("type 7") << QByteArray("7[\"x\"]");
    QTest::newRow("letter type") << QByteArray("x");
    QTest::newRow("connect with an array") << QByteArray("0[1]");
    QTest::newRow("connect, bad JSON") << QByteArray("0{\"a\":");
    QTest::newRow("disconnect with data") << QByteArray("1{}");
    QTest::newRow("event without data") << QByteArray("2");
    QTest::newRow("event, empty array") << QByteArray("2[]");
    QTest::newRow("event, object") << QByteArray("2{\"a\":1}");
    QTest::newRow("event name a number") << QByteArray("2[1,2]");
    QTest::newRow("reserved name connect") << QByteArray("2[\"connect\"]");
    QTest::newRow("reserved name disconnect") << QByteArray("2[\"disconnect\",1]");
    QTest::newRow("reserved name newListener") << QByteArray("2[\"newListener\"]");
    QTest::newRow("trailing garbage") << QByteArray("2[\"a\"]x");
    QTest::newRow("ack without id") << QByteArray("3[\"a\"]");
    QTest::newRow("ack with an object") << QByteArray("31{}");
    QTest::newRow("ack id over 2^53") << QByteArray("29007199254740992[\"x\"]");
    QTest::newRow("ack id of 30 digits") << QByteArray("2123456789012345678901234567890[\"x\"]");
    QTest::newRow("binary without a count") << QByteArray("5[\"a\"]");
    QTest::newRow("binary without a dash") << QByteArray("51[\"a\"]");
    QTest::newRow("binary, too many attachments") << QByteArray("511-[\"a\"]");
    QTest::newRow("binary, count of 20 digits") << QByteArray("599999999999999999999-[\"a\"]");
    QTest::newRow("connect error from a client, bare string") << QByteArray("4\"no\"");
}

void tst_SocketIoPackets::socketIoRefuses()
{
    QFETCH(QByteArray, text);
    const SocketIo::ParseResult result = SocketIo::parse(text);
    QVERIFY(std::holds_alternative<SocketIo::ParseError>(result));
}

void tst_SocketIoPackets::socketIoEncodes_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<qint64>("id");
    QTest::addColumn<QJsonValue>("data");
    QTest::addColumn<QByteArray>("encoded");
    QTest::newRow("connect answer")
        << 0 << "/" << qint64(-1)
        << QJsonValue(QJsonObject {{QStringLiteral("sid"), QStringLiteral("wZX3")}})
        << QByteArray("0{\"sid\":\"wZX3\"}");
    QTest::newRow("connect answer /admin")
        << 0 << "/admin" << qint64(-1)
        << QJsonValue(QJsonObject {{QStringLiteral("sid"), QStringLiteral("oSO0")}})
        << QByteArray("0/admin,{\"sid\":\"oSO0\"}");
    QTest::newRow("connect error")
        << 4 << "/" << qint64(-1)
        << QJsonValue(QJsonObject {{QStringLiteral("message"), QStringLiteral("Not authorized")}})
        << QByteArray("4{\"message\":\"Not authorized\"}");
    QTest::newRow("event") << 2 << "/" << qint64(-1)
                           << QJsonValue(QJsonArray {QStringLiteral("hey"), QStringLiteral("Jude")})
                           << QByteArray("2[\"hey\",\"Jude\"]");
    QTest::newRow("ack") << 3 << "/" << qint64(12) << QJsonValue(QJsonArray {})
                         << QByteArray("312[]");
    QTest::newRow("disconnect /admin")
        << 1 << "/admin" << qint64(-1) << QJsonValue(QJsonValue::Undefined)
        << QByteArray("1/admin,");
}

void tst_SocketIoPackets::socketIoEncodes()
{
    QFETCH(int, type);
    QFETCH(QString, nsp);
    QFETCH(qint64, id);
    QFETCH(QJsonValue, data);
    QFETCH(QByteArray, encoded);
    SocketIo::Packet p;
    p.type = SioType(type);
    p.nsp = nsp;
    if (id >= 0)
        p.id = id;
    p.data = data;
    QCOMPARE(SocketIo::encode(p), encoded);
}

void tst_SocketIoPackets::engineIoRequests_data()
{
    // What the Engine.IO v4 test suite asks of a server's request checks, and
    // the sids a session table is never asked about.
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<bool>("upgrade");
    QTest::addColumn<QString>("expect"); // "handshake polling", "session SID websocket", "error N"
    QTest::newRow("polling handshake")
        << QByteArray("GET") << QByteArray("EIO=4&transport=polling&t=N8hyd6w") << false
        << "handshake polling";
    QTest::newRow("websocket handshake")
        << QByteArray("GET") << QByteArray("EIO=4&transport=websocket") << true
        << "handshake websocket";
    QTest::newRow("poll") << QByteArray("GET")
                          << QByteArray("EIO=4&transport=polling&sid=lv_VI97HAXpY6yYWAAAC") << false
                          << "session lv_VI97HAXpY6yYWAAAC polling";
    QTest::newRow("post") << QByteArray("POST") << QByteArray("EIO=4&transport=polling&sid=abc-1")
                          << false << "session abc-1 polling";
    QTest::newRow("upgrade") << QByteArray("GET") << QByteArray("EIO=4&transport=websocket&sid=abc")
                             << true << "session abc websocket";
    QTest::newRow("no EIO") << QByteArray("GET") << QByteArray("transport=polling") << false
                            << "error 5";
    QTest::newRow("EIO=abc") << QByteArray("GET") << QByteArray("EIO=abc&transport=polling")
                             << false << "error 5";
    QTest::newRow("EIO=3") << QByteArray("GET") << QByteArray("EIO=3&transport=polling") << false
                           << "error 5";
    QTest::newRow("no transport") << QByteArray("GET") << QByteArray("EIO=4") << false << "error 0";
    QTest::newRow("transport=abc")
        << QByteArray("GET") << QByteArray("EIO=4&transport=abc") << false << "error 0";
    QTest::newRow("handshake by POST")
        << QByteArray("POST") << QByteArray("EIO=4&transport=polling") << false << "error 2";
    QTest::newRow("handshake by PUT")
        << QByteArray("PUT") << QByteArray("EIO=4&transport=polling") << false << "error 2";
    QTest::newRow("PUT on a session")
        << QByteArray("PUT") << QByteArray("EIO=4&transport=polling&sid=abc") << false << "error 3";
    QTest::newRow("websocket without an upgrade")
        << QByteArray("GET") << QByteArray("EIO=4&transport=websocket") << false << "error 3";
    QTest::newRow("polling as an upgrade")
        << QByteArray("GET") << QByteArray("EIO=4&transport=polling") << true << "error 3";
    QTest::newRow("empty sid") << QByteArray("GET") << QByteArray("EIO=4&transport=polling&sid=")
                               << false << "error 1";
    QTest::newRow("sid with a quote")
        << QByteArray("GET") << QByteArray("EIO=4&transport=polling&sid=a%22b") << false
        << "error 1";
    QTest::newRow("sid of 65 characters")
        << QByteArray("GET") << "EIO=4&transport=polling&sid=" + QByteArray(65, 'a') << false
        << "error 1";
}

void tst_SocketIoPackets::engineIoRequests()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, query);
    QFETCH(bool, upgrade);
    QFETCH(QString, expect);
    const EngineIo::RequestKind kind = EngineIo::classifyRequest(method, query, upgrade);
    const auto name = [](EngineIo::Transport t) {
        return t == EngineIo::Transport::Polling ? QStringLiteral("polling")
                                                 : QStringLiteral("websocket");
    };
    QString got;
    if (const auto *h = std::get_if<EngineIo::Handshake>(&kind))
        got = QStringLiteral("handshake ") + name(h->transport);
    else if (const auto *s = std::get_if<EngineIo::SessionRequest>(&kind))
        got = QStringLiteral("session ") + s->sid + u' ' + name(s->transport);
    else
        got = QStringLiteral("error %1").arg(int(std::get<EngineIo::RequestError>(kind).code));
    QCOMPARE(got, expect);
    if (const auto *e = std::get_if<EngineIo::RequestError>(&kind)) {
        QCOMPARE(e->httpStatus(), 400);
        const QJsonObject body = QJsonDocument::fromJson(e->body()).object();
        QCOMPARE(body.value(QLatin1String("code")).toInt(), int(e->code));
        QCOMPARE(body.value(QLatin1String("message")).toString(), e->message());
    }
}

QTEST_GUILESS_MAIN(tst_SocketIoPackets)
#include "tst_socketiopackets.moc"
