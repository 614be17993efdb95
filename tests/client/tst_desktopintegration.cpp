// The client on the desktop, on a private session bus (the test runs under
// dbus-run-session): what it sends the notification server (a fake one on the
// same bus), that a notification's action opens its room, that a room's next
// notification replaces its last, the fallback when no server is there; the
// single instance, the autostart entry, and the panels' sizes kept.
#include "autostart.h"
#include "chatclient.h"
#include "chatserver.h"
#include "desktopnotifications.h"
#include "inprocessserver.h"
#include "mainwindow.h"
#include "notifier.h"
#include "preferencesdialog.h"
#include "requests.h"
#include "roomlistmodel.h"
#include "singleinstance.h"
#include "sqlitemessagestore.h"
#include "testclient.h"

#include <QApplication>
#include <QCheckBox>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Chat;
using Chat::Test::TestClient;

// A notification server as the desktop has one: records every Notify, and
// can say that a notification was clicked or closed.
class FakeNotificationServer final : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call
    {
        QString appName;
        uint replacesId;
        QString icon;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
        int timeout;
        uint id;
    };
    QList<Call> calls;

public slots:
    uint Notify(const QString &appName, uint replacesId, const QString &icon,
                const QString &summary, const QString &body, const QStringList &actions,
                const QVariantMap &hints, int timeout)
    {
        const uint id = replacesId != 0 ? replacesId : ++m_lastId;
        calls.append({appName, replacesId, icon, summary, body, actions, hints, timeout, id});
        return id;
    }
    void CloseNotification(uint id) { emit NotificationClosed(id, 3); }
    QStringList GetCapabilities() { return {QStringLiteral("actions"), QStringLiteral("body")}; }

signals:
    void ActionInvoked(uint id, const QString &action);
    void NotificationClosed(uint id, uint reason);

private:
    uint m_lastId = 0;
};

class tst_DesktopIntegration : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void notifiesThroughTheNotificationServer();
    void actionOpensTheRoom();
    void closedNotificationIsNotReplaced();
    void fallsBackWithoutAServer();
    void secondStartRaisesTheFirst();
    void autostartEntry();
    void layoutIsKept();
    void preferencesOfferTheDesktopChoices();

private:
    std::unique_ptr<TestClient> ben();
    bool startFakeServer();
    void stopFakeServer();

    Chat::Test::InProcessServer m_server;
    std::unique_ptr<ChatClient> m_client;
    std::unique_ptr<DesktopNotifications> m_desktop;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<FakeNotificationServer> m_fake;
    QUrl m_url;
};

bool tst_DesktopIntegration::startFakeServer()
{
    // A connection of its own: the client's calls go through the bus daemon.
    QDBusConnection bus = QDBusConnection::connectToBus(QDBusConnection::SessionBus,
                                                        QStringLiteral("fake-notifications"));
    m_fake = std::make_unique<FakeNotificationServer>();
    return bus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), m_fake.get(),
                              QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals)
        && bus.registerService(QStringLiteral("org.freedesktop.Notifications"));
}

void tst_DesktopIntegration::stopFakeServer()
{
    QDBusConnection bus(QStringLiteral("fake-notifications"));
    bus.unregisterService(QStringLiteral("org.freedesktop.Notifications"));
    bus.unregisterObject(QStringLiteral("/org/freedesktop/Notifications"));
}

void tst_DesktopIntegration::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(QDBusConnection::sessionBus().isConnected(),
             "no session bus: run under dbus-run-session (tests/client/CMakeLists.txt does)");
    QVERIFY(startFakeServer());
}

void tst_DesktopIntegration::init()
{
    QVERIFY(m_server.start());
    m_url = m_server.url;
    m_fake->calls.clear();
    m_client = std::make_unique<ChatClient>();
    m_desktop = std::make_unique<DesktopNotifications>();
    QTRY_VERIFY(m_desktop->isAvailable());
    m_window = std::make_unique<MainWindow>(m_client.get(), m_desktop.get());
    m_window->show();
    m_client->start(m_url, QStringLiteral("Aminah"),
                    {QStringLiteral("general"), QStringLiteral("random")});
    QTRY_VERIFY(m_client->connection()->isJoined(QStringLiteral("general")));
    QTRY_VERIFY(m_client->connection()->isJoined(QStringLiteral("random")));
    m_client->setCurrentRoom(QStringLiteral("general"));
}

void tst_DesktopIntegration::cleanup()
{
    m_window.reset();
    m_desktop.reset();
    m_client.reset();
    m_server.stop();
}

std::unique_ptr<TestClient> tst_DesktopIntegration::ben()
{
    auto c = m_server.client(QStringLiteral("Ben"), QStringLiteral("general"));
    if (c && c->join(QStringLiteral("random")).isEmpty())
        return nullptr;
    return c;
}

void tst_DesktopIntegration::notifiesThroughTheNotificationServer()
{
    auto b = ben();
    QVERIFY(b);
    b->send(Requests::chat(QStringLiteral("random"), QStringLiteral("coffee <b>now</b>?")));
    QTRY_COMPARE(m_fake->calls.size(), 1);
    const FakeNotificationServer::Call first = m_fake->calls.at(0);
    QCOMPARE(first.appName, QStringLiteral("LAN chat"));
    QCOMPARE(first.replacesId, 0u);
    QCOMPARE(first.icon, QStringLiteral("org.lanchat.Client"));
    QCOMPARE(first.summary, QStringLiteral("Ben in #random"));
    QCOMPARE(first.body, QStringLiteral("coffee &lt;b&gt;now&lt;/b&gt;?")); // markup is escaped
    QCOMPARE(first.actions.value(0), QStringLiteral("default"));
    QCOMPARE(first.hints.value(QStringLiteral("desktop-entry")).toString(),
             QStringLiteral("org.lanchat.Client"));
    QCOMPARE(first.hints.value(QStringLiteral("category")).toString(),
             QStringLiteral("im.received"));
    // The room's next message replaces its notification instead of stacking.
    b->send(Requests::chat(QStringLiteral("random"), QStringLiteral("anyone?")));
    QTRY_COMPARE(m_fake->calls.size(), 2);
    QCOMPARE(m_fake->calls.at(1).replacesId, first.id);
    QCOMPARE(m_fake->calls.at(1).body, QStringLiteral("anyone?"));
    QCOMPARE(m_desktop->shownCount(), 1);
    // Another room: a notification of its own.
    m_client->setWindowActive(false);
    b->send(Requests::chat(QStringLiteral("general"), QStringLiteral("@Aminah lunch?")));
    QTRY_COMPARE(m_fake->calls.size(), 3);
    QCOMPARE(m_fake->calls.at(2).replacesId, 0u);
    QCOMPARE(m_fake->calls.at(2).summary, QStringLiteral("Ben mentioned you in #general"));
    QTRY_COMPARE(m_desktop->shownCount(), 2);
}

void tst_DesktopIntegration::actionOpensTheRoom()
{
    auto b = ben();
    QVERIFY(b);
    m_window->hide(); // in the tray, or behind other windows
    b->send(Requests::chat(QStringLiteral("random"), QStringLiteral("look at this")));
    QTRY_COMPARE(m_fake->calls.size(), 1);
    QTRY_COMPARE(m_desktop->shownCount(), 1);
    QCOMPARE(m_client->currentRoom(), QStringLiteral("general"));
    emit m_fake->ActionInvoked(m_fake->calls.at(0).id, QStringLiteral("default"));
    QTRY_COMPARE(m_client->currentRoom(), QStringLiteral("random"));
    QVERIFY(m_window->isVisible());
    // The offscreen platform does not activate windows itself; a desktop does.
    QApplication::setActiveWindow(m_window.get());
    QTRY_COMPARE(m_client->rooms()->unread(QStringLiteral("random")), 0);
    // Another client's notification with the same id, or another action: nothing.
    m_client->setCurrentRoom(QStringLiteral("general"));
    emit m_fake->ActionInvoked(m_fake->calls.at(0).id, QStringLiteral("other"));
    emit m_fake->ActionInvoked(999, QStringLiteral("default"));
    QTest::qWait(0);
    QTRY_COMPARE_WITH_TIMEOUT(m_client->currentRoom(), QStringLiteral("general"), 200);
}

void tst_DesktopIntegration::closedNotificationIsNotReplaced()
{
    auto b = ben();
    QVERIFY(b);
    b->send(Requests::chat(QStringLiteral("random"), QStringLiteral("one")));
    QTRY_COMPARE(m_fake->calls.size(), 1);
    QTRY_COMPARE(m_desktop->shownCount(), 1);
    emit m_fake->NotificationClosed(m_fake->calls.at(0).id, 2); // dismissed by the user
    QTRY_COMPARE(m_desktop->shownCount(), 0);
    b->send(Requests::chat(QStringLiteral("random"), QStringLiteral("two")));
    QTRY_COMPARE(m_fake->calls.size(), 2);
    QCOMPARE(m_fake->calls.at(1).replacesId, 0u);
}

void tst_DesktopIntegration::fallsBackWithoutAServer()
{
    QSignalSpy notified(m_window->notifier(), &Notifier::notified);
    stopFakeServer();
    QTRY_VERIFY(!m_desktop->isAvailable());
    auto b = ben();
    QVERIFY(b);
    b->send(Requests::chat(QStringLiteral("random"), QStringLiteral("nobody to show it")));
    QTRY_COMPARE(notified.count(), 1); // the tray's balloon, where there is a tray
    QCOMPARE(m_fake->calls.size(), 0);
    QVERIFY(startFakeServer());
    QTRY_VERIFY(m_desktop->isAvailable());
    b->send(Requests::chat(QStringLiteral("random"), QStringLiteral("back")));
    QTRY_COMPARE(m_fake->calls.size(), 1);
}

void tst_DesktopIntegration::secondStartRaisesTheFirst()
{
    SingleInstance first(QStringLiteral("profile"));
    QVERIFY(first.claim());
    QSignalSpy raised(&first, &SingleInstance::raiseRequested);
    SingleInstance second(QStringLiteral("profile"));
    QVERIFY(!second.claim());
    QTRY_COMPARE(raised.count(), 1);
    SingleInstance other(QStringLiteral("another profile"));
    QVERIFY(other.claim()); // a profile of its own runs beside
    QVERIFY(first.socketPath() != other.socketPath());
    // The window comes back from the tray.
    m_window->hide();
    connect(&first, &SingleInstance::raiseRequested, m_window.get(), &MainWindow::bringToFront);
    SingleInstance third(QStringLiteral("profile"));
    QVERIFY(!third.claim());
    QTRY_VERIFY(m_window->isVisible());
}

void tst_DesktopIntegration::autostartEntry()
{
    QFile::remove(Autostart::entryPath());
    QVERIFY(!Autostart::isEnabled());
    QVERIFY(Autostart::setEnabled(true, QStringLiteral("/usr/bin/chat-client")));
    QVERIFY(Autostart::isEnabled());
    QFile entry(Autostart::entryPath());
    QVERIFY(entry.open(QIODevice::ReadOnly));
    const QByteArray text = entry.readAll();
    QVERIFY(text.contains("Exec=\"/usr/bin/chat-client\" --autostart\n"));
    QVERIFY(text.startsWith("[Desktop Entry]\n"));
    const QString validator
        = QStandardPaths::findExecutable(QStringLiteral("desktop-file-validate"));
    if (!validator.isEmpty()) {
        QProcess check;
        check.start(validator, {Autostart::entryPath()});
        QVERIFY(check.waitForFinished(10000));
        QVERIFY2(check.exitCode() == 0 && check.readAll().isEmpty(), "desktop-file-validate");
    }
    QVERIFY(Autostart::setEnabled(false, QStringLiteral("/usr/bin/chat-client")));
    QVERIFY(!Autostart::isEnabled());
}

void tst_DesktopIntegration::layoutIsKept()
{
    auto *splitter = m_window->findChild<QSplitter *>();
    QVERIFY(splitter);
    m_window->resize(1000, 700);
    splitter->setSizes({300, 500, 150});
    const QList<int> sizes = splitter->sizes();
    const QByteArray layout = m_window->saveLayout();
    MainWindow again(m_client.get());
    again.resize(1000, 700);
    again.show();
    again.restoreLayout(layout);
    QCOMPARE(again.findChild<QSplitter *>()->sizes(), sizes);
}

void tst_DesktopIntegration::preferencesOfferTheDesktopChoices()
{
    DesktopSettings desktop;
    desktop.closeToTray = true;
    desktop.autostart = true;
    // Without a tray (offscreen) close-to-tray is shown, off and disabled, and kept.
    PreferencesDialog dialog(NotificationSettings {}, desktop, false);
    dialog.show();
    QCheckBox *tray = nullptr;
    QCheckBox *login = nullptr;
    for (QCheckBox *box : dialog.findChildren<QCheckBox *>()) {
        if (box->text().contains(QLatin1String("tray")))
            tray = box;
        if (box->text().contains(QLatin1String("log in")))
            login = box;
    }
    QVERIFY(tray && login);
    QVERIFY(!tray->isEnabled() && !tray->isChecked());
    QVERIFY(login->isChecked());
    QCOMPARE(dialog.desktop().closeToTray, true);
    login->setChecked(false);
    QCOMPARE(dialog.desktop().autostart, false);
    PreferencesDialog withTray(NotificationSettings {}, desktop, true);
    withTray.show();
    for (QCheckBox *box : withTray.findChildren<QCheckBox *>())
        if (box->text().contains(QLatin1String("tray")))
            QVERIFY(box->isEnabled() && box->isChecked());
    // For a person to look at: tests/client/screenshots/preferences.png.
    const QString shots = QStringLiteral(CHAT_SOURCE_DIR "/tests/client/screenshots");
    QDir().mkpath(shots);
    QVERIFY(withTray.grab().save(shots + QStringLiteral("/preferences.png")));
}

QTEST_MAIN(tst_DesktopIntegration)
#include "tst_desktopintegration.moc"
