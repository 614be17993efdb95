// First-start dialog: the server and a username, checked inline with the
// server's own rules. The servers the LAN announces are listed, live, above
// the address (a click fills it in); a typed address works as ever.
#pragma once

#include <QDialog>
#include <QUrl>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
QT_END_NAMESPACE

namespace Chat {

class ServerBrowser;

class LoginDialog final : public QDialog
{
    Q_OBJECT
public:
    // `browser`: the LAN's servers to offer (null: none listed).
    explicit LoginDialog(ServerBrowser *browser = nullptr, QWidget *parent = nullptr);
    ~LoginDialog() override;
    Q_DISABLE_COPY_MOVE(LoginDialog)

    void setServer(const QUrl &url);
    void setUsername(const QString &name);
    QUrl server() const;
    QString username() const;
    void setPassword(const QString &password);
    QString password() const;
    // An accounts server (welcome.accounts): `registration` is "open", "invite"
    // or "admin". Unless it is "admin", the dialog offers "Create an account",
    // which for "invite" asks for the invitation (the link or its code).
    void setRegistration(const QString &registration);
    bool createsAccount() const;
    // The invitation's code, from a link (…/#invite=CODE) or the code itself;
    // empty if what was typed is neither.
    QString inviteCode() const;
    static QString inviteCodeFrom(const QString &text);
    // Shows why the server refused the name, and asks for another.
    void setError(const QString &message);
    QString problem() const; // what keeps OK disabled, empty when the input is fine

    QLineEdit *serverEdit() const { return m_server; }
    QLineEdit *usernameEdit() const { return m_username; }
    QLineEdit *passwordEdit() const { return m_password; }
    QCheckBox *createAccountBox() const { return m_createAccount; }
    QLineEdit *inviteEdit() const { return m_invite; }
    QPushButton *okButton() const;
    QListWidget *discoveredList() const { return m_found; }
    // What the chosen server says its certificate's fingerprint is, to compare.
    QLabel *fingerprintLabel() const { return m_fingerprint; }

private:
    void validate();
    void showDiscovered();
    void chooseDiscovered();

    QLineEdit *m_server;
    QLineEdit *m_username;
    QLineEdit *m_password;
    QCheckBox *m_createAccount;
    QLabel *m_inviteLabel;
    QLineEdit *m_invite;
    QString m_registration; // empty: not an accounts server
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
    ServerBrowser *m_browser;
    QLabel *m_foundTitle;
    QListWidget *m_found;
    QLabel *m_fingerprint;
    QString m_serverError;
};

} // namespace Chat
