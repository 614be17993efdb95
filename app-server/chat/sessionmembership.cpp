// A member's part of a session: joining a room (with its history page),
// leaving, posting, typing, history pages, the room list, and the room events
// the session is told of as a subscriber.
#include "session.h"

#include "identity.h"
#include "identityregistry.h"
#include "messagestore.h"
#include "postqueue.h"
#include "room.h"
#include "roomregistry.h"
#include "serverlogging.h"
#include "sessionwait.h"
#include "storeworker.h"
#include "validation.h"

#include <QDateTime>

#include <algorithm>

namespace Chat {

void Session::handleJoin(const Request &r)
{
    if (!m_identity && r.username.isEmpty() && r.guest) {
        if (!checkToken({}))
            return;
        if (!identifyAsGuest())
            return;
    }
    if (!m_identity && r.username.isEmpty()) {
        sendError(ErrorCode::NotIdentified,
                  QStringLiteral("Say hello with a username, or join with one."));
        return;
    }
    if (!m_identity && !checkToken({}))
        return; // the documents' join carries no password
    if (!r.username.isEmpty() && m_identity && m_identity->isGuest()
        && Validation::usernameKey(r.username) != Validation::usernameKey(m_identity->username())
        && !rename(r.username, {}))
        return;
    if (!r.username.isEmpty() && !identify(r.username, {}, false))
        return;
    if (r.guest && !r.username.isEmpty() && m_identity->rooms().isEmpty())
        m_identity->setGuest(true); // a guest coming back under its guest name
    if (!m_identity->isIn(r.room) && !admitToRoom(r.room))
        return;
    if (!m_identity->isIn(r.room)) {
        if (m_identity->rooms().size() >= m_ctx.access.maxRoomsPerUser) {
            sendError(ErrorCode::TooManyRooms,
                      QStringLiteral("You can be in at most %1 rooms; leave one first.")
                          .arg(m_ctx.access.maxRoomsPerUser));
            return;
        }
        if (!m_ctx.rooms->find(r.room) && m_ctx.rooms->count() >= m_ctx.access.maxRooms) {
            sendError(ErrorCode::ServerBusy,
                      QStringLiteral("The server has too many rooms open; try an existing one."));
            return;
        }
    }

    MessageStore::Page page;
    bool reset = false;
    // Messages above the watermark are committed but not yet delivered here:
    // they reach this client live, after the join, and not in its history too.
    const qint64 last = m_ctx.rooms->delivered(r.room);
    // A shared store is read on the reader's thread: the join runs again with
    // the page in hand.
    if (ReadAnswer answer; m_ctx.reader) {
        if (!readInHand(r.room, last, &answer, true, r.since.value_or(-1)))
            return;
        page = std::move(answer.page);
        reset = answer.reset;
    } else {
        if (r.since) {
            const qint64 first = m_ctx.store->firstId(r.room);
            // Messages after `since` were deleted by retention, or `since` is an id
            // this store never gave: the client must reload rather than show a gap.
            const bool gap = *r.since < last && (first == 0 || *r.since + 1 < first);
            reset = *r.since > last || gap;
        }
        if (r.since && !reset)
            page = m_ctx.store->after(r.room, *r.since, m_ctx.limits.historyPageMax);
        else
            page = m_ctx.store->before(r.room, last + 1, m_ctx.limits.historyOnJoin);
    }
    cutAtWatermark(page, last);
    Room *room = m_ctx.rooms->findOrCreate(r.room);

    const bool rejoin = m_identity->isIn(r.room);
    m_identity->enterRoom(r.room);
    QStringList users = room->usernames();
    if (!rejoin && !room->hasMemberAnywhere(m_identity->username())) {
        // The list is sorted by key already: the joiner goes in its place
        // (log N keys made, not N log N: a room of 5,000 filling made 10^8).
        const QString key = Validation::usernameKey(m_identity->username());
        const auto at = std::lower_bound(users.begin(), users.end(), key,
                                         [](const QString &user, const QString &k) {
                                             return Validation::usernameKey(user) < k;
                                         });
        users.insert(at, m_identity->username());
    }
    send(Event::Joined {r.room, users, page.messages, page.more, reset});
    if (!rejoin) {
        subscribe(room);
        // The account's other devices are in the room too, from now on.
        for (Session *device : m_identity->sessions()) {
            if (device != this && !device->m_finished) {
                device->subscribe(room);
                device->send(Event::Joined {r.room, users, page.messages, page.more, reset});
            }
        }
        room->addMember(m_identity->username());
        qCInfo(lcSession).noquote()
            << "join" << m_identity->username() << r.room << "users" << room->memberCount();
    }
}

void Session::cutAtWatermark(MessageStore::Page &page, qint64 watermark)
{
    // Only `after` can reach past the watermark (`before` is bounded by it); what
    // it leaves out arrives live.
    while (!page.messages.isEmpty() && page.messages.constLast().id > watermark)
        page.messages.removeLast();
}

void Session::subscribe(Room *room)
{
    // Unique: a device that joins a room another device of the account joined
    // already is subscribed once.
    room->subscribe(this, this);
}

void Session::onRoomEvent(const Broadcast &event, const QString &skipUsername)
{
    if (!skipUsername.isEmpty() && m_identity && skipUsername == m_identity->username())
        return;
    if (m_dropping || m_finished)
        return;
    m_channel->sendBroadcast(event); // the bytes are shared with every other recipient
    scheduleFlush();
    if (m_ctx.counters) {
        using Delivery = ChatCounters::Delivery;
        const ServerEvent &e = event.event();
        const Delivery kind = std::holds_alternative<ChatMessage>(e) ? Delivery::Message
            : std::holds_alternative<Event::Typing>(e)               ? Delivery::Typing
                                                                     : Delivery::Presence;
        ++m_ctx.counters->deliveries[int(kind)];
    }
}

void Session::unsubscribe(Room *room)
{
    room->unsubscribe(this);
}

Room *Session::memberRoom(const QString &name, const QString &ref)
{
    if (!m_identity) {
        sendError(ErrorCode::NotIdentified, QStringLiteral("Join a room with a username first."),
                  ref);
        return nullptr;
    }
    const QString roomName = name.isEmpty() ? m_identity->currentRoom() : name;
    if (roomName.isEmpty()) {
        sendError(ErrorCode::NotInRoom, QStringLiteral("Join a room first."), ref);
        return nullptr;
    }
    Room *room = m_identity->isIn(roomName) ? m_ctx.rooms->find(roomName) : nullptr;
    if (!room)
        sendError(ErrorCode::NotInRoom, QStringLiteral("You are not in the room %1.").arg(roomName),
                  ref);
    return room;
}

void Session::handleLeave(const Request &r)
{
    Room *room = memberRoom(r.room, {});
    if (!room)
        return;
    unsubscribe(room);
    m_identity->leaveRoom(room->name());
    qCInfo(lcSession).noquote() << "leave" << m_identity->username() << room->name();
    room->removeMember(m_identity->username());
    // The account's other devices saw the user-left with their own name; they
    // are out of the room too.
    for (Session *device : m_identity->sessions()) {
        if (device != this)
            device->unsubscribe(room);
    }
}

void Session::handleChat(const Request &r)
{
    Room *room = memberRoom(r.room, r.clientId);
    if (room && m_ctx.accounts) {
        if (const qint64 until = m_ctx.accounts->mutedUntil(
                room->name(), Validation::usernameKey(m_identity->username()))) {
            sendError(ErrorCode::Muted,
                      QStringLiteral("You are muted in %1 until %2.")
                          .arg(room->name(), formatTimestamp(until)),
                      r.clientId);
            return;
        }
    }
    if (room)
        m_ctx.posts->submit({room->name(), m_identity->username(), r.text, r.clientId,
                             QDateTime::currentMSecsSinceEpoch()},
                            this);
}

void Session::handleTyping(const Request &r)
{
    if (Room *room = memberRoom(r.room, {}))
        room->setTyping(m_identity->username(), r.active);
}

void Session::handleHistory(const Request &r)
{
    if (Room *room = memberRoom(r.room, {})) {
        const int limit = r.limit > 0 ? r.limit : m_ctx.limits.historyOnJoin;
        const qint64 last = m_ctx.rooms->delivered(room->name());
        const qint64 before = r.before.value_or(0);
        MessageStore::Page page;
        if (ReadAnswer answer; m_ctx.reader) {
            // Older pages do not move: what was read is the answer.
            if (!(m_wait && m_wait->answered && m_wait->read && m_wait->room == room->name())) {
                waitForRead(room->name(), last, Wait::MaxReadTries, -1, false);
                return;
            }
            page = std::move(std::exchange(m_wait, nullptr)->page.page);
        } else {
            page = m_ctx.store->before(room->name(), before > 0 ? qMin(before, last + 1) : last + 1,
                                       limit);
        }
        cutAtWatermark(page, last);
        send(Event::History {room->name(), page.messages, page.more});
    }
}

void Session::handleRooms()
{
    QMap<QString, int> counts;
    for (const QString &name : m_ctx.store->rooms())
        counts.insert(name, 0);
    for (const Room *room : m_ctx.rooms->rooms())
        counts.insert(room->name(), room->usersInRoom());
    QList<Reply::RoomInfo> list;
    if (!m_ctx.accounts) {
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            list.append({it.key(), it.value(), {}, false, {}});
        send(Event::RoomList {list});
        return;
    }
    // Accounts: private rooms and direct messages only to their members,
    // and every one of those, even if nobody wrote in it yet.
    const QString key
        = m_identity && m_identity->isSignedIn() ? m_identity->signIn()->key : QString();
    for (const QString &name : m_ctx.accounts->roomsOf(key)) {
        if (!counts.contains(name))
            counts.insert(name, 0);
    }
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        if (!m_ctx.accounts->mayEnter(it.key(), key))
            continue;
        Reply::RoomInfo info {it.key(), it.value(), {}, false, {}};
        if (const RoomSettings *s = m_ctx.accounts->roomSettings(it.key())) {
            info.topic = s->topic;
            info.isPrivate = s->isPrivate;
            if (s->dm)
                info.with = s->members.values();
        }
        list.append(info);
    }
    send(Event::RoomList {list});
}

} // namespace Chat
