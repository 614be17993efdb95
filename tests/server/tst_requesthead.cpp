// The request head the front door peeks at, and whom the server answers:
// Host must be one of the server's own names or an address (DNS rebinding).
#include "requesthead.h"

#include <QTest>

using namespace Chat;

namespace {
RequestHead head(const QByteArray &host, const QByteArray &origin = {}, bool upgrade = true)
{
    QByteArray text = "GET / HTTP/1.1\r\n";
    if (!host.isNull())
        text += "Host: " + host + "\r\n";
    if (upgrade)
        text += "Upgrade: websocket\r\nConnection: Upgrade\r\n";
    if (!origin.isEmpty())
        text += "Origin: " + origin + "\r\n";
    return RequestHead::parse(text).value();
}

const HostPolicy policy({QStringLiteral("chatbox"), QStringLiteral("chatbox.local")},
                        {QStringLiteral("chat.example.org")},
                        {QStringLiteral("http://tools.example.org:3000")});
} // namespace

class tst_RequestHead : public QObject
{
    Q_OBJECT
private slots:
    void parsesTheHead();
    void refusesMalformedHeads_data();
    void refusesMalformedHeads();
    void hosts_data();
    void hosts();
    void origins_data();
    void origins();
    void anyHostBehindAProxy();
};

void tst_RequestHead::parsesTheHead()
{
    const auto h = RequestHead::parse(
        "GET /chat?x=1 HTTP/1.1\r\nHost: Chatbox:8080\r\nUPGRADE: WebSocket\r\nX-Empty:\r\n");
    QVERIFY(h);
    QCOMPARE(h->method(), QByteArray("GET"));
    QCOMPARE(h->target(), QByteArray("/chat?x=1"));
    QVERIFY(h->isWebSocketUpgrade());
    QCOMPARE(h->header("host"), QByteArray("Chatbox:8080"));
    QCOMPARE(h->hostName(), std::optional<QByteArray>("chatbox"));
    QCOMPARE(h->header("x-empty"), QByteArray());
    QVERIFY(!RequestHead::parse("GET / HTTP/1.1\r\nAccept: */*")->isWebSocketUpgrade());
    QCOMPARE(head("[::1]:8080").hostName(), std::optional<QByteArray>("::1"));
    QCOMPARE(head({}).hostName(), std::optional<QByteArray>(QByteArray()));
    // A list header on several lines is one list, in order.
    const auto lists
        = RequestHead::parse("GET / HTTP/1.1\r\nSec-WebSocket-Extensions: a; x=1\r\nHost: h\r\n"
                             "sec-websocket-extensions:  b \r\n");
    QVERIFY(lists);
    QCOMPARE(lists->headerList("Sec-WebSocket-Extensions"), QByteArray("a; x=1, b"));
    QCOMPARE(lists->header("sec-websocket-extensions"), QByteArray("a; x=1"));
    QCOMPARE(lists->headerList("host"), QByteArray("h"));
    QCOMPARE(lists->headerList("absent"), QByteArray());
}

void tst_RequestHead::refusesMalformedHeads_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("no version") << QByteArray("GET /");
    QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0");
    QTest::newRow("lower-case method") << QByteArray("get / HTTP/1.1");
    QTest::newRow("space in target") << QByteArray("GET /a b HTTP/1.1");
    QTest::newRow("relative target") << QByteArray("GET chat HTTP/1.1");
    QTest::newRow("control in target") << QByteArray("GET /\x01 HTTP/1.1");
    QTest::newRow("header without a name") << QByteArray("GET / HTTP/1.1\r\n: x");
    QTest::newRow("header without a colon") << QByteArray("GET / HTTP/1.1\r\nHost");
}

void tst_RequestHead::refusesMalformedHeads()
{
    QFETCH(QByteArray, text);
    QVERIFY(!RequestHead::parse(text));
}

void tst_RequestHead::hosts_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("IPv4 with port") << QByteArray("127.0.0.1:8080") << true;
    QTest::newRow("LAN address") << QByteArray("192.168.1.20:8080") << true;
    QTest::newRow("IPv6 literal") << QByteArray("[fe80::1]:8080") << true;
    QTest::newRow("localhost") << QByteArray("localhost:8080") << true;
    QTest::newRow("sub.localhost") << QByteArray("app.localhost") << true;
    QTest::newRow("own name") << QByteArray("chatbox:8080") << true;
    QTest::newRow("own name, mDNS") << QByteArray("ChatBox.local") << true;
    QTest::newRow("--allow-host") << QByteArray("chat.example.org") << true;
    QTest::newRow("no Host (HTTP/1.0)") << QByteArray() << true;
    QTest::newRow("rebinding name") << QByteArray("evil.example:8080") << false;
    QTest::newRow("own name as a suffix") << QByteArray("chatbox.evil.example") << false;
    QTest::newRow("number-like name") << QByteArray("127.0.0.1.evil.example") << false;
    QTest::newRow("empty name") << QByteArray(":8080") << false;
    QTest::newRow("bad characters") << QByteArray("chat box") << false;
    QTest::newRow("unclosed bracket") << QByteArray("[::1:8080") << false;
}

void tst_RequestHead::hosts()
{
    QFETCH(QByteArray, host);
    QFETCH(bool, allowed);
    QCOMPARE(policy.allowsHost(head(host.isEmpty() ? QByteArray() : host)), allowed);
}

void tst_RequestHead::origins_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("no Origin (not a browser)")
        << QByteArray("chatbox:8080") << QByteArray() << false << true;
    QTest::newRow("own page") << QByteArray("chatbox:8080") << QByteArray("http://chatbox:8080")
                              << false << true;
    QTest::newRow("own page over TLS")
        << QByteArray("chatbox:8443") << QByteArray("https://chatbox:8443") << true << true;
    QTest::newRow("http page on a TLS server")
        << QByteArray("chatbox:8443") << QByteArray("http://chatbox:8443") << true << false;
    QTest::newRow("other site") << QByteArray("chatbox:8080") << QByteArray("http://evil.example")
                                << false << false;
    QTest::newRow("DNS rebinding: Origin matches Host")
        << QByteArray("evil.example:8080") << QByteArray("http://evil.example:8080") << false
        << false;
    QTest::newRow("--allow-origin") << QByteArray("chatbox:8080")
                                    << QByteArray("http://tools.example.org:3000") << false << true;
}

void tst_RequestHead::origins()
{
    QFETCH(QByteArray, host);
    QFETCH(QByteArray, origin);
    QFETCH(bool, tls);
    QFETCH(bool, allowed);
    QCOMPARE(policy.allowsOrigin(head(host, origin), tls), allowed);
}

void tst_RequestHead::anyHostBehindAProxy()
{
    const HostPolicy any({}, {QStringLiteral("*")});
    QVERIFY(any.allowsHost(head("evil.example")));
    QVERIFY(!HostPolicy().allowsHost(head("evil.example")));
}

QTEST_GUILESS_MAIN(tst_RequestHead)
#include "tst_requesthead.moc"
