// The room list with unread counts, a field to join a room by name, and a
// context menu to leave or mute a room.
#pragma once

#include <QWidget>

QT_BEGIN_NAMESPACE
class QLineEdit;
class QListView;
class QPushButton;
QT_END_NAMESPACE

namespace Chat {

class ChatClient;

class RoomsPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit RoomsPanel(ChatClient *client, QWidget *parent = nullptr);
    ~RoomsPanel() override;
    Q_DISABLE_COPY_MOVE(RoomsPanel)

    QListView *list() const { return m_list; }
    QLineEdit *joinEdit() const { return m_joinEdit; }

private:
    void joinTyped();
    void showMenu(const QPoint &pos);
    void selectCurrent();

    ChatClient *m_client;
    QListView *m_list;
    QLineEdit *m_joinEdit;
    QPushButton *m_joinButton;
};

} // namespace Chat
