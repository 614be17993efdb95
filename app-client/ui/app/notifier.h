// Tells the user about messages they are not looking at: a desktop
// notification (the notification server over D-Bus, else the tray's balloon),
// a taskbar alert, the unread count in the window title and the tray tooltip.
// The tray icon and its menu (show the window, quit) live here too.
#pragma once

#include <QObject>

QT_BEGIN_NAMESPACE
class QSystemTrayIcon;
class QWidget;
QT_END_NAMESPACE

namespace Chat {

class ChatClient;
class DesktopNotifications;

class Notifier final : public QObject
{
    Q_OBJECT
public:
    // `desktop`: the notification server's client, or null for the tray only.
    Notifier(ChatClient *client, QWidget *window, DesktopNotifications *desktop = nullptr,
             QObject *parent = nullptr);
    ~Notifier() override;
    Q_DISABLE_COPY_MOVE(Notifier)

    QSystemTrayIcon *trayIcon() const { return m_tray; }
    QString windowTitle() const;

signals:
    // Every notification shown (also where no tray exists, e.g. offscreen).
    void notified(const QString &title, const QString &body, bool mention);
    void trayActivated();
    // A notification of the room was clicked: show the window with the room.
    void roomRequested(const QString &room);
    void showRequested(); // the tray menu's "Show"

private:
    void onNotificationRequested(const QString &room, const QString &sender, const QString &text,
                                 bool mention);
    void updateTitles();

    ChatClient *m_client;
    QWidget *m_window;
    QSystemTrayIcon *m_tray = nullptr;
    DesktopNotifications *m_desktop;
    QString m_trayRoom; // the room of the tray balloon on screen
};

} // namespace Chat
