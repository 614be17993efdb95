// The main window: rooms on the left, the room's messages with the typing line
// and the input box in the middle, its users on the right, the connection state
// at the bottom. It only binds widgets to ChatClient's models and slots.
#pragma once

#include "clientsettings.h"

#include <QMainWindow>

QT_BEGIN_NAMESPACE
class QJsonArray;
class QLabel;
class QListView;
class QMenu;
class QSplitter;
QT_END_NAMESPACE

namespace Chat {

class ChatClient;
class ConnectionBar;
class DesktopNotifications;
class MessageInput;
class MessageView;
class Notifier;
class RoomsPanel;
class SearchBar;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    // `desktop`: notifications through the desktop's notification server (null: the tray's).
    explicit MainWindow(ChatClient *client, DesktopNotifications *desktop = nullptr,
                        QWidget *parent = nullptr);
    ~MainWindow() override;
    Q_DISABLE_COPY_MOVE(MainWindow)

    MessageInput *input() const { return m_input; }
    MessageView *messageView() const { return m_view; }
    RoomsPanel *roomsPanel() const { return m_rooms; }
    QListView *userList() const { return m_users; }
    QLabel *typingLabel() const { return m_typing; }
    ConnectionBar *connectionBar() const { return m_connectionBar; }
    Notifier *notifier() const { return m_notifier; }
    SearchBar *searchBar() const { return m_search; }
    // The row of the current search result in the message list, or -1.
    int searchHitRow() const;

    DesktopSettings desktopSettings() const { return m_desktop; }
    void setDesktopSettings(const DesktopSettings &settings) { m_desktop = settings; }
    // The panels' sizes, to keep between runs.
    QByteArray saveLayout() const;
    void restoreLayout(const QByteArray &layout);
    // Shown, not minimized, raised, active: a second start, the tray, a notification.
    void bringToFront();
    // The room on screen, and the window to the front (a notification's action).
    void openRoom(const QString &room);

signals:
    void preferencesChanged();

protected:
    void changeEvent(QEvent *event) override;
    // With close-to-tray and a tray: hides instead of quitting.
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    // A person's context menu on an accounts server (null: none).
    QMenu *personMenu(const QString &name);
    void showDevices(const QJsonArray &devices);
    void showModerationLog(const QJsonArray &entries);
    void onCurrentRoomChanged(const QString &room);
    void submit(const QString &text);
    void switchRoom(int step);
    void showPreferences();
    void showAbout();
    void runSearch(const QString &text);
    void stepSearch(int step);
    void showSearchHit();
    void closeSearch();

    ChatClient *m_client;
    RoomsPanel *m_rooms;
    MessageView *m_view;
    QLabel *m_roomTitle;
    QLabel *m_typing;
    MessageInput *m_input;
    QListView *m_users;
    QLabel *m_usersTitle;
    ConnectionBar *m_connectionBar;
    Notifier *m_notifier;
    QSplitter *m_splitter = nullptr;
    DesktopSettings m_desktop;
    bool m_toldAboutTray = false;
    SearchBar *m_search;
    QList<int> m_matches; // rows, oldest first
    qsizetype m_matchAt = -1;
    QList<QMetaObject::Connection> m_modelWatch;
};

} // namespace Chat
