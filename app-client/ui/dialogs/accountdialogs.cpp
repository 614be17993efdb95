// The devices list and the moderation log (accountdialogs.h).
#include "accountdialogs.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Chat {

namespace {
QString when(const QJsonValue &iso)
{
    const QDateTime t = QDateTime::fromString(iso.toString(), Qt::ISODateWithMs);
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
}

QString day(const QJsonValue &iso)
{
    const QDateTime t = QDateTime::fromString(iso.toString(), Qt::ISODateWithMs);
    return t.isValid() ? QLocale().toString(t.toLocalTime().date(), QLocale::ShortFormat)
                       : QString();
}

QTreeWidget *makeList(const QStringList &columns, QWidget *parent)
{
    auto *list = new QTreeWidget(parent);
    list->setHeaderLabels(columns);
    list->setRootIsDecorated(false);
    list->setUniformRowHeights(true);
    list->setAlternatingRowColors(true);
    list->header()->setStretchLastSection(true);
    return list;
}
} // namespace

DevicesDialog::DevicesDialog(const QJsonArray &devices, QWidget *parent)
    : QDialog(parent)
    , m_list(makeList({tr("Device"), tr("Signed in"), tr("Last used"), tr("Until")}, this))
    , m_signOut(new QPushButton(tr("&Sign out this device"), this))
    , m_everywhere(new QPushButton(tr("Sign out &everywhere"), this))
{
    setWindowTitle(tr("Signed in on"));
    setObjectName(QStringLiteral("devicesDialog"));
    m_list->setObjectName(QStringLiteral("devices"));
    m_list->setAccessibleName(tr("Devices"));
    m_signOut->setObjectName(QStringLiteral("signOutDevice"));
    m_everywhere->setObjectName(QStringLiteral("signOutEverywhere"));
    for (const QJsonValue &v : devices) {
        const QJsonObject d = v.toObject();
        const bool current = d.value(QLatin1String("current")).toBool();
        QString name = d.value(QLatin1String("device")).toString();
        if (current)
            name = tr("%1 (this one)").arg(name);
        auto *item = new QTreeWidgetItem(m_list,
                                         {name, when(d.value(QLatin1String("signedIn"))),
                                          when(d.value(QLatin1String("lastUsed"))),
                                          day(d.value(QLatin1String("expires")))});
        item->setData(0, Qt::UserRole, d.value(QLatin1String("id")).toString());
        item->setData(0, Qt::UserRole + 1, current);
        if (current) {
            QFont bold = item->font(0);
            bold.setBold(true);
            item->setFont(0, bold);
        }
    }
    for (int c = 0; c < m_list->columnCount(); ++c)
        m_list->resizeColumnToContents(c);
    auto *count = new QLabel(tr("Devices signed in to your account: %1").arg(devices.size()), this);
    m_everywhere->setToolTip(
        tr("Every device, this one included, must sign in again with the password."));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_signOut, QDialogButtonBox::ActionRole);
    buttons->addButton(m_everywhere, QDialogButtonBox::DestructiveRole);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(count);
    layout->addWidget(m_list);
    layout->addWidget(buttons);
    resize(720, 300);

    m_signOut->setEnabled(false);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this,
            [this] { m_signOut->setEnabled(!m_list->selectedItems().isEmpty()); });
    connect(m_signOut, &QPushButton::clicked, this, [this] {
        const QList<QTreeWidgetItem *> selected = m_list->selectedItems();
        if (selected.isEmpty())
            return;
        QTreeWidgetItem *item = selected.first();
        emit signOutRequested(item->data(0, Qt::UserRole).toString(),
                              item->data(0, Qt::UserRole + 1).toBool());
        delete item;
    });
    connect(m_everywhere, &QPushButton::clicked, this, [this] {
        emit signOutEverywhereRequested();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

DevicesDialog::~DevicesDialog() = default;

ModerationLogDialog::ModerationLogDialog(const QJsonArray &entries, QWidget *parent)
    : QDialog(parent)
    , m_list(
          makeList({tr("When"), tr("Who"), tr("Did"), tr("To"), tr("Room"), tr("Details")}, this))
{
    setWindowTitle(tr("Moderation log"));
    setObjectName(QStringLiteral("moderationLog"));
    m_list->setObjectName(QStringLiteral("entries"));
    m_list->setAccessibleName(tr("Moderation log"));
    for (const QJsonValue &v : entries) {
        const QJsonObject e = v.toObject();
        const QString room = e.value(QLatin1String("room")).toString();
        new QTreeWidgetItem(m_list,
                            {when(e.value(QLatin1String("at"))),
                             e.value(QLatin1String("actor")).toString(),
                             e.value(QLatin1String("action")).toString(),
                             e.value(QLatin1String("target")).toString(),
                             room.isEmpty() ? QString() : QLatin1Char('#') + room,
                             e.value(QLatin1String("detail")).toString()});
    }
    for (int c = 0; c < m_list->columnCount(); ++c)
        m_list->resizeColumnToContents(c);
    auto *count = new QLabel(entries.isEmpty()
                                 ? tr("Nobody has moderated anything yet.")
                                 : tr("Acts of moderation, newest first: %1").arg(entries.size()),
                             this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(count);
    layout->addWidget(m_list);
    layout->addWidget(buttons);
    resize(720, 360);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

ModerationLogDialog::~ModerationLogDialog() = default;

} // namespace Chat
