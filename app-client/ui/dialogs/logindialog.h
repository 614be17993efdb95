// First-start dialog: the server and a username, checked inline with the
// server's own rules.
#pragma once

#include <QDialog>
#include <QUrl>

QT_BEGIN_NAMESPACE
class QDialogButtonBox;
class QLabel;
class QLineEdit;
QT_END_NAMESPACE

namespace Chat {

class LoginDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit LoginDialog(QWidget *parent = nullptr);
    ~LoginDialog() override;
    Q_DISABLE_COPY_MOVE(LoginDialog)

    void setServer(const QUrl &url);
    void setUsername(const QString &name);
    QUrl server() const;
    QString username() const;
    void setPassword(const QString &password);
    QString password() const;
    // Shows why the server refused the name, and asks for another.
    void setError(const QString &message);
    QString problem() const; // what keeps OK disabled, empty when the input is fine

    QLineEdit *serverEdit() const { return m_server; }
    QLineEdit *usernameEdit() const { return m_username; }
    QLineEdit *passwordEdit() const { return m_password; }
    QPushButton *okButton() const;

private:
    void validate();

    QLineEdit *m_server;
    QLineEdit *m_username;
    QLineEdit *m_password;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
    QString m_serverError;
};

} // namespace Chat
