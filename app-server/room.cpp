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
    emit memberJoined(username, frameOf(Reply::userJoined(m_name, username, memberCount())));
}

void Room::removeMember(const QString &username)
{
    if (m_members.remove(Validation::usernameKey(username)) == 0)
        return;
    emit memberLeft(username, frameOf(Reply::userLeft(m_name, username, memberCount())));
    if (m_members.isEmpty())
        emit becameEmpty();
}

void Room::publish(const ChatMessage &message)
{
    emit messagePosted(message, frameOf(message.toJson()));
}

void Room::setTyping(const QString &username, bool active)
{
    emit typingChanged(username, frameOf(Reply::userTyping(m_name, username, active)));
}

} // namespace Chat
