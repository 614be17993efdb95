// Asking the user again, without nested event loops.
#include "sessionprompts.h"

#include "certificatepins.h"
#include "chatclient.h"
#include "clientsettings.h"
#include "logindialog.h"
#include "mainwindow.h"

#include <QLineEdit>
#include <QMessageBox>
#include <QSysInfo>

namespace Chat {

SessionPrompts::SessionPrompts(ChatClient *client, CertificatePins *pins, ClientSettings *settings,
                               QWidget *window)
    : QObject(window), m_client(client), m_pins(pins), m_settings(settings), m_window(window)
{
    connect(client->connection(), &ChatConnection::identifyFailed, this,
            &SessionPrompts::askForName);
    connect(client->connection(), &ChatConnection::certificateUntrusted, this,
            &SessionPrompts::askAboutCertificate);
}

SessionPrompts::~SessionPrompts()
{
    delete m_login;
    delete m_certificate;
}

LoginDialog *SessionPrompts::loginDialog() const
{
    return m_login;
}

QMessageBox *SessionPrompts::certificateDialog() const
{
    return m_certificate;
}

void SessionPrompts::askForName(const QString &code, const QString &message)
{
    ChatConnection *connection = m_client->connection();
    m_loginCode = code;
    if (!m_login) {
        m_login = new LoginDialog(nullptr, m_window);
        m_login->setAttribute(Qt::WA_DeleteOnClose);
        m_login->setServer(connection->url());
        m_login->serverEdit()->setEnabled(false);
        m_login->setUsername(connection->username());
        m_login->setPassword(connection->token());
        connect(m_login, &QDialog::finished, this, &SessionPrompts::onLoginFinished);
        m_login->open();
    }
    m_login->setError(ChatClient::describeError(code, message, connection->username()));
    if (connection->serverHasAccounts()) {
        // An account's password, typed each time it is needed: never kept.
        m_login->setPassword({});
        m_login->passwordEdit()->setPlaceholderText(tr("Your account's password"));
        m_login->setRegistration(connection->serverRegistration());
    }
    if (code == QLatin1String("unauthorized") || connection->serverHasAccounts())
        m_login->passwordEdit()->setFocus();
}

void SessionPrompts::onLoginFinished(int result)
{
    LoginDialog *login = m_login;
    m_login.clear();
    if (!login)
        return;
    if (result != QDialog::Accepted) {
        emit quitRequested();
        return;
    }
    ChatConnection *connection = m_client->connection();
    const QString name = login->username();
    const QString password = login->password();
    if (connection->serverHasAccounts() && !password.isEmpty()) {
        if (m_settings) {
            m_settings->setUsername(name);
            connection->outbox()->setStorageFile(m_settings->outboxFile(connection->url(), name));
        }
        if (login->createsAccount())
            connection->registerAccount(name, password, login->inviteCode(),
                                        QSysInfo::prettyProductName());
        else
            connection->signIn(name, password, QSysInfo::prettyProductName());
        return;
    }
    if (m_settings) {
        m_settings->setUsername(name);
        m_settings->setToken(password);
        // What was typed under the old name stays in that name's outbox.
        connection->outbox()->setStorageFile(m_settings->outboxFile(connection->url(), name));
    }
    // The connection may have dropped and come back while the dialog was up:
    // connectToServer starts over either way; identifyAs needs the open one.
    if (m_loginCode == QLatin1String("unauthorized") || !connection->canIdentify())
        connection->connectToServer(connection->url(), name, password);
    else
        connection->identifyAs(name);
}

void SessionPrompts::askAboutCertificate(const QString &hostPort, const QString &fingerprint,
                                         const QString &previous)
{
    delete m_certificate; // an older question about this server is moot
    const QString text = previous.isEmpty()
        ? MainWindow::tr("The server %1 uses a certificate that no authority vouches for. "
                         "Compare its fingerprint with the one chat-server printed when it "
                         "started:\n\n%2\n\nTrust this server from now on?")
              .arg(hostPort, fingerprint)
        : MainWindow::tr("WARNING: the certificate of %1 has changed since you last connected. "
                         "Someone may be intercepting the connection.\n\nBefore: %2\nNow: %3\n\n"
                         "Trust the new certificate only if the server's owner changed it.")
              .arg(hostPort, previous, fingerprint);
    m_certificate
        = new QMessageBox(QMessageBox::Question, MainWindow::tr("Check the server's certificate"),
                          text, QMessageBox::Yes | QMessageBox::No, m_window);
    m_certificate->setDefaultButton(QMessageBox::No);
    m_certificate->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_certificate, &QMessageBox::finished, this, [this, hostPort, fingerprint](int result) {
        if (result != QMessageBox::Yes)
            return;
        m_pins->pin(hostPort, fingerprint);
        ChatConnection *connection = m_client->connection();
        connection->connectToServer(connection->url(), connection->username(), connection->token());
    });
    m_certificate->open();
}

} // namespace Chat
