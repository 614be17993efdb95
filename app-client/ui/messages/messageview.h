// The message list: follows the newest message while the user is at the bottom,
// keeps its place when older history arrives above, asks for older history when
// scrolled to the top, and opens links.
#pragma once

#include <QListView>

namespace Chat {

class MessageDelegate;

class MessageView final : public QListView
{
    Q_OBJECT
public:
    explicit MessageView(QWidget *parent = nullptr);
    ~MessageView() override;
    Q_DISABLE_COPY_MOVE(MessageView)

    void setModel(QAbstractItemModel *model) override;
    bool isAtBottom() const;
    MessageDelegate *messageDelegate() const { return m_delegate; }

signals:
    void nearTop();
    void linkActivated(const QString &url);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void rowsInserted(const QModelIndex &parent, int start, int end) override;
    void rowsAboutToBeRemoved(const QModelIndex &parent, int start, int end) override;

private:
    void onScrolled(int value);

    MessageDelegate *m_delegate;
    bool m_followBottom = true;
};

} // namespace Chat
