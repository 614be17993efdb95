// Draws one row of a room: a day separator where a new day starts, then either a
// message (sender, time, wrapped text with clickable links, pending/failed state,
// mention highlight) or a quiet notice line.
#pragma once

#include <QPersistentModelIndex>
#include <QStyledItemDelegate>

namespace Chat {

class MessageDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit MessageDelegate(QObject *parent = nullptr);
    ~MessageDelegate() override;
    Q_DISABLE_COPY_MOVE(MessageDelegate)

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;

    // The link under a point of a row, if any.
    QString linkAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                   const QPoint &pos) const;
    static QString linkify(const QString &plainText);
    static bool hasLink(const QString &text);
    // The row shown as the current search result.
    void setSearchHit(const QModelIndex &index) { m_searchHit = index; }
    QModelIndex searchHit() const { return m_searchHit; }

signals:
    void linkActivated(const QString &url);

private:
    struct Geometry;
    Geometry layout(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QPersistentModelIndex m_searchHit;
};

} // namespace Chat
