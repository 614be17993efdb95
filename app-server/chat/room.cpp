// Room membership and events.
#include "room.h"

#include "serverlogging.h"
#include "validation.h"

namespace Chat {

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
    emit memberJoined(username, memberCount());
    const Broadcast event(Event::Member {true, m_name, username, memberCount()});
    emit broadcast(event, {});
}

void Room::removeMember(const QString &username)
{
    if (m_members.remove(Validation::usernameKey(username)) == 0)
        return;
    emit memberLeft(username, memberCount());
    const Broadcast event(Event::Member {false, m_name, username, memberCount()});
    emit broadcast(event, {});
    if (m_members.isEmpty())
        emit becameEmpty();
}

void Room::publish(const ChatMessage &message)
{
    emit messagePosted(message);
    const Broadcast event(message);
    emit broadcast(event, {});
}

void Room::setTyping(const QString &username, bool active)
{
    emit typingChanged(username, active);
    showTyping(username, active);
}

void Room::showTyping(const QString &username, bool active)
{
    const Broadcast event(Event::Typing {m_name, username, active});
    emit broadcast(event, username);
}

} // namespace Chat
