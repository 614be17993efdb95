// Desktop notifications and unread counts in titles.
#include "notifier.h"

#include "chatclient.h"
#include "desktopnotifications.h"
#include "roomlistmodel.h"

#include <QApplication>
#include <QMenu>
#include <QSystemTrayIcon>
#include <QWidget>

namespace Chat {

Notifier::Notifier(ChatClient *client, QWidget *window, DesktopNotifications *desktop,
                   QObject *parent)
    : QObject(parent), m_client(client), m_window(window), m_desktop(desktop)
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
        auto *menu = new QMenu(window);
        menu->addAction(tr("Show LAN chat"), this, &Notifier::showRequested);
        menu->addSeparator();
        menu->addAction(tr("Quit"), qApp, &QApplication::quit);
        m_tray->setContextMenu(menu);
        m_tray->show();
        connect(m_tray, &QSystemTrayIcon::activated, this, [this](auto reason) {
            if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                emit trayActivated();
        });
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            if (!m_trayRoom.isEmpty())
                emit roomRequested(m_trayRoom);
            else
                emit trayActivated();
        });
    }
    if (m_desktop)
        connect(m_desktop, &DesktopNotifications::roomActivated, this, &Notifier::roomRequested);
    connect(client, &ChatClient::notificationRequested, this, &Notifier::onNotificationRequested);
    connect(client->rooms(), &RoomListModel::totalUnreadChanged, this, &Notifier::updateTitles);
    connect(client, &ChatClient::currentRoomChanged, this, &Notifier::updateTitles);
    updateTitles();
}

Notifier::~Notifier() = default;

QString Notifier::windowTitle() const
{
    const int unread = m_client->rooms()->totalUnread();
    const QString room = m_client->currentRoom();
    QString title = room.isEmpty() ? tr("LAN chat") : tr("#%1 – LAN chat").arg(room);
    if (unread > 0)
        title.prepend(QStringLiteral("(%1) ").arg(unread));
    return title;
}

void Notifier::updateTitles()
{
    m_window->setWindowTitle(windowTitle());
    if (m_tray) {
        const int unread = m_client->rooms()->totalUnread();
        m_tray->setToolTip(unread > 0 ? tr("LAN chat: %n unread message(s)", nullptr, unread)
                                      : tr("LAN chat"));
    }
}

void Notifier::onNotificationRequested(const QString &room, const QString &sender,
                                       const QString &text, bool mention)
{
    const NotificationSettings settings = m_client->notificationSettings();
    const QString title = mention ? tr("%1 mentioned you in #%2").arg(sender, room)
                                  : tr("%1 in #%2").arg(sender, room);
    const QString body = settings.showText ? text.left(200) : tr("New message");
    if (settings.desktop) {
        if (m_desktop && m_desktop->isAvailable()) {
            m_desktop->show(room, title, body);
        } else if (m_tray) {
            m_trayRoom = room;
            m_tray->showMessage(title, body, QApplication::windowIcon(), 6000);
        }
    }
    if (settings.alert)
        QApplication::alert(m_window);
    emit notified(title, body, mention);
}

} // namespace Chat
