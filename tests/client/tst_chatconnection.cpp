// The client core against a real chat-server process: chat, typing, and a server
// killed and restarted on the same port while the client keeps typing.
#include "chatconnection.h"
#include "requests.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Chat;
using Chat::Test::ServerProcess;
using Chat::Test::TestClient;

class tst_ChatConnection : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void chatsAndTypes();
    void takenNameIsReported();
    void reconnectsRejoinsAndDeliversOutbox();
    void tlsTrustOnFirstUse();
    void passwordIsAskedFor();

private:
    QStringList serverArgs(const QString &db, quint16 port = 0) const
    {
        return {QStringLiteral("--db"), db, QStringLiteral("--port"), QString::number(port)};
    }
    QTemporaryDir m_dir;
};

void tst_ChatConnection::initTestCase()
{
    QVERIFY(!ServerProcess::binary().isEmpty());
    qRegisterMetaType<Chat::ChatMessage>();
    qRegisterMetaType<QList<Chat::ChatMessage>>();
}

void tst_ChatConnection::chatsAndTypes()
{
    ServerProcess server;
    QVERIFY(server.start(serverArgs(m_dir.filePath(QStringLiteral("a.sqlite")))));
    ChatConnection connection;
    QSignalSpy joined(&connection, &ChatConnection::roomJoined);
    QSignalSpy received(&connection, &ChatConnection::messageReceived);
    connection.join(QStringLiteral("general"));
    connection.connectToServer(server.url(), QStringLiteral("Aminah"));
    QTRY_COMPARE(joined.count(), 1);
    QCOMPARE(connection.state(), ChatConnection::State::Online);
    QVERIFY(!connection.session().isEmpty());

    TestClient ben;
    QVERIFY(ben.connectTo(server.url()));
    QVERIFY(ben.hello(QStringLiteral("Ben")));
    QVERIFY(!ben.join(QStringLiteral("general")).isEmpty());

    const OutboxItem item
        = connection.sendMessage(QStringLiteral("general"), QStringLiteral("hello Ben"));
    const QJsonObject m = ben.take(QStringLiteral("message"));
    QCOMPARE(m.value(QLatin1String("text")).toString(), QStringLiteral("hello Ben"));
    QCOMPARE(m.value(QLatin1String("clientId")).toString(), item.clientId);
    QTRY_COMPARE(received.count(), 1);
    QVERIFY(connection.outbox()->isEmpty()); // confirmed by the echo

    ben.send(Requests::chat(QStringLiteral("general"), QStringLiteral("hi Aminah")));
    QTRY_COMPARE(received.count(), 2);
    QCOMPARE(received.at(1).at(0).value<ChatMessage>().username, QStringLiteral("Ben"));

    QSignalSpy typing(&connection, &ChatConnection::typingChanged);
    ben.send(Requests::typing(QStringLiteral("general"), true));
    QTRY_COMPARE(typing.count(), 1);
    QCOMPARE(typing.at(0).at(1).toString(), QStringLiteral("Ben"));
    connection.sendTyping(QStringLiteral("general"), true);
    QCOMPARE(ben.take(QStringLiteral("user-typing")).value(QLatin1String("username")).toString(),
             QStringLiteral("Aminah"));
    connection.disconnectFromServer();
    QCOMPARE(ben.take(QStringLiteral("user-left")).value(QLatin1String("username")).toString(),
             QStringLiteral("Aminah"));
}

void tst_ChatConnection::takenNameIsReported()
{
    ServerProcess server;
    QVERIFY(server.start(serverArgs(m_dir.filePath(QStringLiteral("b.sqlite")))));
    TestClient holder;
    QVERIFY(holder.connectTo(server.url()));
    QVERIFY(holder.hello(QStringLiteral("Aminah")));
    ChatConnection connection;
    QSignalSpy failed(&connection, &ChatConnection::identifyFailed);
    QSignalSpy identified(&connection, &ChatConnection::identified);
    connection.connectToServer(server.url(), QStringLiteral("aminah"));
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("name-taken"));
    QVERIFY(!failed.at(0).at(1).toString().isEmpty());
    connection.identifyAs(QStringLiteral("Aminah2"));
    QTRY_COMPARE(identified.count(), 1);
    QCOMPARE(connection.username(), QStringLiteral("Aminah2"));
}

void tst_ChatConnection::reconnectsRejoinsAndDeliversOutbox()
{
    const QString db = m_dir.filePath(QStringLiteral("c.sqlite"));
    ServerProcess server;
    QVERIFY(server.start(serverArgs(db)));
    const quint16 port = server.port();

    ChatConnection connection;
    QSignalSpy joined(&connection, &ChatConnection::roomJoined);
    QSignalSpy received(&connection, &ChatConnection::messageReceived);
    QSignalSpy scheduled(&connection, &ChatConnection::reconnectScheduled);
    connection.join(QStringLiteral("general"));
    connection.join(QStringLiteral("random"));
    connection.connectToServer(server.url(), QStringLiteral("Aminah"));
    QTRY_COMPARE(joined.count(), 2);
    connection.sendMessage(QStringLiteral("general"), QStringLiteral("before the crash"));
    QTRY_VERIFY(connection.outbox()->isEmpty());

    server.kill(); // SIGKILL: no close frame, no goodbye
    QTRY_COMPARE(connection.state(), ChatConnection::State::Reconnecting);
    // Typed while the server is down: shown as pending, kept in order.
    connection.sendMessage(QStringLiteral("general"), QStringLiteral("typed while down 1"));
    connection.sendMessage(QStringLiteral("random"), QStringLiteral("typed while down 2"));
    connection.sendMessage(QStringLiteral("general"), QStringLiteral("typed while down 3"));
    QCOMPARE(connection.outbox()->size(), 3);

    // Let one attempt fail against the dead port, then bring the server back and
    // have someone speak before the next attempt is due (it is >= 800 ms away).
    QTRY_VERIFY_WITH_TIMEOUT(scheduled.count() >= 2, 10000);
    const qint64 delay = scheduled.last().at(0).toLongLong();
    QVERIFY2(delay >= 800 && delay <= 1200, qPrintable(QString::number(delay)));
    QElapsedTimer sinceRestart;
    sinceRestart.start();
    ServerProcess again;
    QVERIFY(again.start(serverArgs(db, port)));
    TestClient ben;
    QVERIFY(ben.connectTo(again.url()));
    QVERIFY(ben.hello(QStringLiteral("Ben")));
    QVERIFY(!ben.join(QStringLiteral("general")).isEmpty());
    ben.send(Requests::chat(QStringLiteral("general"), QStringLiteral("said while you were away")));
    QVERIFY(!ben.take(QStringLiteral("message")).isEmpty());
    QVERIFY2(connection.state() != ChatConnection::State::Online,
             "reconnected too early for this test");

    // Back within the backoff bound, re-joined both rooms, saw what was missed.
    QTRY_COMPARE_WITH_TIMEOUT(connection.state(), ChatConnection::State::Online, 5000);
    QVERIFY2(sinceRestart.elapsed() <= delay + 1500,
             qPrintable(QString::number(sinceRestart.elapsed())));
    QTRY_COMPARE(joined.count(), 4);
    bool sawMissed = false;
    for (const QList<QVariant> &args : joined) {
        for (const ChatMessage &m : args.at(2).value<QList<ChatMessage>>())
            sawMissed = sawMissed || m.text == QLatin1String("said while you were away");
    }
    QVERIFY(sawMissed);
    // The outbox went out exactly once, in order.
    QTRY_VERIFY(connection.outbox()->isEmpty());
    QCOMPARE(ben.take(QStringLiteral("message")).value(QLatin1String("text")).toString(),
             QStringLiteral("typed while down 1"));
    QCOMPARE(ben.take(QStringLiteral("message")).value(QLatin1String("text")).toString(),
             QStringLiteral("typed while down 3"));
    QVERIFY(ben.sync());
    QVERIFY(ben.pending(QStringLiteral("message")).isEmpty());
    QVERIFY(again.terminate());

    QSqlDatabase sql
        = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
    sql.setDatabaseName(db);
    QVERIFY(sql.open());
    QSqlQuery q(sql);
    QVERIFY(q.exec(QStringLiteral("SELECT text, COUNT(*) FROM messages GROUP BY text")));
    QHash<QString, int> counts;
    while (q.next())
        counts.insert(q.value(0).toString(), q.value(1).toInt());
    QCOMPARE(counts.value(QStringLiteral("before the crash")), 1);
    QCOMPARE(counts.value(QStringLiteral("typed while down 1")), 1);
    QCOMPARE(counts.value(QStringLiteral("typed while down 2")), 1);
    QCOMPARE(counts.value(QStringLiteral("typed while down 3")), 1);
    q.finish();
    sql.close();
}

void tst_ChatConnection::tlsTrustOnFirstUse()
{
    ServerProcess server;
    QTemporaryDir data;
    QVERIFY(server.start({QStringLiteral("--db"), data.filePath(QStringLiteral("tls.sqlite")),
                          QStringLiteral("--tls-self-signed")}));
    QVERIFY(server.isTls());
    const QByteArray out = server.startupOutput();
    const QByteArray marker = "fingerprint: ";
    const QString printed
        = QString::fromLatin1(out.mid(out.indexOf(marker) + marker.size(), 95)).trimmed();
    QCOMPARE(printed.size(), 95); // 32 bytes as XX:XX:...

    CertificatePins pins(m_dir.filePath(QStringLiteral("pins.ini")));
    ChatConnection connection;
    connection.setCertificatePins(&pins);
    QSignalSpy untrusted(&connection, &ChatConnection::certificateUntrusted);
    QSignalSpy joined(&connection, &ChatConnection::roomJoined);
    connection.join(QStringLiteral("general"));
    connection.connectToServer(server.url(), QStringLiteral("Aminah"));
    // First contact: the fingerprint is shown, nothing is trusted silently.
    QTRY_COMPARE(untrusted.count(), 1);
    QCOMPARE(untrusted.at(0).at(1).toString(), printed);
    QVERIFY(untrusted.at(0).at(2).toString().isEmpty());
    QTRY_COMPARE(connection.state(), ChatConnection::State::Offline);
    QCOMPARE(joined.count(), 0);
    // The user accepts: pinned, and the connection works over wss://.
    pins.pin(untrusted.at(0).at(0).toString(), untrusted.at(0).at(1).toString());
    connection.connectToServer(server.url(), QStringLiteral("Aminah"));
    QTRY_COMPARE(joined.count(), 1);
    QSignalSpy received(&connection, &ChatConnection::messageReceived);
    connection.sendMessage(QStringLiteral("general"), QStringLiteral("over TLS"));
    QTRY_COMPARE(received.count(), 1);
    connection.disconnectFromServer();
    QVERIFY(server.terminate());

    // Another certificate on the same host and port: refused, with both fingerprints.
    ServerProcess impostor;
    QTemporaryDir otherData;
    QVERIFY(
        impostor.start({QStringLiteral("--db"), otherData.filePath(QStringLiteral("tls.sqlite")),
                        QStringLiteral("--tls-self-signed"), QStringLiteral("--port"),
                        QString::number(server.port())}));
    untrusted.clear();
    connection.connectToServer(impostor.url(), QStringLiteral("Aminah"));
    QTRY_COMPARE(untrusted.count(), 1);
    QCOMPARE(untrusted.at(0).at(2).toString(), printed);
    QVERIFY(untrusted.at(0).at(1).toString() != printed);
    QCOMPARE(joined.count(), 1);
}

void tst_ChatConnection::passwordIsAskedFor()
{
    ServerProcess server;
    QVERIFY(server.start({QStringLiteral("--db"), m_dir.filePath(QStringLiteral("pw.sqlite")),
                          QStringLiteral("--token"), QStringLiteral("open sesame")}));
    ChatConnection connection;
    QSignalSpy failed(&connection, &ChatConnection::identifyFailed);
    QSignalSpy identified(&connection, &ChatConnection::identified);
    QSignalSpy scheduled(&connection, &ChatConnection::reconnectScheduled);
    connection.connectToServer(server.url(), QStringLiteral("Aminah"), QStringLiteral("wrong"));
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("unauthorized"));
    QTRY_COMPARE(connection.state(), ChatConnection::State::Offline);
    // A retry would have been scheduled when the connection closed (and the
    // state would be Reconnecting): none, with a wrong password.
    QCOMPARE(scheduled.count(), 0);
    connection.connectToServer(server.url(), QStringLiteral("Aminah"),
                               QStringLiteral("open sesame"));
    QTRY_COMPARE(identified.count(), 1);
}

QTEST_GUILESS_MAIN(tst_ChatConnection)
#include "tst_chatconnection.moc"
