// Tells the user about messages they are not looking at: a tray notification,
// a taskbar alert, the unread count in the window title and the tray tooltip.
#pragma once

#include <QObject>

QT_BEGIN_NAMESPACE
class QSystemTrayIcon;
class QWidget;
QT_END_NAMESPACE

namespace Chat {

class ChatClient;

class Notifier final : public QObject
{
    Q_OBJECT
public:
    Notifier(ChatClient *client, QWidget *window, QObject *parent = nullptr);
    ~Notifier() override;
    Q_DISABLE_COPY_MOVE(Notifier)

    QSystemTrayIcon *trayIcon() const { return m_tray; }
    QString windowTitle() const;

signals:
    // Every notification shown (also where no tray exists, e.g. offscreen).
    void notified(const QString &title, const QString &body, bool mention);
    void trayActivated();

private:
    void onNotificationRequested(const QString &room, const QString &sender, const QString &text,
                                 bool mention);
    void updateTitles();

    ChatClient *m_client;
    QWidget *m_window;
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace Chat
