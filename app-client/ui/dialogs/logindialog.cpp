// Login dialog.
#include "logindialog.h"

#include "validation.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Chat {

LoginDialog::LoginDialog(QWidget *parent)
    : QDialog(parent)
    , m_server(new QLineEdit(this))
    , m_username(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Connect to LAN chat"));
    auto *intro = new QLabel(
        tr("Choose the chat server on your network and the name others will see."), this);
    intro->setWordWrap(true);
    m_server->setPlaceholderText(QStringLiteral("ws://server:8080"));
    m_server->setAccessibleName(tr("Server"));
    m_username->setPlaceholderText(tr("Your name"));
    m_username->setAccessibleName(tr("Name"));
    m_username->setMaxLength(64);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("Only if the server has one"));
    m_password->setAccessibleName(tr("Password"));
    m_problem->setWordWrap(true);
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Server:"), m_server);
    form->addRow(tr("&Name:"), m_username);
    form->addRow(tr("&Password:"), m_password);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(m_server, &QLineEdit::textChanged, this, [this] {
        m_serverError.clear();
        validate();
    });
    connect(m_username, &QLineEdit::textChanged, this, [this] {
        m_serverError.clear();
        validate();
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_username->setFocus();
    validate();
}

LoginDialog::~LoginDialog() = default;

QPushButton *LoginDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

void LoginDialog::setServer(const QUrl &url)
{
    m_server->setText(url.toString());
}

void LoginDialog::setUsername(const QString &name)
{
    m_username->setText(name);
}

QUrl LoginDialog::server() const
{
    QString text = m_server->text().trimmed();
    if (!text.contains(QLatin1String("://")))
        text.prepend(QStringLiteral("ws://"));
    return QUrl(text);
}

void LoginDialog::setPassword(const QString &password)
{
    m_password->setText(password);
}

QString LoginDialog::password() const
{
    return m_password->text();
}

QString LoginDialog::username() const
{
    return m_username->text().trimmed();
}

void LoginDialog::setError(const QString &message)
{
    m_serverError = message;
    validate();
    m_username->selectAll();
    m_username->setFocus();
}

QString LoginDialog::problem() const
{
    const QUrl url = server();
    if (m_server->text().trimmed().isEmpty() || !url.isValid() || url.host().isEmpty()
        || (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss")))
        return tr("Enter the server as ws://host:port (or wss:// for a secure server).");
    if (const QString p = Validation::usernameProblem(m_username->text()); !p.isEmpty())
        return p;
    return m_serverError;
}

void LoginDialog::validate()
{
    const QString p = problem();
    // An empty name at the start is not an error yet, just not done.
    const bool untouched = m_username->text().isEmpty() && m_serverError.isEmpty();
    m_problem->setText(untouched ? QString() : p);
    okButton()->setEnabled(p.isEmpty());
}

} // namespace Chat
