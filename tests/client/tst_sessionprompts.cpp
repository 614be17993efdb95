// The dialogs the server's answers raise (a taken name, an unknown certificate)
// while the network keeps moving under them: the connection drops and comes
// back with each dialog open, and the answer is acted on afterwards. Before,
// they ran exec() inside the network signal, and a drop deleted the socket
// whose signal was still on the stack (valgrind: invalid reads in
// ~QWebSocket). Runs under ASan in the sanitizer suite.
#include "certificatepins.h"
#include "chatclient.h"
#include "logindialog.h"
#include "requests.h"
#include "serverprocess.h"
#include "sessionprompts.h"
#include "tcprelay.h"
#include "testclient.h"

#include <QApplication>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Chat;
using Chat::Test::ServerProcess;
using Chat::Test::TcpRelay;
using Chat::Test::TestClient;

class tst_SessionPrompts : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void nameTakenDialogSurvivesADrop();
    void certificateDialogSurvivesADrop();

private:
    QTemporaryDir m_dir;
};

void tst_SessionPrompts::initTestCase()
{
    QVERIFY(!ServerProcess::binary().isEmpty());
}

void tst_SessionPrompts::nameTakenDialogSurvivesADrop()
{
    ServerProcess server;
    QVERIFY(server.start({QStringLiteral("--db"), m_dir.filePath(QStringLiteral("names.sqlite"))}));
    TcpRelay relay(server.port());
    QVERIFY(relay.listen());
    TestClient squatter;
    QVERIFY(squatter.connectTo(server.url()) && squatter.hello(QStringLiteral("Aminah")));

    QWidget window;
    window.show();
    ChatClient client;
    CertificatePins pins(m_dir.filePath(QStringLiteral("pins.ini")));
    SessionPrompts prompts(&client, &pins, nullptr, &window);
    QSignalSpy failed(client.connection(), &ChatConnection::identifyFailed);
    client.start(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(relay.port())),
                 QStringLiteral("Aminah"), {QStringLiteral("general")});
    QTRY_VERIFY(prompts.loginDialog() && prompts.loginDialog()->isVisible());
    QCOMPARE(failed.count(), 1);
    LoginDialog *dialog = prompts.loginDialog();

    // The network drops twice while the dialog is up; the client reconnects, is
    // refused the name again, and the same dialog stays, with the event loop running.
    for (int drop = 1; drop <= 2; ++drop) {
        relay.cutAll();
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1 + drop, 20000);
        QCOMPARE(prompts.loginDialog(), dialog);
        QVERIFY(dialog->isVisible());
    }

    // The user picks another name: the open connection identifies with it.
    dialog->usernameEdit()->setText(QStringLiteral("Aminah2"));
    QVERIFY(dialog->okButton()->isEnabled());
    dialog->okButton()->click();
    QTRY_VERIFY(client.connection()->isOnline());
    QCOMPARE(client.connection()->username(), QStringLiteral("Aminah2"));
    QTRY_VERIFY(client.connection()->isJoined(QStringLiteral("general")));
    QTRY_VERIFY(!prompts.loginDialog());

    // And once more with the connection gone at the moment of the answer.
    relay.cutAll();
    QTRY_VERIFY_WITH_TIMEOUT(client.connection()->isOnline(), 20000);
    QVERIFY(server.terminate());
}

void tst_SessionPrompts::certificateDialogSurvivesADrop()
{
    ServerProcess server;
    QVERIFY(server.start({QStringLiteral("--db"), m_dir.filePath(QStringLiteral("tls.sqlite")),
                          QStringLiteral("--tls-self-signed")}));
    QVERIFY(server.isTls());
    TcpRelay relay(server.port());
    QVERIFY(relay.listen());

    QWidget window;
    window.show();
    ChatClient client;
    CertificatePins pins(m_dir.filePath(QStringLiteral("tls-pins.ini")));
    client.connection()->setCertificatePins(&pins);
    SessionPrompts prompts(&client, &pins, nullptr, &window);
    client.start(QUrl(QStringLiteral("wss://127.0.0.1:%1").arg(relay.port())),
                 QStringLiteral("Aminah"), {QStringLiteral("general")});
    QTRY_VERIFY(prompts.certificateDialog() && prompts.certificateDialog()->isVisible());
    QMessageBox *question = prompts.certificateDialog();

    // While the question is up, the connection under it is cut.
    relay.cutAll();
    QTRY_COMPARE(relay.connectionCount(), 0);
    QTRY_COMPARE(client.connection()->state(), ChatConnection::State::Offline);
    QCOMPARE(prompts.certificateDialog(), question);

    // The user trusts the server: pinned, connected over wss://, joined.
    question->button(QMessageBox::Yes)->click();
    QTRY_VERIFY_WITH_TIMEOUT(client.connection()->isJoined(QStringLiteral("general")), 20000);
    QVERIFY(!pins.pinned(QStringLiteral("127.0.0.1:%1").arg(relay.port())).isEmpty());
    QVERIFY(client.sendText(QStringLiteral("over TLS")).isEmpty());
    QTRY_VERIFY(client.connection()->outbox()->isEmpty());
    QVERIFY(server.terminate());
}

QTEST_MAIN(tst_SessionPrompts)
#include "tst_sessionprompts.moc"
