// Room list panel.
#include "roomspanel.h"

#include "chatclient.h"
#include "roomlistmodel.h"
#include "validation.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QToolTip>
#include <QVBoxLayout>

namespace Chat {

namespace {
// Room name, bold while it has unread messages, with a count badge (red for mentions).
class RoomDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const int unread = index.data(RoomListModel::UnreadRole).toInt();
        const bool muted = index.data(RoomListModel::MutedRole).toBool();
        opt.text = QLatin1Char('#') + index.data(RoomListModel::NameRole).toString();
        opt.font.setBold(unread > 0 && !muted);
        if (muted)
            opt.palette.setColor(QPalette::Text, opt.palette.color(QPalette::PlaceholderText));
        const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
        if (unread == 0)
            return;
        const QString count = unread > 99 ? QStringLiteral("99+") : QString::number(unread);
        const QFontMetrics fm(opt.font);
        const int w = std::max(fm.height(), fm.horizontalAdvance(count) + 8);
        const QRect badge(opt.rect.right() - w - 6, opt.rect.center().y() - fm.height() / 2, w,
                          fm.height());
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(Qt::NoPen);
        painter->setBrush(index.data(RoomListModel::MentionsRole).toInt() > 0
                              ? QColor(200, 30, 50)
                              : (muted ? QColor(150, 150, 150) : QColor(47, 125, 225)));
        painter->drawRoundedRect(badge, badge.height() / 2.0, badge.height() / 2.0);
        painter->setPen(Qt::white);
        QFont f = opt.font;
        f.setBold(true);
        painter->setFont(f);
        painter->drawText(badge, Qt::AlignCenter, count);
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize s = QStyledItemDelegate::sizeHint(option, index);
        s.setHeight(std::max(s.height(), option.fontMetrics.height() + 10));
        return s;
    }
};
} // namespace

RoomsPanel::RoomsPanel(ChatClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_list(new QListView(this))
    , m_joinEdit(new QLineEdit(this))
    , m_joinButton(new QPushButton(tr("Join"), this))
{
    auto *title = new QLabel(tr("Rooms"), this);
    QFont f = title->font();
    f.setBold(true);
    title->setFont(f);
    m_list->setModel(client->rooms());
    m_list->setItemDelegate(new RoomDelegate(m_list));
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setAccessibleName(tr("Rooms"));
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_joinEdit->setPlaceholderText(tr("Join a room…"));
    m_joinEdit->setAccessibleName(tr("Room to join"));
    m_joinButton->setEnabled(false);

    auto *joinRow = new QHBoxLayout;
    joinRow->addWidget(m_joinEdit);
    joinRow->addWidget(m_joinButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title);
    layout->addWidget(m_list);
    layout->addLayout(joinRow);

    connect(m_joinEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        const QString problem = Validation::roomProblem(text.trimmed());
        m_joinButton->setEnabled(problem.isEmpty());
        m_joinEdit->setToolTip(text.isEmpty() ? QString() : problem);
    });
    connect(m_joinEdit, &QLineEdit::returnPressed, this, &RoomsPanel::joinTyped);
    connect(m_joinButton, &QPushButton::clicked, this, &RoomsPanel::joinTyped);
    connect(m_list, &QListView::customContextMenuRequested, this, &RoomsPanel::showMenu);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    m_client->setCurrentRoom(current.data(RoomListModel::NameRole).toString());
            });
    connect(client, &ChatClient::currentRoomChanged, this, &RoomsPanel::selectCurrent);
    connect(client->rooms(), &QAbstractItemModel::rowsInserted, this, &RoomsPanel::selectCurrent);
    connect(client->rooms(), &QAbstractItemModel::rowsRemoved, this, &RoomsPanel::selectCurrent);
}

RoomsPanel::~RoomsPanel() = default;

void RoomsPanel::selectCurrent()
{
    const int row = m_client->rooms()->indexOf(m_client->currentRoom());
    if (row >= 0 && m_list->currentIndex().row() != row)
        m_list->setCurrentIndex(m_client->rooms()->index(row));
}

void RoomsPanel::joinTyped()
{
    const QString room = m_joinEdit->text().trimmed();
    if (const QString problem = Validation::roomProblem(room); !problem.isEmpty()) {
        QToolTip::showText(m_joinEdit->mapToGlobal(QPoint(0, m_joinEdit->height())), problem,
                           m_joinEdit);
        return;
    }
    m_client->joinRoom(room);
    m_client->setCurrentRoom(room);
    m_joinEdit->clear();
}

void RoomsPanel::showMenu(const QPoint &pos)
{
    const QModelIndex index = m_list->indexAt(pos);
    if (!index.isValid())
        return;
    const QString room = index.data(RoomListModel::NameRole).toString();
    const bool muted = index.data(RoomListModel::MutedRole).toBool();
    QMenu menu(this);
    QAction *mute = menu.addAction(muted ? tr("Unmute #%1").arg(room) : tr("Mute #%1").arg(room));
    QAction *leave = menu.addAction(tr("Leave #%1").arg(room));
    QAction *chosen = menu.exec(m_list->viewport()->mapToGlobal(pos));
    if (chosen == mute)
        m_client->setMuted(room, !muted);
    else if (chosen == leave)
        m_client->leaveRoom(room);
}

} // namespace Chat
