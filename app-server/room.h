// One chat room: who is in it, and a signal for everything that happens in it.
// Each event is encoded once here, as ready-to-send WebSocket frame bytes, and
// emitted twice: as what happened (memberJoined, ...) for whoever needs to know,
// and as broadcast(), the one signal a member's session connects to (one
// connection per member instead of four: members are many, and each connection
// costs memory) and which it only writes to its client.
#pragma once

#include "protocol.h"

#include <QMap>
#include <QObject>
#include <QString>

namespace Chat {

class Room final : public QObject
{
    Q_OBJECT
public:
    explicit Room(const QString &name, QObject *parent = nullptr);
    ~Room() override;
    Q_DISABLE_COPY_MOVE(Room)

    QString name() const { return m_name; }
    int memberCount() const { return int(m_members.size()); }
    QStringList usernames() const; // sorted, ignoring case
    bool hasMember(const QString &username) const;

    // Adds the member and emits memberJoined (the joiner included, if connected).
    void addMember(const QString &username);
    // Removes the member and emits memberLeft to the remaining members.
    void removeMember(const QString &username);
    // Announces a stored message to every member.
    void publish(const ChatMessage &message);
    // Announces a typing change; sessions skip their own.
    void setTyping(const QString &username, bool active);

signals:
    // `frame` is a complete WebSocket text frame (WireFrame), built once per event.
    void memberJoined(const QString &username, const QByteArray &frame);
    void memberLeft(const QString &username, const QByteArray &frame);
    void messagePosted(const Chat::ChatMessage &message, const QByteArray &frame);
    void typingChanged(const QString &username, const QByteArray &frame);
    // Every event above, for the members: `skipUsername` (typing) does not get it.
    void broadcast(const QByteArray &frame, const QString &skipUsername);
    void becameEmpty();

private:
    QString m_name;
    QMap<QString, QString> m_members; // username key -> username as given
};

} // namespace Chat
