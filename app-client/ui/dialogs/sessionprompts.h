// The questions the server's answers raise while the chat runs: a taken name or
// a refused password (the login dialog again), and a certificate that no
// authority vouches for. Each dialog is window-modal and opened with open(),
// never exec(): a nested event loop inside a network signal would let the
// connection drop, reconnect and delete the socket whose signal is still on the
// stack. The answer comes back through the dialog's finished() signal.
#pragma once

#include <QObject>
#include <QPointer>

QT_BEGIN_NAMESPACE
class QMessageBox;
class QWidget;
QT_END_NAMESPACE

namespace Chat {

class CertificatePins;
class ChatClient;
class ClientSettings;
class LoginDialog;

class SessionPrompts final : public QObject
{
    Q_OBJECT
public:
    // settings may be null (tests): then nothing is remembered.
    SessionPrompts(ChatClient *client, CertificatePins *pins, ClientSettings *settings,
                   QWidget *window);
    ~SessionPrompts() override;
    Q_DISABLE_COPY_MOVE(SessionPrompts)

    // The dialog on screen, if any.
    LoginDialog *loginDialog() const;
    QMessageBox *certificateDialog() const;

signals:
    // The user closed the login dialog instead of giving another name.
    void quitRequested();

private:
    void askForName(const QString &code, const QString &message);
    void onLoginFinished(int result);
    void askAboutCertificate(const QString &hostPort, const QString &fingerprint,
                             const QString &previous);

    ChatClient *m_client;
    CertificatePins *m_pins;
    ClientSettings *m_settings;
    QWidget *m_window;
    QPointer<LoginDialog> m_login;
    QString m_loginCode; // why the login dialog is up
    QPointer<QMessageBox> m_certificate;
};

} // namespace Chat
