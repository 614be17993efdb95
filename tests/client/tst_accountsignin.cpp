// The desktop client on an accounts server (--auth accounts), offscreen, against
// the real chat-server: the client asks for the name's password when the
// server says the name is an account's, a wrong password is refused in the
// dialog, the right one signs in and hands the token to be kept (never the
// password); the next start signs in with the token alone; a browser-like
// second device (v1) is online at the same time and both see each other's
// messages as the same person's; signing out ends the token.
#include "accountdialogs.h"
#include "certificatepins.h"
#include "chatclient.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "protocol.h"
#include "requests.h"
#include "roomlistmodel.h"
#include "serverprocess.h"
#include "sessionprompts.h"
#include "testclient.h"

#include <QAction>
#include <QCheckBox>
#include <QInputDialog>
#include <QJsonArray>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Chat;
using Chat::Test::ServerProcess;
using Chat::Test::TestClient;

class tst_AccountSignIn : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void signInWithThePasswordThenTheToken();
    void registerWithAnInvitation();
    void adminSeesTheModerationLog();

private:
    bool addUser(const QString &name, const QString &password, const QString &role = {});
    QTemporaryDir m_dir;
};

void tst_AccountSignIn::initTestCase()
{
    QVERIFY(!ServerProcess::binary().isEmpty());
    QVERIFY(m_dir.isValid());
}

bool tst_AccountSignIn::addUser(const QString &name, const QString &password, const QString &role)
{
    QProcess admin;
    QStringList args {QStringLiteral("--db"), m_dir.filePath(QStringLiteral("chat.sqlite")),
                      QStringLiteral("user"), QStringLiteral("add"), name};
    if (!role.isEmpty())
        args << role;
    admin.start(ServerProcess::binary(), args);
    admin.write((password + QLatin1Char('\n')).toUtf8());
    admin.closeWriteChannel();
    return admin.waitForFinished(60000) && admin.exitCode() == 0;
}

void tst_AccountSignIn::signInWithThePasswordThenTheToken()
{
    const QString password = QStringLiteral("a long desktop password");
    QVERIFY(addUser(QStringLiteral("Aminah"), password));
    ServerProcess server;
    QVERIFY(server.start({QStringLiteral("--db"), m_dir.filePath(QStringLiteral("chat.sqlite")),
                          QStringLiteral("--auth"), QStringLiteral("accounts")}));

    QWidget window;
    window.show();
    ChatClient client;
    CertificatePins pins(m_dir.filePath(QStringLiteral("pins.ini")));
    SessionPrompts prompts(&client, &pins, nullptr, &window);
    QSignalSpy tokens(client.connection(), &ChatConnection::accountTokenChanged);
    client.start(server.url(), QStringLiteral("Aminah"), {QStringLiteral("general")});

    // The name is an account's: the dialog asks for its password.
    QTRY_VERIFY(prompts.loginDialog() && prompts.loginDialog()->isVisible());
    QVERIFY(client.connection()->serverHasAccounts());
    LoginDialog *dialog = prompts.loginDialog();
    QVERIFY(dialog->passwordEdit()->isVisible());
    QVERIFY(dialog->passwordEdit()->text().isEmpty());
    QSignalSpy failed(client.connection(), &ChatConnection::identifyFailed);
    dialog->passwordEdit()->setText(QStringLiteral("not the password"));
    dialog->okButton()->click();
    QTRY_VERIFY(!failed.isEmpty());
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("bad-credentials"));
    QTRY_VERIFY(prompts.loginDialog() && prompts.loginDialog()->isVisible());
    prompts.loginDialog()->passwordEdit()->setText(password);
    prompts.loginDialog()->okButton()->click();
    QTRY_VERIFY(client.connection()->isOnline());
    QCOMPARE(client.connection()->username(), QStringLiteral("Aminah"));
    QTRY_COMPARE(tokens.count(), 1);
    const QString token = tokens.at(0).at(0).toString();
    QCOMPARE(token.size(), 43);
    QVERIFY(token != password);
    QTRY_VERIFY(client.connection()->isJoined(QStringLiteral("general")));

    // A second device (the browser's protocol) at the same time.
    TestClient browser;
    QVERIFY(browser.connectTo(server.url()));
    browser.send(Requests::login(QStringLiteral("aminah"), password, QStringLiteral("browser")));
    QCOMPARE(browser.take(QStringLiteral("identified"), 20000)
                 .value(QLatin1String("username"))
                 .toString(),
             QStringLiteral("Aminah"));
    QVERIFY(!browser.join(QStringLiteral("general")).isEmpty());
    // A room joined on the browser is joined on the desktop too, and listed.
    QVERIFY(!browser.join(QStringLiteral("side-room")).isEmpty());
    QTRY_VERIFY(client.rooms()->indexOf(QStringLiteral("side-room")) >= 0);
    QTRY_VERIFY(client.connection()->isJoined(QStringLiteral("side-room")));
    QSignalSpy received(client.connection(), &ChatConnection::messageReceived);
    browser.send(Requests::chat(QStringLiteral("general"), QStringLiteral("from the browser"),
                                QStringLiteral("b1")));
    QTRY_VERIFY(std::any_of(received.cbegin(), received.cend(), [](const QList<QVariant> &args) {
        const auto m = args.at(0).value<ChatMessage>();
        return m.text == QLatin1String("from the browser") && m.username == QLatin1String("Aminah");
    }));
    client.connection()->sendMessage(QStringLiteral("general"), QStringLiteral("from the desktop"));
    QJsonObject fromDesktop;
    for (int i = 0; i < 3
         && fromDesktop.value(QLatin1String("text")).toString()
             != QLatin1String("from the desktop");
         ++i)
        fromDesktop = browser.take(QStringLiteral("message"), 10000, QStringLiteral("general"));
    QCOMPARE(fromDesktop.value(QLatin1String("text")).toString(),
             QStringLiteral("from the desktop"));
    QCOMPARE(fromDesktop.value(QLatin1String("username")).toString(), QStringLiteral("Aminah"));

    // A direct message from the browser device's side: Bob opens one with Aminah.
    QVERIFY(addUser(QStringLiteral("Bob"), QStringLiteral("bobs long password")));
    TestClient bob;
    QVERIFY(bob.connectTo(server.url()));
    bob.send(Requests::login(QStringLiteral("Bob"), QStringLiteral("bobs long password"), {}));
    QVERIFY(!bob.take(QStringLiteral("identified"), 20000).isEmpty());
    bob.send({{QStringLiteral("type"), QStringLiteral("open-dm")},
              {QStringLiteral("usernames"), QJsonArray {QStringLiteral("Aminah")}}});
    const QString dm
        = bob.take(QStringLiteral("done"), 10000).value(QLatin1String("room")).toString();
    QVERIFY(dm.startsWith(QLatin1String("dm-")));
    // The desktop is told, joins it by itself, and lists it as @Bob.
    QTRY_VERIFY(client.connection()->isJoined(dm));
    const int row = client.rooms()->indexOf(dm);
    QVERIFY(row >= 0);
    QCOMPARE(client.rooms()->index(row).data().toString(), QStringLiteral("@Bob"));
    bob.send(Requests::chat(dm, QStringLiteral("just us"), QStringLiteral("d1")));
    QTRY_VERIFY(std::any_of(received.cbegin(), received.cend(), [&dm](const QList<QVariant> &args) {
        return args.at(0).value<ChatMessage>().room == dm;
    }));
    // The window: the devices list, and a private room from the Room menu.
    MainWindow signedIn(&client);
    QSignalSpy devices(&client, &ChatClient::devicesListed);
    auto *devicesAction = signedIn.findChild<QAction *>(QStringLiteral("devices"));
    QVERIFY(devicesAction && devicesAction->isEnabled());
    devicesAction->trigger();
    QTRY_COMPARE(devices.count(), 1);
    QCOMPARE(devices.at(0).at(0).toJsonArray().size(), 2); // this desktop and the "browser"
    QTRY_VERIFY(signedIn.findChild<DevicesDialog *>());
    auto *devicesDialog = signedIn.findChild<DevicesDialog *>();
    QCOMPARE(devicesDialog->list()->topLevelItemCount(), 2);
    QTreeWidgetItem *other = nullptr; // the "browser": not this one
    for (int i = 0; i < 2; ++i) {
        QTreeWidgetItem *item = devicesDialog->list()->topLevelItem(i);
        if (item->text(0) == QLatin1String("browser"))
            other = item;
    }
    QVERIFY(other);
    QVERIFY(!devicesDialog->signOutButton()->isEnabled());
    devicesDialog->list()->setCurrentItem(other);
    devicesDialog->signOutButton()->click();
    QCOMPARE(devicesDialog->list()->topLevelItemCount(), 1);
    QTRY_COMPARE(browser.closeCode(), 4006); // that device is signed out, this one stays
    QVERIFY(client.connection()->isOnline());
    devicesDialog->close();
    // Aminah is a member: no moderation log in her menu.
    auto *auditAction = signedIn.findChild<QAction *>(QStringLiteral("moderationLog"));
    QVERIFY(auditAction && !auditAction->isVisible());
    auto *privateRoom = signedIn.findChild<QAction *>(QStringLiteral("privateRoom"));
    QVERIFY(privateRoom);
    privateRoom->trigger();
    auto *ask = signedIn.findChild<QInputDialog *>(QStringLiteral("privateRoomDialog"));
    QVERIFY(ask);
    ask->setTextValue(QStringLiteral("secret-plans"));
    ask->accept();
    QTRY_VERIFY(client.connection()->isJoined(QStringLiteral("secret-plans")));
    bob.send(Requests::join(QStringLiteral("secret-plans")));
    QCOMPARE(bob.take(QStringLiteral("error"), 10000).value(QLatin1String("code")).toString(),
             QStringLiteral("forbidden"));

    // The first start's one password field: on an accounts server without a
    // server password it is the account's, used to sign in and then dropped.
    ChatClient first;
    QSignalSpy unused(first.connection(), &ChatConnection::passwordWasAccountPassword);
    first.start(server.url(), QStringLiteral("Bob"), {}, QStringLiteral("bobs long password"));
    QTRY_VERIFY(first.connection()->isOnline());
    QCOMPARE(first.connection()->username(), QStringLiteral("Bob"));
    QCOMPARE(unused.count(), 1);
    QVERIFY(first.connection()->token().isEmpty());
    QCOMPARE(first.connection()->accountToken().size(), 43);
    first.connection()->disconnectFromServer();

    // The next start: the token alone signs in; no dialog, no password.
    client.connection()->disconnectFromServer();
    ChatClient again;
    SessionPrompts prompts2(&again, &pins, nullptr, &window);
    again.connection()->setAccountToken(token);
    again.start(server.url(), QStringLiteral("Aminah"), {QStringLiteral("general")});
    QTRY_VERIFY(again.connection()->isOnline());
    QVERIFY(!prompts2.loginDialog());
    QCOMPARE(again.connection()->username(), QStringLiteral("Aminah"));
    // Started with only "general": the direct message comes back by itself, as @Bob.
    QTRY_VERIFY(again.rooms()->indexOf(dm) >= 0);
    QTRY_COMPARE(again.rooms()->index(again.rooms()->indexOf(dm)).data().toString(),
                 QStringLiteral("@Bob"));
    QTRY_VERIFY(again.connection()->isJoined(dm));

    // Signing out (the window's Chat menu) ends the token: a client that kept it
    // is asked to sign in.
    QSignalSpy ended(again.connection(), &ChatConnection::accountTokenChanged);
    MainWindow main(&again);
    auto *signOut = main.findChild<QAction *>(QStringLiteral("signOut"));
    QVERIFY(signOut && signOut->isEnabled());
    signOut->trigger();
    QVERIFY(!signOut->isEnabled());
    QCOMPARE(ended.count(), 1);
    QVERIFY(ended.at(0).at(0).toString().isEmpty());
    again.connection()->disconnectFromServer();
    ChatClient stale;
    SessionPrompts prompts3(&stale, &pins, nullptr, &window);
    QSignalSpy refused(stale.connection(), &ChatConnection::identifyFailed);
    stale.connection()->setAccountToken(token);
    stale.start(server.url(), QStringLiteral("Aminah"), {});
    QTRY_VERIFY(!refused.isEmpty());
    QCOMPARE(refused.at(0).at(0).toString(), QStringLiteral("bad-account-token"));
    QTRY_VERIFY(prompts3.loginDialog() && prompts3.loginDialog()->isVisible());
    QVERIFY(stale.connection()->accountToken().isEmpty());
    QVERIFY(server.terminate());
}

// Someone given an invitation link (`chat-server invite create`) creates their
// account in the dialog: "Create an account", the link pasted, a new password.
void tst_AccountSignIn::registerWithAnInvitation()
{
    QProcess invite;
    invite.start(ServerProcess::binary(),
                 {QStringLiteral("--db"), m_dir.filePath(QStringLiteral("chat.sqlite")),
                  QStringLiteral("invite"), QStringLiteral("create"), QStringLiteral("1")});
    QVERIFY(invite.waitForFinished(60000) && invite.exitCode() == 0);
    const QString link = QString::fromUtf8(invite.readAllStandardOutput()).trimmed();
    QVERIFY2(link.contains(QLatin1String("/#invite=")), qPrintable(link));
    QCOMPARE(LoginDialog::inviteCodeFrom(link), link.mid(link.indexOf(u'=') + 1));
    ServerProcess server;
    QVERIFY(server.start({QStringLiteral("--db"), m_dir.filePath(QStringLiteral("chat.sqlite")),
                          QStringLiteral("--auth"), QStringLiteral("accounts")}));

    QWidget window;
    window.show();
    ChatClient client;
    CertificatePins pins(m_dir.filePath(QStringLiteral("pins.ini")));
    SessionPrompts prompts(&client, &pins, nullptr, &window);
    QSignalSpy tokens(client.connection(), &ChatConnection::accountTokenChanged);
    client.start(server.url(), QStringLiteral("Newcomer"), {QStringLiteral("general")});
    QTRY_VERIFY(prompts.loginDialog() && prompts.loginDialog()->isVisible());
    QCOMPARE(client.connection()->serverRegistration(), QStringLiteral("invite"));
    LoginDialog *dialog = prompts.loginDialog();
    QVERIFY(dialog->createAccountBox()->isVisible());
    QVERIFY(!dialog->inviteEdit()->isVisible());
    dialog->createAccountBox()->setChecked(true);
    QVERIFY(dialog->inviteEdit()->isVisible());
    dialog->passwordEdit()->setText(QStringLiteral("short"));
    QVERIFY(!dialog->okButton()->isEnabled()); // under 8 characters
    dialog->passwordEdit()->setText(QStringLiteral("newcomer's own password"));
    QVERIFY(!dialog->okButton()->isEnabled()); // no invitation yet
    dialog->inviteEdit()->setText(QStringLiteral("not a link"));
    QVERIFY(!dialog->okButton()->isEnabled());
    dialog->inviteEdit()->setText(link);
    QVERIFY2(dialog->okButton()->isEnabled(), qPrintable(dialog->problem()));
    dialog->okButton()->click();
    QTRY_VERIFY(client.connection()->isOnline());
    QCOMPARE(client.connection()->username(), QStringLiteral("Newcomer"));
    QCOMPARE(client.connection()->role(), QStringLiteral("member"));
    QTRY_COMPARE(tokens.count(), 1);
    QTRY_VERIFY(client.connection()->isJoined(QStringLiteral("general")));

    // The invitation was for one: a second newcomer with it is told why not.
    ChatClient second;
    SessionPrompts prompts2(&second, &pins, nullptr, &window);
    QSignalSpy failed(second.connection(), &ChatConnection::identifyFailed);
    second.start(server.url(), QStringLiteral("Latecomer"), {});
    QTRY_VERIFY(prompts2.loginDialog() && prompts2.loginDialog()->isVisible());
    failed.clear();
    prompts2.loginDialog()->createAccountBox()->setChecked(true);
    prompts2.loginDialog()->passwordEdit()->setText(QStringLiteral("latecomer's password"));
    prompts2.loginDialog()->inviteEdit()->setText(link);
    prompts2.loginDialog()->okButton()->click();
    QTRY_VERIFY(!failed.isEmpty());
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("bad-invite"));
    QTRY_VERIFY(prompts2.loginDialog() && prompts2.loginDialog()->isVisible());
    QVERIFY2(prompts2.loginDialog()->problem().contains(QLatin1String("invitation")),
             qPrintable(prompts2.loginDialog()->problem()));
    QVERIFY(!second.connection()->isOnline());
    client.connection()->disconnectFromServer();
    second.connection()->disconnectFromServer();
    QVERIFY(server.terminate());
}

// An admin's Chat menu has the moderation log: who did what, to whom.
void tst_AccountSignIn::adminSeesTheModerationLog()
{
    const QString password = QStringLiteral("the boss's password");
    QVERIFY(addUser(QStringLiteral("Boss"), password, QStringLiteral("admin")));
    QVERIFY(addUser(QStringLiteral("Worker"), QStringLiteral("the worker's password")));
    ServerProcess server;
    QVERIFY(server.start({QStringLiteral("--db"), m_dir.filePath(QStringLiteral("chat.sqlite")),
                          QStringLiteral("--auth"), QStringLiteral("accounts")}));
    ChatClient client;
    client.start(server.url(), QStringLiteral("Boss"), {QStringLiteral("general")}, password);
    QTRY_VERIFY(client.connection()->isOnline());
    QCOMPARE(client.connection()->role(), QStringLiteral("admin"));
    MainWindow window(&client);
    auto *audit = window.findChild<QAction *>(QStringLiteral("moderationLog"));
    QVERIFY(audit && audit->isVisible());
    QSignalSpy done(client.connection(), &ChatConnection::accountEvent);
    client.connection()->request({{QStringLiteral("type"), QStringLiteral("set-role")},
                                  {QStringLiteral("username"), QStringLiteral("Worker")},
                                  {QStringLiteral("role"), QStringLiteral("moderator")}});
    QTRY_VERIFY(std::any_of(done.cbegin(), done.cend(), [](const QList<QVariant> &args) {
        return args.at(0).toString() == QLatin1String("done");
    }));
    audit->trigger();
    QTRY_VERIFY(window.findChild<ModerationLogDialog *>());
    QTreeWidget *entries = window.findChild<ModerationLogDialog *>()->list();
    QVERIFY(entries->topLevelItemCount() >= 1);
    QTreeWidgetItem *newest = entries->topLevelItem(0);
    QCOMPARE(newest->text(1), QStringLiteral("Boss"));
    QCOMPARE(newest->text(2), QStringLiteral("role"));
    QCOMPARE(newest->text(3), QStringLiteral("Worker"));
    QCOMPARE(newest->text(5), QStringLiteral("moderator"));
    client.connection()->disconnectFromServer();
    QVERIFY(server.terminate());
}

QTEST_MAIN(tst_AccountSignIn)
#include "tst_accountsignin.moc"
