// Rooms with settings (an owner, a topic, private), direct messages, and
// moderation (kick, mute, ban, delete, roles, the audit log), on an accounts
// server. Who may do what: docs/protocol.md, "Rooms, direct messages and
// moderation". Every act of a moderator is recorded.
#include "session.h"

#include "accountservice.h"
#include "bus.h"
#include "identity.h"
#include "identityregistry.h"
#include "room.h"
#include "roomregistry.h"
#include "serverlogging.h"
#include "storeworker.h"
#include "validation.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>

namespace Chat {

namespace {
constexpr int BannedCloseCode = 4007;

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

const QString &dmPrefix()
{
    static const QString prefix = QStringLiteral("dm-");
    return prefix;
}

int rank(const Identity *identity)
{
    if (!identity || !identity->isSignedIn())
        return 0; // a guest
    switch (identity->signIn()->role) {
    case Role::Admin:
        return 3;
    case Role::Moderator:
        return 2;
    case Role::Member:
        return 1;
    }
    return 1;
}

int roleRank(Role role)
{
    return role == Role::Admin ? 3 : role == Role::Moderator ? 2 : 1;
}

QJsonObject typed(const char *type, QJsonObject fields)
{
    fields.insert(QStringLiteral("type"), QLatin1String(type));
    return fields;
}
} // namespace

QString Session::requireAccount()
{
    if (!m_ctx.accounts) {
        sendError(ErrorCode::AccountsOff, QStringLiteral("This server has no accounts."));
        return {};
    }
    if (!m_identity || !m_identity->isSignedIn()) {
        sendError(ErrorCode::NotSignedIn, QStringLiteral("Sign in first."));
        return {};
    }
    return m_identity->signIn()->key;
}

bool Session::mayModerate(const QString &room) const
{
    if (rank(m_identity) >= 2)
        return true;
    const RoomSettings *s = m_ctx.accounts ? m_ctx.accounts->roomSettings(room) : nullptr;
    return s && !s->dm && m_identity && m_identity->isSignedIn()
        && s->owner == m_identity->signIn()->key;
}

bool Session::admitToRoom(const QString &room)
{
    if (!m_ctx.accounts)
        return true;
    const QString key
        = m_identity && m_identity->isSignedIn() ? m_identity->signIn()->key : QString();
    const RoomSettings *s = m_ctx.accounts->roomSettings(room);
    if (!s && room.startsWith(dmPrefix(), Qt::CaseInsensitive)) {
        sendError(ErrorCode::BadRoom,
                  QStringLiteral("Names starting with \"dm-\" are for direct messages."));
        return false;
    }
    if (!m_ctx.accounts->mayEnter(room, key)) {
        sendError(ErrorCode::Forbidden,
                  QStringLiteral("%1 is private: a member can invite you.").arg(room));
        return false;
    }
    return true;
}

void Session::sendDone(const QString &request, QJsonObject fields)
{
    fields.insert(QStringLiteral("type"), QStringLiteral("done"));
    fields.insert(QStringLiteral("request"), request);
    send(Event::AccountReply {request, fields});
}

namespace {
QString actionName(Session::NoticeAction action)
{
    switch (action) {
    case Session::NoticeAction::Kick:
        return QStringLiteral("kick");
    case Session::NoticeAction::Ban:
        return QStringLiteral("ban");
    case Session::NoticeAction::Tell:
        break;
    }
    return QStringLiteral("tell");
}
} // namespace

void Session::noticeHere(const ServerContext &ctx, const QString &username, const QString &answers,
                         const QJsonObject &event, NoticeAction action, const QString &roomName)
{
    Identity *target = ctx.identities->find(username);
    if (!target)
        return;
    Room *room = roomName.isEmpty() ? nullptr : ctx.rooms->find(roomName);
    if (action == NoticeAction::Kick && !(room && target->isIn(roomName)))
        return; // not in it: nothing to tell
    if (action == NoticeAction::Ban)
        target->setResumable(false);
    const QList<Session *> devices = target->sessions();
    for (Session *device : devices) {
        device->send(Event::AccountReply {answers, event});
        if (action == NoticeAction::Ban)
            device->close(BannedCloseCode, QStringLiteral("banned"));
    }
    if (action == NoticeAction::Kick) {
        // Out of the room on every device; the room is told.
        for (Session *device : devices)
            device->unsubscribe(room);
        target->leaveRoom(roomName);
        room->removeMember(target->username());
    }
}

void Session::tellUser(const QString &username, const QString &answers, const QJsonObject &event,
                       NoticeAction action, const QString &room)
{
    noticeHere(m_ctx, username, answers, event, action, room);
    if (m_ctx.bus)
        m_ctx.bus->publishAccounts({{QStringLiteral("kind"), QStringLiteral("user")},
                                    {QStringLiteral("username"), username},
                                    {QStringLiteral("answers"), answers},
                                    {QStringLiteral("event"), event},
                                    {QStringLiteral("action"), actionName(action)},
                                    {QStringLiteral("room"), room}});
}

void Session::tellRoom(const QString &room, const QString &answers, const QJsonObject &event)
{
    if (Room *here = m_ctx.rooms->find(room))
        here->announce(Event::AccountReply {answers, event});
    if (m_ctx.bus)
        m_ctx.bus->publishAccounts({{QStringLiteral("kind"), QStringLiteral("room")},
                                    {QStringLiteral("room"), room},
                                    {QStringLiteral("answers"), answers},
                                    {QStringLiteral("event"), event}});
}

void Session::applyClusterNotice(const ServerContext &ctx, const QJsonObject &notice)
{
    const QString kind = notice.value(QLatin1String("kind")).toString();
    const QString answers = notice.value(QLatin1String("answers")).toString();
    const QJsonValue event = notice.value(QLatin1String("event"));
    const QString room = notice.value(QLatin1String("room")).toString();
    if (answers.isEmpty() || !event.isObject())
        return;
    if (kind == QLatin1String("room")) {
        if (Room *here = ctx.rooms->find(room))
            here->announce(Event::AccountReply {answers, event.toObject()});
        return;
    }
    const QString username = notice.value(QLatin1String("username")).toString();
    const QString action = notice.value(QLatin1String("action")).toString();
    if (kind != QLatin1String("user") || username.isEmpty())
        return;
    const NoticeAction what = action == QLatin1String("kick") ? NoticeAction::Kick
        : action == QLatin1String("ban")                      ? NoticeAction::Ban
                                                              : NoticeAction::Tell;
    noticeHere(ctx, username, answers, event.toObject(), what, room);
}

void Session::rankOf(const QString &username, std::function<void(int, QString)> done)
{
    if (const Identity *target = m_ctx.identities->find(username)) {
        done(rank(target), target->username());
        return;
    }
    // Not here: offline, or on another server. Its account says.
    m_ctx.accounts->account(
        Validation::usernameKey(username),
        [self = QPointer<Session>(this), username,
         done = std::move(done)](std::optional<Account> account, bool failed) {
            if (!self || self->m_finished || !self->m_identity || !self->m_ctx.accounts)
                return;
            if (failed) {
                self->sendError(ErrorCode::ServerBusy, QStringLiteral("Try again in a moment."));
                return;
            }
            if (account)
                done(roleRank(account->role), account->name);
            else
                done(0, username); // a guest, or nobody
        });
}

void Session::handleCreateRoom(const Request &r)
{
    const QString key = requireAccount();
    if (key.isEmpty())
        return;
    if (r.room.startsWith(dmPrefix(), Qt::CaseInsensitive)) {
        sendError(ErrorCode::BadRoom,
                  QStringLiteral("Names starting with \"dm-\" are for direct messages."));
        return;
    }
    // A room that exists (people in it, or messages) keeps what it is: making
    // it private would hide its history from its people.
    if (m_ctx.rooms->find(r.room) || m_ctx.rooms->delivered(r.room) > 0
        || m_ctx.accounts->roomSettings(r.room)) {
        sendError(ErrorCode::NameTaken, QStringLiteral("The room %1 exists already.").arg(r.room));
        return;
    }
    RoomSettings settings;
    settings.name = r.room;
    settings.owner = key;
    settings.topic = r.topic.trimmed();
    settings.isPrivate = r.isPrivate;
    settings.createdMs = now();
    if (r.isPrivate)
        settings.members.insert(key, m_identity->username());
    m_ctx.accounts->saveRoom(settings);
    qCInfo(lcSession).noquote() << m_identity->username() << "created"
                                << (r.isPrivate ? "private room" : "room") << r.room;
    // A request of its own: a join that waits (a shared store's read) runs
    // that request again, not this one.
    Request join;
    join.type = RequestType::Join;
    join.room = r.room;
    dispatch(join);
}

void Session::handleInvite(const Request &r)
{
    const QString key = requireAccount();
    if (key.isEmpty())
        return;
    const RoomSettings *s = m_ctx.accounts->roomSettings(r.room);
    // The same words whatever the reason: a non-member learns nothing of the room.
    if (!s || !s->isPrivate || s->dm || !s->members.contains(key)) {
        sendError(ErrorCode::Forbidden,
                  QStringLiteral("You can invite people only to a private room you are in."));
        return;
    }
    const QString targetKey = Validation::usernameKey(r.username);
    const QString room = r.room;
    const QString by = m_identity->username();
    m_ctx.accounts->registeredNames(
        {targetKey},
        [self = QPointer<Session>(this), room, targetKey,
         by](bool ok, const QHash<QString, QString> &names) {
            if (!self || self->m_finished || !self->m_ctx.accounts)
                return;
            if (!ok) {
                self->sendError(ErrorCode::ServerBusy, QStringLiteral("Try again in a moment."));
                return;
            }
            if (!names.contains(targetKey)) {
                self->sendError(ErrorCode::NoSuchUser,
                                QStringLiteral("Nobody has that name here."));
                return;
            }
            const QString name = names.value(targetKey);
            self->m_ctx.accounts->addRoomMember(room, targetKey, name);
            const RoomSettings *settings = self->m_ctx.accounts->roomSettings(room);
            const QJsonObject invited
                = typed("invited",
                        {{QStringLiteral("room"), room},
                         {QStringLiteral("by"), by},
                         {QStringLiteral("topic"), settings ? settings->topic : QString()}});
            self->tellUser(name, QStringLiteral("invite"), invited);
            self->sendDone(QStringLiteral("invite"),
                           {{QStringLiteral("room"), room}, {QStringLiteral("username"), name}});
        });
}

void Session::handleTopic(const Request &r)
{
    const QString key = requireAccount();
    if (key.isEmpty())
        return;
    const RoomSettings *s = m_ctx.accounts->roomSettings(r.room);
    if (!m_ctx.accounts->mayEnter(r.room, key) || (s && s->dm) || !mayModerate(r.room)) {
        sendError(ErrorCode::Forbidden,
                  QStringLiteral("Only the room's owner or a moderator sets its topic."));
        return;
    }
    RoomSettings settings = s ? *s : RoomSettings {};
    if (!s) {
        settings.name = r.room;
        settings.createdMs = now();
    }
    settings.topic = r.topic.trimmed();
    m_ctx.accounts->saveRoom(settings);
    const QJsonObject changed = typed("topic",
                                      {{QStringLiteral("room"), r.room},
                                       {QStringLiteral("topic"), settings.topic},
                                       {QStringLiteral("by"), m_identity->username()}});
    tellRoom(r.room, QStringLiteral("topic"), changed);
    sendDone(QStringLiteral("topic"), {{QStringLiteral("room"), r.room}});
}

void Session::handleOpenDm(const Request &r)
{
    const QString key = requireAccount();
    if (key.isEmpty())
        return;
    QStringList keys {key};
    for (const QString &name : r.usernames) {
        const QString k = Validation::usernameKey(name);
        if (k == key) {
            sendError(ErrorCode::BadField, QStringLiteral("List the others, not yourself."));
            return;
        }
        keys.append(k);
    }
    std::sort(keys.begin(), keys.end());
    const QString room = dmPrefix()
        + QString::fromLatin1(QCryptographicHash::hash(keys.join(QLatin1Char('\n')).toUtf8(),
                                                       QCryptographicHash::Sha256)
                                  .toHex()
                                  .left(24));
    m_ctx.accounts->registeredNames(
        keys,
        [self = QPointer<Session>(this), keys, room](bool ok,
                                                     const QHash<QString, QString> &names) {
            if (!self || self->m_finished || !self->m_identity || !self->m_ctx.accounts)
                return;
            if (!ok) {
                self->sendError(ErrorCode::ServerBusy, QStringLiteral("Try again in a moment."));
                return;
            }
            if (names.size() != keys.size()) {
                self->sendError(ErrorCode::NoSuchUser,
                                QStringLiteral("Somebody in that list has no account here."));
                return;
            }
            if (!self->m_ctx.accounts->roomSettings(room)) {
                RoomSettings settings;
                settings.name = room;
                settings.isPrivate = true;
                settings.dm = true;
                settings.createdMs = now();
                for (auto it = names.cbegin(); it != names.cend(); ++it)
                    settings.members.insert(it.key(), it.value());
                self->m_ctx.accounts->saveRoom(settings);
            }
            const RoomSettings *s = self->m_ctx.accounts->roomSettings(room);
            const QStringList with = s->members.values();
            // The others are told as of a mention: their clients open it.
            const QJsonObject invited
                = typed("invited",
                        {{QStringLiteral("room"), room},
                         {QStringLiteral("by"), self->m_identity->username()},
                         {QStringLiteral("dm"), QJsonArray::fromStringList(with)}});
            for (const QString &name : with) {
                if (Validation::usernameKey(name)
                    == Validation::usernameKey(self->m_identity->username()))
                    continue;
                self->tellUser(name, QStringLiteral("open-dm"), invited);
            }
            self->sendDone(QStringLiteral("open-dm"),
                           {{QStringLiteral("room"), room},
                            {QStringLiteral("dm"), QJsonArray::fromStringList(with)}});
            Request join;
            join.type = RequestType::Join;
            join.room = room;
            self->dispatch(join);
        });
}

void Session::handleKick(const Request &r)
{
    const QString key = requireAccount();
    if (key.isEmpty())
        return;
    const auto refuse = [this] {
        sendError(ErrorCode::Forbidden,
                  QStringLiteral("Only the room's owner or a moderator kicks, and not someone "
                                 "of their rank or above."));
    };
    if (!mayModerate(r.room) || Validation::usernameKey(r.username) == key) {
        refuse();
        return;
    }
    const QString room = r.room;
    const QString reason = r.reason;
    rankOf(r.username, [this, room, reason, refuse](int targetRank, const QString &name) {
        if (targetRank >= rank(m_identity) && rank(m_identity) < 3) {
            refuse();
            return;
        }
        if (const RoomSettings *s = m_ctx.accounts->roomSettings(room); s && s->isPrivate)
            m_ctx.accounts->removeRoomMember(room, Validation::usernameKey(name));
        tellUser(name, QStringLiteral("kick"),
                 typed("kicked",
                       {{QStringLiteral("room"), room},
                        {QStringLiteral("by"), m_identity->username()},
                        {QStringLiteral("reason"), reason}}),
                 NoticeAction::Kick, room);
        m_ctx.accounts->record(
            {now(), m_identity->username(), QStringLiteral("kick"), name, room, reason});
        sendDone(QStringLiteral("kick"),
                 {{QStringLiteral("room"), room}, {QStringLiteral("username"), name}});
    });
}

void Session::handleMute(const Request &r)
{
    const QString key = requireAccount();
    if (key.isEmpty())
        return;
    const bool mute = r.type == RequestType::Mute;
    const auto refuse = [this] {
        sendError(ErrorCode::Forbidden,
                  QStringLiteral("Only the room's owner or a moderator mutes, and not someone "
                                 "of their rank or above."));
    };
    if (!mayModerate(r.room) || Validation::usernameKey(r.username) == key) {
        refuse();
        return;
    }
    const QString room = r.room;
    const QString reason = r.reason;
    const qint64 minutes = r.minutes.value_or(0);
    rankOf(
        r.username,
        [this, room, reason, minutes, mute, refuse](int targetRank, const QString &name) {
            if (targetRank >= rank(m_identity) && rank(m_identity) < 3) {
                refuse();
                return;
            }
            const qint64 until = mute ? now() + minutes * 60000 : 0;
            const QString request = mute ? QStringLiteral("mute") : QStringLiteral("unmute");
            m_ctx.accounts->setMute(room, Validation::usernameKey(name), until);
            tellUser(name, request,
                     typed(mute ? "muted" : "unmuted",
                           {{QStringLiteral("room"), room},
                            {QStringLiteral("by"), m_identity->username()},
                            {QStringLiteral("until"), mute ? formatTimestamp(until) : QString()}}));
            m_ctx.accounts->record(
                {now(), m_identity->username(), request, name, room,
                 mute ? QStringLiteral("%1 min %2").arg(minutes).arg(reason).trimmed()
                      : QString()});
            sendDone(request, {{QStringLiteral("room"), room}, {QStringLiteral("username"), name}});
        });
}

void Session::handleBan(const Request &r)
{
    const QString key = requireAccount();
    if (key.isEmpty())
        return;
    const bool ban = r.type == RequestType::Ban;
    const QString request = ban ? QStringLiteral("ban") : QStringLiteral("unban");
    if (rank(m_identity) < 2) {
        sendError(ErrorCode::Forbidden, QStringLiteral("Only moderators and admins ban."));
        return;
    }
    const QString targetKey = Validation::usernameKey(r.username);
    if (targetKey == key) {
        sendError(ErrorCode::Forbidden, QStringLiteral("You cannot ban yourself."));
        return;
    }
    const qint64 minutes = r.minutes.value_or(0);
    const QString reason = r.reason;
    m_ctx.accounts->account(
        targetKey,
        [self = QPointer<Session>(this), targetKey, ban, request, minutes,
         reason](std::optional<Account> account, bool failed) {
            if (!self || self->m_finished || !self->m_identity || !self->m_ctx.accounts)
                return;
            if (failed) {
                self->sendError(ErrorCode::ServerBusy, QStringLiteral("Try again in a moment."));
                return;
            }
            if (!account) {
                self->sendError(ErrorCode::NoSuchUser,
                                QStringLiteral("Nobody has that name here."));
                return;
            }
            if (roleRank(account->role) >= rank(self->m_identity) && rank(self->m_identity) < 3) {
                self->sendError(ErrorCode::Forbidden,
                                QStringLiteral("You cannot ban someone of your rank or above."));
                return;
            }
            const qint64 until = ban ? now() + minutes * 60000 : 0;
            self->m_ctx.accounts->setBan(targetKey, until);
            if (ban) {
                // Out now, on every device, and no token of theirs signs in again.
                self->m_ctx.accounts->revokeAllQuietly(targetKey);
                self->tellUser(account->name, QStringLiteral("ban"),
                               typed("banned",
                                     {{QStringLiteral("until"), formatTimestamp(until)},
                                      {QStringLiteral("reason"), reason}}),
                               NoticeAction::Ban);
            }
            self->m_ctx.accounts->record(
                {now(),
                 self->m_identity->username(),
                 request,
                 account->name,
                 {},
                 ban ? QStringLiteral("until %1 %2").arg(formatTimestamp(until), reason).trimmed()
                     : QString()});
            self->sendDone(request, {{QStringLiteral("username"), account->name}});
        });
}

void Session::handleDelete(const Request &r)
{
    const QString key = requireAccount();
    if (key.isEmpty())
        return;
    if (!m_ctx.accounts->mayEnter(r.room, key) || !m_ctx.writer) {
        sendError(ErrorCode::NoSuchMessage, QStringLiteral("There is no such message of yours."));
        return;
    }
    const bool moderator = mayModerate(r.room);
    const QString room = r.room;
    const qint64 id = *r.messageId;
    m_ctx.writer->run(
        [room, id, onlyKey = moderator ? QString() : key](MessageStore &store) {
            return store.deleteMessage(room, id, onlyKey);
        },
        [self = QPointer<Session>(this), room, id](MessageStore::Deleted deleted) {
            if (!self || self->m_finished || !self->m_identity || !self->m_ctx.accounts)
                return;
            if (deleted.failed) {
                self->sendError(ErrorCode::StoreFailed, QStringLiteral("Try again in a moment."));
                return;
            }
            if (!deleted.deleted) {
                self->sendError(ErrorCode::NoSuchMessage,
                                QStringLiteral("There is no such message of yours."));
                return;
            }
            const QString by = self->m_identity->username();
            if (Validation::usernameKey(deleted.author) != Validation::usernameKey(by))
                self->m_ctx.accounts->record({now(), by, QStringLiteral("delete"), deleted.author,
                                              room, QString::number(id)});
            const QJsonObject gone = typed("message-deleted",
                                           {{QStringLiteral("room"), room},
                                            {QStringLiteral("id"), id},
                                            {QStringLiteral("by"), by}});
            self->tellRoom(room, QStringLiteral("delete"), gone);
            self->sendDone(QStringLiteral("delete"),
                           {{QStringLiteral("room"), room}, {QStringLiteral("id"), id}});
        },
        MessageStore::Deleted {true, false, {}});
}

void Session::handleSetRole(const Request &r)
{
    const QString key = requireAccount();
    if (key.isEmpty())
        return;
    if (rank(m_identity) < 3) {
        sendError(ErrorCode::Forbidden, QStringLiteral("Only admins set roles."));
        return;
    }
    const Role role = roleFromName(r.role).value_or(Role::Member);
    const QString targetKey = Validation::usernameKey(r.username);
    m_ctx.accounts->setRole(
        targetKey, role,
        [self = QPointer<Session>(this), role](AccountStore::Result result, const QString &name) {
            if (!self || self->m_finished || !self->m_identity || !self->m_ctx.accounts)
                return;
            if (result == AccountStore::Result::NotFound) {
                self->sendError(ErrorCode::NoSuchUser,
                                QStringLiteral("Nobody has that name here."));
                return;
            }
            if (result != AccountStore::Result::Done) {
                self->sendError(ErrorCode::ServerBusy, QStringLiteral("Try again in a moment."));
                return;
            }
            if (Identity *target = self->m_ctx.identities->find(name))
                target->setRole(role);
            self->m_ctx.accounts->record({now(),
                                          self->m_identity->username(),
                                          QStringLiteral("role"),
                                          name,
                                          {},
                                          roleName(role)});
            self->sendDone(
                QStringLiteral("set-role"),
                {{QStringLiteral("username"), name}, {QStringLiteral("role"), roleName(role)}});
        });
}

void Session::handleAudit(const Request &r)
{
    const QString key = requireAccount();
    if (key.isEmpty())
        return;
    if (rank(m_identity) < 3) {
        sendError(ErrorCode::Forbidden, QStringLiteral("Only admins read the moderation log."));
        return;
    }
    m_ctx.accounts->moderationLog(
        r.limit, [self = QPointer<Session>(this)](bool ok, const QList<ModerationEntry> &log) {
            if (!self || self->m_finished)
                return;
            if (!ok) {
                self->sendError(ErrorCode::ServerBusy, QStringLiteral("Try again in a moment."));
                return;
            }
            QJsonArray entries;
            for (const ModerationEntry &e : log) {
                entries.append(QJsonObject {{QStringLiteral("at"), formatTimestamp(e.atMs)},
                                            {QStringLiteral("actor"), e.actor},
                                            {QStringLiteral("action"), e.action},
                                            {QStringLiteral("target"), e.target},
                                            {QStringLiteral("room"), e.room},
                                            {QStringLiteral("detail"), e.detail}});
            }
            self->send(Event::AccountReply {
                QStringLiteral("audit"), typed("audit", {{QStringLiteral("entries"), entries}})});
        });
}

} // namespace Chat
