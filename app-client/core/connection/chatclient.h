// The desktop client's state: the connection, the rooms with their messages and
// users, unread counts, typing and notification decisions. Widgets bind to its
// models and call its slots; it never touches a widget.
#pragma once

#include "chatconnection.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

namespace Chat {

class MessageModel;
class RoomListModel;
class TypingTracker;
class UserListModel;

struct NotificationSettings
{
    bool desktop = true; // a tray notification
    bool alert = true; // flash the taskbar entry
    bool showText = true; // the message text in the notification
    bool mentionsInMuted = true; // mentions notify even in muted rooms
};

class ChatClient final : public QObject
{
    Q_OBJECT
public:
    explicit ChatClient(QObject *parent = nullptr);
    ~ChatClient() override;
    Q_DISABLE_COPY_MOVE(ChatClient)

    ChatConnection *connection() { return m_connection; }
    RoomListModel *rooms() { return m_rooms; }
    UserListModel *users() { return m_users; }
    TypingTracker *typing() { return m_typing; }
    MessageModel *messages(const QString &room) const;

    void start(const QUrl &server, const QString &username, const QStringList &rooms,
               const QString &token = {});
    QString username() const { return m_connection->username(); }

    void joinRoom(const QString &room);
    void leaveRoom(const QString &room);
    void setCurrentRoom(const QString &room);
    QString currentRoom() const { return m_current; }

    // Sends to the current room; returns a problem sentence, or empty if queued.
    QString sendText(const QString &text);
    void userTyping();
    // Asks for the page of history before what the room shows.
    bool loadOlder(const QString &room);

    void setMuted(const QString &room, bool muted);
    void setWindowActive(bool active);
    bool isWindowActive() const { return m_windowActive; }
    void setNotificationSettings(const NotificationSettings &settings) { m_notify = settings; }
    NotificationSettings notificationSettings() const { return m_notify; }

    QString typingText(const QString &room) const;
    // A sentence in the user's language for a server error code (the server's
    // English sentence when the code is not one the client knows).
    static QString describeError(const QString &code, const QString &serverMessage,
                                 const QString &subject = {});
    // "Aminah", "Aminah, Ben, Cik", "Aminah, Ben, Cik and 4 more": for a notice.
    static QString nameList(const QStringList &names);

signals:
    void currentRoomChanged(const QString &room);
    void roomAdded(const QString &room);
    void roomRemoved(const QString &room);
    void notificationRequested(const QString &room, const QString &sender, const QString &text,
                               bool mention);
    void typingTextChanged(const QString &room, const QString &text);
    void problem(const QString &message);
    // Accounts servers: the answer to a devices request (docs/protocol.md).
    void devicesListed(const QJsonArray &devices);
    // The moderation log an admin asked for (`audit`), newest first.
    void moderationLogListed(const QJsonArray &entries);
    void historyLoaded(const QString &room, int count);

private:
    // A direct message is shown as "@" and the other people in it.
    void labelDirectMessage(const QString &room, const QStringList &with);
    MessageModel *ensureModel(const QString &room);
    void syncPendingRows();
    bool isMention(const ChatMessage &m) const;

    void onRoomJoined(const QString &room, const QStringList &users,
                      const QList<ChatMessage> &history, bool more, bool reset);
    void onUserJoined(const QString &room, const QString &username);
    void onUserLeft(const QString &room, const QString &username);
    void onPresence(const QString &room, const QStringList &joined, const QStringList &left);
    void onMessage(const ChatMessage &m);
    void onHistory(const QString &room, const QList<ChatMessage> &messages, bool more);
    void onSendFailed(const QString &clientId, const QString &message);
    void onAccountEvent(const QString &type, const QJsonObject &fields);

    ChatConnection *m_connection;
    RoomListModel *m_rooms;
    UserListModel *m_users;
    TypingTracker *m_typing;
    QHash<QString, MessageModel *> m_models;
    QHash<QString, QStringList> m_roomUsers;
    QSet<QString> m_historyRequested;
    QString m_current;
    bool m_windowActive = true;
    NotificationSettings m_notify;
};

} // namespace Chat
