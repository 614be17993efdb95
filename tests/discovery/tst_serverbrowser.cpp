// LAN discovery on a LAN of the test's own (tests/discovery/lan.sh: a network
// namespace with two addresses, a private system bus and avahi-daemon): real
// chat-server processes announce themselves, the client's ServerBrowser finds
// them by itself, the sign-in dialog lists them live and fills the address
// in, a client connects to what was found, a name taken gets Avahi's
// alternative, a TLS server's fingerprint is shown to compare, and a server
// that stops leaves the list.
#include "logindialog.h"
#include "serverbrowser.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Chat;
using Chat::Test::ServerProcess;
using Chat::Test::TestClient;

class tst_ServerBrowser : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void findsAServerStartedBefore();
    void findsAServerStartedAfterWithItsFingerprint();
    void aStoppedServerLeavesTheList();
    void announceOffIsNotFound();

private:
    std::optional<DiscoveredServer> find(const QString &name, quint16 port) const;
    bool startServer(ServerProcess &server, const QString &name, QStringList extra = {});

    QTemporaryDir m_dir;
    ServerBrowser m_browser;
    ServerProcess m_plain;
    ServerProcess m_tls;
    QStringList m_addresses;
    int m_run = 0;
};

std::optional<DiscoveredServer> tst_ServerBrowser::find(const QString &name, quint16 port) const
{
    for (const DiscoveredServer &s : m_browser.servers())
        if (s.name == name && s.port == port)
            return s;
    return std::nullopt;
}

bool tst_ServerBrowser::startServer(ServerProcess &server, const QString &name, QStringList extra)
{
    const QString dir = m_dir.filePath(QString::number(++m_run));
    QDir().mkpath(dir);
    extra << QStringLiteral("--host") << QStringLiteral("0.0.0.0") << QStringLiteral("--db")
          << dir + QStringLiteral("/chat.sqlite") << QStringLiteral("--announce-name") << name;
    return server.start(extra);
}

void tst_ServerBrowser::initTestCase()
{
    QVERIFY2(QDBusConnection::systemBus().isConnected()
                 && QDBusConnection::systemBus().interface()->isServiceRegistered(
                     QStringLiteral("org.freedesktop.Avahi")),
             "no Avahi on the system bus: run under tests/discovery/lan.sh");
    m_addresses
        = qEnvironmentVariable("CHAT_LAN_ADDRESSES").split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QCOMPARE(m_addresses.size(), 2);
}

void tst_ServerBrowser::findsAServerStartedBefore()
{
    QVERIFY(startServer(m_plain, QStringLiteral("Test office")));
    m_browser.start();
    QTRY_VERIFY_WITH_TIMEOUT(find(QStringLiteral("Test office"), m_plain.port()), 15000);
    const DiscoveredServer found = *find(QStringLiteral("Test office"), m_plain.port());
    QVERIFY2(m_addresses.contains(found.address), qPrintable(found.address));
    QCOMPARE(found.tls, false);
    QVERIFY(found.fingerprint.isEmpty());
    QCOMPARE(found.version, QStringLiteral(CHAT_VERSION));
    QCOMPARE(found.url().scheme(), QStringLiteral("ws"));
    // Seen on both of the namespace's addresses: listed once per address.
    auto onPort = [this](quint16 port) {
        const QList<DiscoveredServer> all = m_browser.servers();
        return int(std::count_if(all.cbegin(), all.cend(),
                                 [port](const DiscoveredServer &s) { return s.port == port; }));
    };
    QTRY_COMPARE_WITH_TIMEOUT(onPort(m_plain.port()), 2, 15000);

    // The sign-in dialog lists it and fills the address in on a click.
    LoginDialog dialog(&m_browser);
    dialog.show();
    QTRY_VERIFY(dialog.discoveredList()->count() >= 1);
    QListWidget *list = dialog.discoveredList();
    int row = -1;
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->text().startsWith(QStringLiteral("Test office — ")))
            row = i;
    QVERIFY(row >= 0);
    list->setCurrentRow(row);
    const QUrl chosen(dialog.serverEdit()->text());
    QCOMPARE(chosen.scheme(), QStringLiteral("ws"));
    QCOMPARE(quint16(chosen.port()), m_plain.port());
    QVERIFY(m_addresses.contains(chosen.host()));
    QVERIFY(dialog.fingerprintLabel()->text().isEmpty());
    QVERIFY(dialog.problem().isEmpty() || dialog.problem().contains(QLatin1String("name")));
    // Typing an address still works.
    dialog.serverEdit()->setText(QStringLiteral("ws://192.0.2.1:8080"));
    QCOMPARE(dialog.server(), QUrl(QStringLiteral("ws://192.0.2.1:8080")));

    // What was found is a server one can talk to, from the other address.
    TestClient client;
    QVERIFY(client.connectTo(chosen));
    QVERIFY(client.hello(QStringLiteral("Finder")));
}

void tst_ServerBrowser::findsAServerStartedAfterWithItsFingerprint()
{
    // Started while the browser runs, under a name already taken on the LAN.
    QVERIFY(
        startServer(m_tls, QStringLiteral("Test office"), {QStringLiteral("--tls-self-signed")}));
    const QByteArray out = m_tls.startupOutput();
    const QByteArray marker = "TLS certificate SHA-256 fingerprint: ";
    const qsizetype at = out.indexOf(marker);
    QVERIFY(at >= 0);
    const QString fingerprint = QString::fromLatin1(
        out.mid(at + marker.size(), out.indexOf('\n', at) - at - marker.size()).trimmed());
    QTRY_VERIFY_WITH_TIMEOUT(find(QStringLiteral("Test office #2"), m_tls.port()), 15000);
    const DiscoveredServer found = *find(QStringLiteral("Test office #2"), m_tls.port());
    QCOMPARE(found.tls, true);
    QCOMPARE(found.fingerprint, fingerprint);
    QCOMPARE(found.url().scheme(), QStringLiteral("wss"));
    QVERIFY(find(QStringLiteral("Test office"), m_plain.port())); // the first keeps its name

    LoginDialog dialog(&m_browser);
    dialog.show();
    QListWidget *list = dialog.discoveredList();
    QTRY_VERIFY(list->count() >= 2);
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->text().startsWith(QLatin1String("Test office #2")))
            list->setCurrentRow(i);
    QCOMPARE(QUrl(dialog.serverEdit()->text()).scheme(), QStringLiteral("wss"));
    QVERIFY(dialog.fingerprintLabel()->text().contains(fingerprint));
    QVERIFY(dialog.fingerprintLabel()->text().contains(QLatin1String("Compare")));
    // For a person to look at.
    const QString shots = QStringLiteral(CHAT_SOURCE_DIR "/tests/client/screenshots");
    QDir().mkpath(shots);
    dialog.adjustSize();
    QVERIFY(dialog.grab().save(shots + QStringLiteral("/login-discovered.png")));
}

void tst_ServerBrowser::aStoppedServerLeavesTheList()
{
    const quint16 port = m_plain.port();
    QVERIFY(find(QStringLiteral("Test office"), port));
    QVERIFY(m_plain.terminate());
    QTRY_VERIFY_WITH_TIMEOUT(!find(QStringLiteral("Test office"), port), 15000);
    QVERIFY(find(QStringLiteral("Test office #2"), m_tls.port())); // the other stays
    QVERIFY(m_tls.terminate());
    QTRY_VERIFY_WITH_TIMEOUT(m_browser.servers().isEmpty(), 15000);
}

void tst_ServerBrowser::announceOffIsNotFound()
{
    ServerProcess quiet;
    QVERIFY(startServer(quiet, QStringLiteral("Quiet office"),
                        {QStringLiteral("--announce"), QStringLiteral("off")}));
    ServerProcess marker;
    QVERIFY(startServer(marker, QStringLiteral("Marker office")));
    // Once the later one is found, the earlier would have been too.
    QTRY_VERIFY_WITH_TIMEOUT(find(QStringLiteral("Marker office"), marker.port()), 15000);
    QVERIFY(!find(QStringLiteral("Quiet office"), quiet.port()));
}

QTEST_MAIN(tst_ServerBrowser)
#include "tst_serverbrowser.moc"
