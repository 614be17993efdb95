// The chat-server program itself: options, config file, SIGTERM, restart.
#include "requests.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Chat;
using Chat::Test::ServerProcess;
using Chat::Test::TestClient;

class tst_ServerProcess : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void helpAndVersion();
    void badOptionsAreRefused_data();
    void badOptionsAreRefused();
    void configFileSetsOptions();
    void sigtermClosesClientsAndRestartKeepsHistory();

private:
    QByteArray runToEnd(const QStringList &args, int *exitCode);
    QTemporaryDir m_dir;
};

void tst_ServerProcess::initTestCase()
{
    QVERIFY2(!ServerProcess::binary().isEmpty(), "CHAT_SERVER_BIN is not set");
    QVERIFY(m_dir.isValid());
}

QByteArray tst_ServerProcess::runToEnd(const QStringList &args, int *exitCode)
{
    QProcess p;
    p.start(ServerProcess::binary(), args);
    p.waitForFinished(10000);
    *exitCode = p.exitCode();
    return p.readAllStandardOutput() + p.readAllStandardError();
}

void tst_ServerProcess::helpAndVersion()
{
    int code = -1;
    const QByteArray help = runToEnd({QStringLiteral("--help")}, &code);
    QCOMPARE(code, 0);
    for (const char *option : {"--host", "--port", "--db", "--log", "--config", "--version"})
        QVERIFY2(help.contains(option), option);
    const QByteArray version = runToEnd({QStringLiteral("--version")}, &code);
    QCOMPARE(code, 0);
    QVERIFY(version.contains("chat-server 0.1.0"));
}

void tst_ServerProcess::badOptionsAreRefused_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addRow("port not a number")
        << QStringList {QStringLiteral("--port"), QStringLiteral("abc")};
    QTest::addRow("port too big") << QStringList {QStringLiteral("--port"),
                                                  QStringLiteral("70000")};
    QTest::addRow("host not an address")
        << QStringList {QStringLiteral("--host"), QStringLiteral("example")};
    QTest::addRow("unknown option") << QStringList {QStringLiteral("--frobnicate")};
    QTest::addRow("missing config")
        << QStringList {QStringLiteral("--config"), QStringLiteral("/nonexistent.ini")};
    QTest::addRow("bad log") << QStringList {QStringLiteral("--log"), QStringLiteral("loud")};
}

void tst_ServerProcess::badOptionsAreRefused()
{
    QFETCH(QStringList, args);
    int code = -1;
    const QByteArray output = runToEnd(args, &code);
    QCOMPARE(code, 2);
    QVERIFY2(output.contains("chat-server:"), output.constData());
}

void tst_ServerProcess::configFileSetsOptions()
{
    const QString ini = m_dir.filePath(QStringLiteral("server.ini"));
    QFile file(ini);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("history=3\nmax-text-length=10\nlog=warning\n");
    file.close();
    ServerProcess server;
    QVERIFY(server.start({QStringLiteral("--config"), ini, QStringLiteral("--db"),
                          m_dir.filePath(QStringLiteral("cfg.sqlite"))}));
    TestClient a;
    QVERIFY(a.connectTo(server.url()));
    QVERIFY(a.hello(QStringLiteral("Aminah")));
    QVERIFY(!a.join(QStringLiteral("general")).isEmpty());
    for (int i = 0; i < 5; ++i)
        a.send(Requests::chat(QStringLiteral("general"), QStringLiteral("m%1").arg(i)));
    for (int i = 0; i < 5; ++i)
        QVERIFY(!a.take(QStringLiteral("message")).isEmpty());
    a.send(Requests::chat(QStringLiteral("general"), QStringLiteral("eleven char")));
    QCOMPARE(a.take(QStringLiteral("error")).value(QLatin1String("code")).toString(),
             QStringLiteral("too-long"));
    TestClient b;
    QVERIFY(b.connectTo(server.url()));
    QVERIFY(b.hello(QStringLiteral("Ben")));
    QCOMPARE(b.join(QStringLiteral("general")).value(QLatin1String("history")).toArray().size(), 3);
    QVERIFY(server.terminate());
}

void tst_ServerProcess::sigtermClosesClientsAndRestartKeepsHistory()
{
    const QString db = m_dir.filePath(QStringLiteral("restart.sqlite"));
    ServerProcess server;
    QVERIFY(server.start({QStringLiteral("--db"), db}));
    TestClient a;
    QVERIFY(a.connectTo(server.url()));
    QVERIFY(a.hello(QStringLiteral("Aminah")));
    QVERIFY(!a.join(QStringLiteral("general")).isEmpty());
    const QStringList texts = {QStringLiteral("one"), QStringLiteral("two"),
                               QString::fromUtf8("drei – ünïcode 🙂")};
    for (const QString &text : texts)
        a.send(Requests::chat(QStringLiteral("general"), text));
    for (int i = 0; i < texts.size(); ++i)
        QVERIFY(!a.take(QStringLiteral("message")).isEmpty());

    QVERIFY(server.terminate());
    QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.process().exitCode(), 0);
    QVERIFY(a.waitClosed());
    QCOMPARE(a.closeCode(), 1001);
    QCOMPARE(a.closeReason(), QStringLiteral("server shutting down"));

    ServerProcess again;
    QVERIFY(again.start({QStringLiteral("--db"), db}));
    TestClient b;
    QVERIFY(b.connectTo(again.url()));
    QVERIFY(b.hello(QStringLiteral("Ben")));
    const QJsonArray history
        = b.join(QStringLiteral("general")).value(QLatin1String("history")).toArray();
    QCOMPARE(history.size(), texts.size());
    for (qsizetype i = 0; i < texts.size(); ++i) {
        QCOMPARE(history.at(i).toObject().value(QLatin1String("text")).toString(), texts.at(i));
        QCOMPARE(history.at(i).toObject().value(QLatin1String("id")).toInt(), int(i + 1));
    }
    b.send(Requests::chat(QStringLiteral("general"), QStringLiteral("four")));
    QCOMPARE(b.take(QStringLiteral("message")).value(QLatin1String("id")).toInt(), 4);
    QVERIFY(again.terminate());
    QCOMPARE(again.process().exitCode(), 0);
}

QTEST_GUILESS_MAIN(tst_ServerProcess)
#include "tst_serverprocess.moc"
