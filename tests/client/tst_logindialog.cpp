// The login dialog validates inline with the server's rules.
#include "logindialog.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace Chat;

class tst_LoginDialog : public QObject
{
    Q_OBJECT
private slots:
    void validatesAsYouType();
    void explainsTakenName();
    void completesServerScheme();
};

static QString problemText(const LoginDialog &dialog)
{
    return dialog.findChild<QLabel *>(QStringLiteral("problem"))->text();
}

void tst_LoginDialog::validatesAsYouType()
{
    LoginDialog dialog;
    dialog.setServer(QUrl(QStringLiteral("ws://localhost:8080")));
    dialog.show();
    QVERIFY(!dialog.okButton()->isEnabled()); // no name yet
    QVERIFY(problemText(dialog).isEmpty()); // but no scolding before typing
    QTest::keyClicks(dialog.usernameEdit(), QStringLiteral("Aminah"));
    QVERIFY(dialog.okButton()->isEnabled());
    QVERIFY(problemText(dialog).isEmpty());
    dialog.usernameEdit()->setText(QString(33, QLatin1Char('x')));
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY(problemText(dialog).contains(QLatin1String("32")));
    dialog.usernameEdit()->setText(QStringLiteral("   "));
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY(!problemText(dialog).isEmpty());
    dialog.usernameEdit()->setText(QStringLiteral("Aminah"));
    dialog.serverEdit()->setText(QStringLiteral("http://example"));
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY(problemText(dialog).contains(QLatin1String("ws://")));
    dialog.serverEdit()->setText(QStringLiteral("wss://chat.lan:9000"));
    QVERIFY(dialog.okButton()->isEnabled());
    QCOMPARE(dialog.username(), QStringLiteral("Aminah"));
}

void tst_LoginDialog::explainsTakenName()
{
    LoginDialog dialog;
    dialog.setServer(QUrl(QStringLiteral("ws://localhost:8080")));
    dialog.setUsername(QStringLiteral("Aminah"));
    dialog.setError(QStringLiteral("The name Aminah is already taken. Please choose another."));
    QCOMPARE(problemText(dialog),
             QStringLiteral("The name Aminah is already taken. Please choose another."));
    QVERIFY(!dialog.okButton()->isEnabled()); // not the same name again
    dialog.usernameEdit()->setText(QStringLiteral("Aminah B"));
    QVERIFY(dialog.okButton()->isEnabled());
    QVERIFY(problemText(dialog).isEmpty());
}

void tst_LoginDialog::completesServerScheme()
{
    LoginDialog dialog;
    dialog.serverEdit()->setText(QStringLiteral("chatbox:8080"));
    dialog.usernameEdit()->setText(QStringLiteral("Ben"));
    QCOMPARE(dialog.server(), QUrl(QStringLiteral("ws://chatbox:8080")));
    QVERIFY(dialog.okButton()->isEnabled());
}

QTEST_MAIN(tst_LoginDialog)
#include "tst_logindialog.moc"
