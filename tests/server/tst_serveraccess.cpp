// The in-process server's limits and doors: silent peers and slow handshakes,
// flood control, /healthz and 404, failed handshakes, foreign Host names (DNS
// rebinding), a password before room names, and what --web-root serves.
#include "inprocessserver.h"
#include "logging.h"
#include "requests.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTest>

#include <sys/stat.h>

using namespace Chat;
using Chat::Test::InProcessServer;
using Chat::Test::num;
using Chat::Test::str;
using Chat::Test::TestClient;

class tst_ServerAccess : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { applyLogSetting(QStringLiteral("warning")); }
    void init() { QVERIFY(m_s.start()); }
    void cleanup() { m_s.stop(); }

    void silentPeerIsDropped();
    void handshakeTimeoutClosesIdleSocket();
    void healthAndNotFound();
    void floodIsCappedThenClosed();
    void failedHandshakesAreForgotten();
    void foreignHostIsRefused();
    void roomsNeedThePassword();
    void webRootServesRegularFilesOnly();

private:
    std::unique_ptr<TestClient> client(const QString &name = {}, const QString &room = {}) const
    {
        return m_s.client(name, room);
    }

    InProcessServer m_s;
};

void tst_ServerAccess::silentPeerIsDropped()
{
    QVERIFY(m_s.restart([](ServerConfig &c) {
        c.pingIntervalMs = 100;
        c.idleTimeoutMs = 400;
    }));
    // A raw TCP peer that completes the handshake and then never answers a ping.
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, m_s.server->serverPort());
    QVERIFY(raw.waitForConnected(5000));
    raw.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QTRY_COMPARE(m_s.server->connectionCount(), 1);
    auto alive = client(QStringLiteral("Alive")); // answers pings: stays
    QVERIFY(alive);
    QTRY_COMPARE_WITH_TIMEOUT(raw.state(), QAbstractSocket::UnconnectedState, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(m_s.server->connectionCount(), 1, 5000);
    QVERIFY(alive->isOpen());
    QTest::qWait(600);
    QVERIFY(alive->isOpen());
}

void tst_ServerAccess::handshakeTimeoutClosesIdleSocket()
{
    QVERIFY(m_s.restart([](ServerConfig &c) { c.handshakeTimeoutMs = 300; }));
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, m_s.server->serverPort());
    QVERIFY(raw.waitForConnected(5000));
    raw.write("GET / HTTP/1.1\r\nHost: x\r\n"); // never finishes the head
    QTRY_COMPARE_WITH_TIMEOUT(raw.state(), QAbstractSocket::UnconnectedState, 5000);
    auto fine = client(QStringLiteral("Fine"));
    QVERIFY(fine);
}

void tst_ServerAccess::healthAndNotFound()
{
    auto a = client(QStringLiteral("Aminah"), QStringLiteral("general"));
    QVERIFY(a);
    const QByteArray health = m_s.httpGet("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QVERIFY2(health.startsWith("HTTP/1.1 200"), health.constData());
    QVERIFY(health.toLower().contains("content-type: application/json"));
    const QJsonObject body
        = QJsonDocument::fromJson(health.mid(health.indexOf("\r\n\r\n") + 4)).object();
    QCOMPARE(str(body, "status"), QStringLiteral("ok"));
    QCOMPARE(num(body, "connections"), 1);
    QCOMPARE(num(body, "directLinks"), 1); // plain ws://: framed by chat-server itself
    QCOMPARE(num(body, "rooms"), 1);
    QVERIFY(body.value(QLatin1String("uptime")).toDouble() >= 0);
    const QByteArray missing = m_s.httpGet("GET /no/such/page HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QVERIFY2(missing.startsWith("HTTP/1.1 404"), missing.constData());
    QVERIFY(missing.contains("Not found"));
    // WebSocket clients were not disturbed by the HTTP traffic.
    a->send(Requests::chat(QStringLiteral("general"), QStringLiteral("after http")));
    QCOMPARE(str(a->take(QStringLiteral("message")), "text"), QStringLiteral("after http"));
}

void tst_ServerAccess::floodIsCappedThenClosed()
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

void tst_ServerAccess::failedHandshakesAreForgotten()
{
    // Upgrade requests Qt refuses (no Sec-WebSocket-Key): each socket is deleted,
    // and so is what the server kept of it. It kept them all before (RSS grew
    // linearly: 80,000 requests took 20.6 MB to 30.1 MB).
    constexpr int Requests = 200;
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (int i = 0; i < Requests; ++i) {
        auto raw = std::make_unique<QTcpSocket>();
        raw->connectToHost(QHostAddress::LocalHost, m_s.server->serverPort());
        QVERIFY(raw->waitForConnected(5000));
        raw->write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
        sockets.push_back(std::move(raw));
    }
    for (auto &raw : sockets)
        QTRY_COMPARE_WITH_TIMEOUT(raw->state(), QAbstractSocket::UnconnectedState, 10000);
    QTRY_COMPARE(num(m_s.server->health(), "sockets"), 0);
    QTRY_COMPARE(num(m_s.server->health(), "upgrading"), 0);
    QCOMPARE(m_s.server->connectionCount(), 0);
    // A good handshake still works, and leaves nothing behind either.
    auto a = client(QStringLiteral("Aminah"));
    QVERIFY(a);
    QCOMPARE(num(m_s.server->health(), "upgrading"), 0);
}

void tst_ServerAccess::foreignHostIsRefused()
{
    // DNS rebinding: a page on evil.example whose name now points here. The
    // browser sends Host and Origin of that name; both match, and got 101 before.
    const QByteArray upgrade = "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                               "Sec-WebSocket-Version: 13\r\n";
    const QByteArray rebound = m_s.httpGet(upgrade
                                           + "Host: evil.example:8080\r\n"
                                             "Origin: http://evil.example:8080\r\n\r\n");
    QVERIFY2(rebound.startsWith("HTTP/1.1 421"), rebound.constData());
    const QByteArray page = m_s.httpGet("GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n");
    QVERIFY2(page.startsWith("HTTP/1.1 421"), page.constData());
    const QByteArray own = m_s.httpGet(upgrade
                                       + "Host: 127.0.0.1:8080\r\n"
                                         "Origin: http://127.0.0.1:8080\r\n\r\n");
    QVERIFY2(own.startsWith("HTTP/1.1 101"), own.constData());
    // A name the operator allows.
    QVERIFY(m_s.restart([](ServerConfig &c) {
        c.allowedHosts = QStringList {QStringLiteral("chat.example.org")};
    }));
    const QByteArray allowed = m_s.httpGet(upgrade
                                           + "Host: chat.example.org\r\n"
                                             "Origin: http://chat.example.org\r\n\r\n");
    QVERIFY2(allowed.startsWith("HTTP/1.1 101"), allowed.constData());
}

void tst_ServerAccess::roomsNeedThePassword()
{
    QVERIFY(m_s.restart([](ServerConfig &c) { c.access.token = QStringLiteral("s3cret"); }));
    TestClient member;
    QVERIFY(member.connectTo(m_s.url));
    member.send(Requests::hello(QStringLiteral("Member"), QStringLiteral("s3cret")));
    QVERIFY(!member.take(QStringLiteral("identified")).isEmpty());
    QVERIFY(!member.join(QStringLiteral("secret-plans")).isEmpty());

    TestClient stranger;
    QVERIFY(stranger.connectTo(m_s.url));
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

void tst_ServerAccess::webRootServesRegularFilesOnly()
{
    QTemporaryDir outside;
    QFile secret(outside.filePath(QStringLiteral("secret.txt")));
    QVERIFY(secret.open(QIODevice::WriteOnly) && secret.write("not for the web") > 0);
    secret.close();
    const QString root = m_s.dir->filePath(QStringLiteral("web"));
    QVERIFY(QDir().mkpath(root));
    QFile index(root + QStringLiteral("/index.html"));
    QVERIFY(index.open(QIODevice::WriteOnly) && index.write("<p>hello</p>") > 0);
    index.close();
    QVERIFY(QFile::link(secret.fileName(), root + QStringLiteral("/link.html")));
    QCOMPARE(::mkfifo(QFile::encodeName(root + QStringLiteral("/fifo.html")).constData(), 0600), 0);
    QVERIFY(m_s.restart([&root](ServerConfig &c) { c.webRoot = root; }));

    const QByteArray page = m_s.httpGet("GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QVERIFY2(page.startsWith("HTTP/1.1 200") && page.endsWith("<p>hello</p>"), page.constData());
    const QByteArray link = m_s.httpGet("GET /link.html HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QVERIFY2(link.startsWith("HTTP/1.1 404") && !link.contains("not for the web"),
             link.constData());
    // A FIFO would block the server's only thread on open() or read().
    const QByteArray fifo = m_s.httpGet("GET /fifo.html HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QVERIFY2(fifo.startsWith("HTTP/1.1 404"), fifo.constData());
    auto a = client(QStringLiteral("Aminah")); // and the server still answers
    QVERIFY(a);
}

QTEST_GUILESS_MAIN(tst_ServerAccess)
#include "tst_serveraccess.moc"
