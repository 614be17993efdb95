// Room membership and events.
#include "room.h"

#include "serverlogging.h"
#include "validation.h"
#include "wireframe.h"

namespace Chat {

namespace {
QByteArray frameOf(const QJsonObject &object)
{
    return WireFrame::text(encode(object));
}
} // namespace

Room::Room(const QString &name, QObject *parent) : QObject(parent), m_name(name)
{
    qCDebug(lcRoom) << "room created" << m_name;
}

Room::~Room()
{
    qCDebug(lcRoom) << "room closed" << m_name;
}

QStringList Room::usernames() const
{
    return m_members.values(); // QMap keeps the case-folded keys sorted
}

bool Room::hasMember(const QString &username) const
{
    return m_members.contains(Validation::usernameKey(username));
}

void Room::addMember(const QString &username)
{
    m_members.insert(Validation::usernameKey(username), username);
    const QByteArray frame = frameOf(Reply::userJoined(m_name, username, memberCount()));
    emit memberJoined(username, frame);
    emit broadcast(frame, {});
}

void Room::removeMember(const QString &username)
{
    if (m_members.remove(Validation::usernameKey(username)) == 0)
        return;
    const QByteArray frame = frameOf(Reply::userLeft(m_name, username, memberCount()));
    emit memberLeft(username, frame);
    emit broadcast(frame, {});
    if (m_members.isEmpty())
        emit becameEmpty();
}

void Room::publish(const ChatMessage &message)
{
    const QByteArray frame = frameOf(message.toJson());
    emit messagePosted(message, frame);
    emit broadcast(frame, {});
}

void Room::setTyping(const QString &username, bool active)
{
    const QByteArray frame = frameOf(Reply::userTyping(m_name, username, active));
    emit typingChanged(username, frame);
    emit broadcast(frame, username);
}

} // namespace Chat
