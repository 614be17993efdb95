// Login dialog.
#include "logindialog.h"

#include "serverbrowser.h"
#include "validation.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace Chat {

LoginDialog::LoginDialog(ServerBrowser *browser, QWidget *parent)
    : QDialog(parent)
    , m_server(new QLineEdit(this))
    , m_username(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_createAccount(new QCheckBox(tr("&Create an account with this name"), this))
    , m_inviteLabel(new QLabel(tr("&Invitation:"), this))
    , m_invite(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
    , m_browser(browser)
    , m_foundTitle(new QLabel(tr("Servers on your network:"), this))
    , m_found(new QListWidget(this))
    , m_fingerprint(new QLabel(this))
{
    setWindowTitle(tr("Connect to LAN chat"));
    setMinimumWidth(440);
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

    m_found->setAccessibleName(tr("Servers on your network"));
    m_found->setMaximumHeight(110);
    m_fingerprint->setWordWrap(true);
    m_fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_fingerprint->setObjectName(QStringLiteral("fingerprint"));
    m_foundTitle->setBuddy(m_found);

    auto *form = new QFormLayout;
    form->addRow(tr("&Server:"), m_server);
    form->addRow(tr("&Name:"), m_username);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_createAccount);
    form->addRow(m_inviteLabel, m_invite);
    m_inviteLabel->setBuddy(m_invite);
    m_createAccount->setObjectName(QStringLiteral("createAccount"));
    m_invite->setObjectName(QStringLiteral("invite"));
    m_invite->setPlaceholderText(tr("The link you were given, or its code"));
    m_invite->setAccessibleName(tr("Invitation"));
    m_createAccount->hide();
    m_inviteLabel->hide();
    m_invite->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_foundTitle);
    layout->addWidget(m_found);
    layout->addWidget(m_fingerprint);
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
    // A refused password (the server's, or an account's) is answered by another.
    connect(m_password, &QLineEdit::textChanged, this, [this] {
        m_serverError.clear();
        validate();
    });
    connect(m_createAccount, &QCheckBox::toggled, this, [this](bool on) {
        const bool invite = on && m_registration == QLatin1String("invite");
        m_inviteLabel->setVisible(invite);
        m_invite->setVisible(invite);
        m_password->setPlaceholderText(on ? tr("A new password, at least 8 characters")
                                          : tr("Your account's password"));
        m_buttons->button(QDialogButtonBox::Ok)->setText(on ? tr("Create account") : tr("Connect"));
        m_serverError.clear();
        validate();
    });
    connect(m_invite, &QLineEdit::textChanged, this, [this] {
        m_serverError.clear();
        validate();
    });
    connect(m_found, &QListWidget::itemClicked, this, &LoginDialog::chooseDiscovered);
    connect(m_found, &QListWidget::currentRowChanged, this, &LoginDialog::chooseDiscovered);
    if (m_browser) {
        connect(m_browser, &ServerBrowser::serversChanged, this, &LoginDialog::showDiscovered);
        m_browser->start();
    }
    showDiscovered();
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_username->setFocus();
    validate();
}

LoginDialog::~LoginDialog() = default;

void LoginDialog::showDiscovered()
{
    const QList<DiscoveredServer> servers
        = m_browser ? m_browser->servers() : QList<DiscoveredServer> {};
    const QString current = m_found->currentItem()
        ? m_found->currentItem()->data(Qt::UserRole).toUrl().toString()
        : QString();
    const QSignalBlocker quiet(m_found); // a list refreshed is not a choice made
    m_found->clear();
    QSet<QString> listed;
    for (const DiscoveredServer &server : servers) {
        const QUrl url = server.url();
        if (listed.contains(url.toString()))
            continue; // the same server seen on two interfaces
        listed.insert(url.toString());
        auto *item = new QListWidgetItem(tr("%1 — %2:%3%4")
                                             .arg(server.name, server.address)
                                             .arg(server.port)
                                             .arg(server.tls ? tr(" (TLS)") : QString()),
                                         m_found);
        item->setData(Qt::UserRole, url);
        item->setData(Qt::UserRole + 1, server.fingerprint);
        item->setToolTip(server.host);
        if (url.toString() == current)
            m_found->setCurrentItem(item);
    }
    const bool any = m_found->count() > 0;
    m_foundTitle->setVisible(any);
    m_found->setVisible(any);
    if (!any)
        m_fingerprint->clear();
    m_fingerprint->setVisible(!m_fingerprint->text().isEmpty());
}

void LoginDialog::chooseDiscovered()
{
    QListWidgetItem *item = m_found->currentItem();
    if (!item)
        return;
    m_server->setText(item->data(Qt::UserRole).toUrl().toString());
    const QString fingerprint = item->data(Qt::UserRole + 1).toString();
    // Shown to compare with what the admin says, never trusted for it: the
    // certificate is checked on connecting as for any address.
    m_fingerprint->setText(
        fingerprint.isEmpty()
            ? QString()
            : tr("It says its certificate's SHA-256 fingerprint is %1. Compare it with the one "
                 "your admin gives you; you will be asked to trust the certificate when "
                 "connecting.")
                  .arg(fingerprint));
    m_fingerprint->setVisible(!fingerprint.isEmpty());
}

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

void LoginDialog::setRegistration(const QString &registration)
{
    m_registration = registration;
    const bool offered
        = registration == QLatin1String("open") || registration == QLatin1String("invite");
    m_createAccount->setVisible(offered);
    if (!offered)
        m_createAccount->setChecked(false);
    validate();
}

bool LoginDialog::createsAccount() const
{
    return !m_createAccount->isHidden() && m_createAccount->isChecked(); // also once closed
}

QString LoginDialog::inviteCodeFrom(const QString &text)
{
    static const QRegularExpression code(QStringLiteral("^[A-Za-z0-9_-]{8,128}$"));
    QString t = text.trimmed();
    const qsizetype at = t.indexOf(QLatin1String("#invite="));
    if (at >= 0)
        t = t.mid(at + 8);
    return code.match(t).hasMatch() ? t : QString();
}

QString LoginDialog::inviteCode() const
{
    return inviteCodeFrom(m_invite->text());
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
    if (createsAccount()) {
        if (m_password->text().size() < 8)
            return tr("Choose a password of at least 8 characters.");
        if (m_registration == QLatin1String("invite") && inviteCode().isEmpty())
            return tr("Paste the invitation link you were given.");
    }
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
