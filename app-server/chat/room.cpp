// Room membership and events.
#include "room.h"

#include "outputflusher.h"
#include "serverlogging.h"
#include "validation.h"

#include <algorithm>

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
    if (m_elsewhere.isEmpty())
        return m_members.values(); // QMap keeps the case-folded keys sorted
    QMap<QString, QString> all = m_elsewhere;
    all.insert(m_members);
    return all.values();
}

int Room::usersInRoom() const
{
    return memberCount() + int(m_elsewhere.size()) - m_inBoth;
}

void Room::setElsewhere(const QMap<QString, QString> &members)
{
    int count = usersInRoom(); // counted down and up with each event below
    const QMap<QString, QString> before = std::exchange(m_elsewhere, members);
    m_inBoth = 0;
    for (auto it = m_elsewhere.cbegin(); it != m_elsewhere.cend(); ++it)
        m_inBoth += m_members.contains(it.key());
    // Someone also here is neither announced nor gone.
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        if (!members.contains(it.key()) && !m_members.contains(it.key())) {
            const Broadcast event(Event::Member {false, m_name, it.value(), --count});
            deliver(event);
        }
    }
    for (auto it = members.cbegin(); it != members.cend(); ++it) {
        if (!before.contains(it.key()) && !m_members.contains(it.key())) {
            const Broadcast event(Event::Member {true, m_name, it.value(), ++count});
            deliver(event);
        }
    }
}

bool Room::hasMember(const QString &username) const
{
    return m_members.contains(Validation::usernameKey(username));
}

bool Room::hasMemberAnywhere(const QString &username) const
{
    const QString key = Validation::usernameKey(username);
    return m_members.contains(key) || m_elsewhere.contains(key);
}

void Room::addMember(const QString &username, bool announce)
{
    const QString key = Validation::usernameKey(username);
    if (!m_members.contains(key) && m_elsewhere.contains(key))
        ++m_inBoth;
    m_members.insert(key, username);
    emit memberJoined(username, memberCount());
    if (!announce)
        return;
    const Broadcast event(Event::Member {true, m_name, username, usersInRoom()});
    deliver(event);
}

void Room::removeMember(const QString &username)
{
    const QString key = Validation::usernameKey(username);
    if (m_members.remove(key) == 0)
        return;
    emit memberLeft(username, memberCount());
    if (m_elsewhere.contains(key)) {
        --m_inBoth; // still in the room on another server: not gone
    } else {
        const Broadcast event(Event::Member {false, m_name, username, usersInRoom()});
        deliver(event);
    }
    if (m_members.isEmpty())
        emit becameEmpty();
}

void Room::publish(const ChatMessage &message)
{
    emit messagePosted(message);
    const Broadcast event(message);
    deliver(event);
}

void Room::announce(const ServerEvent &event)
{
    const Broadcast b(event);
    deliver(b);
}

void Room::setTyping(const QString &username, bool active)
{
    emit typingChanged(username, active);
    showTyping(username, active);
}

void Room::showTyping(const QString &username, bool active)
{
    const Broadcast event(Event::Typing {m_name, username, active});
    deliver(event, username);
}

void Room::subscribe(QObject *owner, RoomSubscriber *subscriber)
{
    Q_ASSERT(owner && subscriber);
    if (isSubscribed(owner))
        return;
    m_subscribers.push_back(Subscription {owner, subscriber});
}

void Room::unsubscribe(const QObject *owner)
{
    const auto it = std::find_if(m_subscribers.begin(), m_subscribers.end(),
                                 [owner](const Subscription &s) { return s.owner == owner; });
    if (it == m_subscribers.end())
        return;
    // A batching subscriber leaving (another device of one who just left)
    // still hears what happened before it went.
    if (it->owner && it->subscriber->batchesPresence() && !m_pending.isEmpty())
        flushPresence();
    if (m_delivering > 0) {
        it->owner.clear(); // the loop below holds an index: erased when it is done
        m_holes = true;
    } else {
        m_subscribers.erase(it);
    }
}

bool Room::isSubscribed(const QObject *owner) const
{
    return std::any_of(m_subscribers.cbegin(), m_subscribers.cend(),
                       [owner](const Subscription &s) { return s.owner == owner; });
}

int Room::subscriberCount() const
{
    return int(std::count_if(m_subscribers.cbegin(), m_subscribers.cend(),
                             [](const Subscription &s) { return !s.owner.isNull(); }));
}

void Room::deliver(const Broadcast &event, const QString &skipUsername)
{
    if (const auto *member = std::get_if<Event::Member>(&event.event())) {
        if (deliverTo(To::NotBatching, event, skipUsername) > 0)
            notePresence(*member);
    } else {
        flushPresence(); // what they were told before comes first
        deliverTo(To::Everyone, event, skipUsername);
    }
    emit broadcast(event, skipUsername);
}

int Room::deliverTo(To who, const Broadcast &event, const QString &skipUsername)
{
    ++m_delivering;
    int skipped = 0;
    // By index, and up to the count at the start: a subscriber may subscribe
    // others (the vector grows) or unsubscribe (an entry is cleared) meanwhile.
    const size_t count = m_subscribers.size();
    for (size_t i = 0; i < count; ++i) {
        const Subscription &s = m_subscribers[i];
        if (!s.owner) {
            m_holes = true; // its owner was destroyed
            continue;
        }
        if (who != To::Everyone && s.subscriber->batchesPresence() != (who == To::Batching)) {
            ++skipped;
            continue;
        }
        s.subscriber->onRoomEvent(event, skipUsername);
    }
    if (--m_delivering == 0 && m_holes) {
        m_holes = false;
        m_subscribers.erase(std::remove_if(m_subscribers.begin(), m_subscribers.end(),
                                           [](const Subscription &s) { return s.owner.isNull(); }),
                            m_subscribers.end());
    }
    return skipped;
}

void Room::notePresence(const Event::Member &member)
{
    const bool first = m_pending.isEmpty();
    const QString key = Validation::usernameKey(member.username);
    auto it = m_pending.find(key);
    if (it == m_pending.end())
        it = m_pending.insert(key,
                              PendingPresence {member.username, !member.joined, member.joined});
    it->username = member.username;
    it->isHere = member.joined;
    if (!m_flusher)
        flushPresence();
    else if (first)
        m_flusher->schedulePresence(this);
}

void Room::flushPresence()
{
    if (m_pending.isEmpty())
        return;
    QStringList joined, left;
    for (const PendingPresence &p : std::as_const(m_pending)) {
        if (p.isHere && !p.wasHere)
            joined.append(p.username);
        else if (!p.isHere && p.wasHere)
            left.append(p.username);
        else if (p.isHere)
            joined.append(p.username); // left and came back: perhaps spelt otherwise
    }
    m_pending.clear();
    if (joined.isEmpty() && left.isEmpty())
        return; // came and went within the pass
    const Broadcast event(Event::Presence {m_name, joined, left, usersInRoom()});
    deliverTo(To::Batching, event, {});
}

} // namespace Chat
