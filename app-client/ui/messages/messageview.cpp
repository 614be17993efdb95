// Message list behaviour.
#include "messageview.h"

#include "messagedelegate.h"

#include <QDesktopServices>
#include <QScrollBar>
#include <QTimer>
#include <QUrl>

namespace Chat {

MessageView::MessageView(QWidget *parent) : QListView(parent), m_delegate(new MessageDelegate(this))
{
    setItemDelegate(m_delegate);
    setVerticalScrollMode(ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setResizeMode(Adjust);
    setLayoutMode(Batched);
    setBatchSize(500);
    setUniformItemSizes(false);
    setWordWrap(true);
    setSelectionMode(NoSelection);
    setFocusPolicy(Qt::NoFocus);
    setMouseTracking(true);
    setAccessibleName(tr("Messages"));
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &MessageView::onScrolled);
    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, [this] {
        if (m_followBottom)
            scrollToBottom();
    });
    connect(m_delegate, &MessageDelegate::linkActivated, this, [this](const QString &url) {
        emit linkActivated(url);
        QDesktopServices::openUrl(QUrl(url));
    });
}

MessageView::~MessageView() = default;

void MessageView::setModel(QAbstractItemModel *model)
{
    QListView::setModel(model);
    m_followBottom = true;
    QTimer::singleShot(0, this, [this] { scrollToBottom(); });
}

bool MessageView::isAtBottom() const
{
    return verticalScrollBar()->value() >= verticalScrollBar()->maximum() - 4;
}

void MessageView::onScrolled(int value)
{
    m_followBottom = isAtBottom();
    if (value <= verticalScrollBar()->minimum() && verticalScrollBar()->maximum() > 0)
        emit nearTop();
}

void MessageView::resizeEvent(QResizeEvent *event)
{
    const bool follow = m_followBottom;
    QListView::resizeEvent(event);
    doItemsLayout(); // wrapped text changes height with the width
    if (follow)
        scrollToBottom();
}

void MessageView::rowsInserted(const QModelIndex &parent, int start, int end)
{
    // Older history arrives at the top: keep the first visible message in place.
    const QModelIndex anchor
        = start == 0 && model()->rowCount() > end + 1 ? indexAt(QPoint(4, 4)) : QModelIndex();
    const int anchorRow = anchor.isValid() ? anchor.row() + (end - start + 1) : -1;
    QListView::rowsInserted(parent, start, end);
    if (anchorRow >= 0 && !m_followBottom) {
        doItemsLayout();
        scrollTo(model()->index(anchorRow, 0), PositionAtTop);
    } else if (m_followBottom) {
        scrollToBottom();
    }
}

void MessageView::rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end)
{
    QListView::rowsAboutToBeRemoved(parent, start, end);
}

} // namespace Chat
