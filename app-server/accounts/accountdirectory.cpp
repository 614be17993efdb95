// The directory of AccountService (accountservice.h): rooms with settings,
// their members, bans and mutes, kept in memory, written through to the
// store, shared with the other servers of a cluster (directoryChanged,
// applyDirectoryChange) and read again from a shared store (reloadDirectory).
#include "accountservice.h"

#include "accountanswer.h"
#include "messagestore.h"
#include "storeworker.h"
#include "validation.h"

#include <QDateTime>

namespace Chat {

namespace {
qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

void AccountService::reloadDirectory()
{
    if (!m_worker || m_reloading)
        return;
    m_reloading = true;
    m_reloadWanted = false;
    const quint64 generation = m_directoryGeneration;
    m_worker->run([](MessageStore &db) { return answer(AccountStore(db).loadDirectory(now())); },
                  [this, generation](Answer<Directory> directory) {
                      m_reloading = false;
                      if (!directory.ok || generation != m_directoryGeneration) {
                          m_reloadWanted = true; // the next check reads it again
                          return;
                      }
                      m_directory = std::move(directory.value);
                  },
                  Answer<Directory> {});
}

const RoomSettings *AccountService::roomSettings(const QString &room) const
{
    const auto it = m_directory.rooms.constFind(room);
    return it == m_directory.rooms.constEnd() ? nullptr : &*it;
}

bool AccountService::mayEnter(const QString &room, const QString &key) const
{
    const RoomSettings *s = roomSettings(room);
    if (!s || !s->isPrivate)
        return true;
    return !key.isEmpty() && s->members.contains(key);
}

QStringList AccountService::roomsOf(const QString &key) const
{
    QStringList out;
    if (key.isEmpty())
        return out;
    for (const RoomSettings &s : m_directory.rooms) {
        if (s.isPrivate && s.members.contains(key))
            out.append(s.name);
    }
    return out;
}

void AccountService::roomChanged(const QString &room)
{
    const auto it = m_directory.rooms.constFind(room);
    if (it == m_directory.rooms.constEnd())
        return;
    QJsonObject members;
    for (auto m = it->members.cbegin(); m != it->members.cend(); ++m)
        members.insert(m.key(), m.value());
    emit directoryChanged({{QStringLiteral("what"), QStringLiteral("room")},
                           {QStringLiteral("name"), it->name},
                           {QStringLiteral("owner"), it->owner},
                           {QStringLiteral("topic"), it->topic},
                           {QStringLiteral("private"), it->isPrivate},
                           {QStringLiteral("dm"), it->dm},
                           {QStringLiteral("created"), double(it->createdMs)},
                           {QStringLiteral("members"), members}});
}

bool AccountService::applyDirectoryChange(const QJsonObject &change)
{
    ++m_directoryGeneration;
    const QString what = change.value(QLatin1String("what")).toString();
    const auto until = [&change]() -> std::optional<qint64> {
        const QJsonValue v = change.value(QLatin1String("until"));
        if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() > 9.0e15)
            return std::nullopt;
        return qint64(v.toDouble());
    };
    const QString key = change.value(QLatin1String("key")).toString();
    const QString roomName = change.value(QLatin1String("room")).toString();
    if (what == QLatin1String("ban") && !key.isEmpty() && until()) {
        if (*until() > 0)
            m_directory.bans.insert(key, *until());
        else
            m_directory.bans.remove(key);
        return true;
    }
    if (what == QLatin1String("mute") && !key.isEmpty()
        && Validation::roomProblem(roomName).isEmpty() && until()) {
        const QString slot = roomName + QLatin1Char('\n') + key;
        if (*until() > 0)
            m_directory.mutes.insert(slot, *until());
        else
            m_directory.mutes.remove(slot);
        return true;
    }
    if (what != QLatin1String("room"))
        return false;
    RoomSettings room;
    room.name = change.value(QLatin1String("name")).toString();
    const QJsonValue created = change.value(QLatin1String("created"));
    const QJsonValue members = change.value(QLatin1String("members"));
    if (!Validation::roomProblem(room.name).isEmpty() || !created.isDouble()
        || created.toDouble() < 0 || created.toDouble() > 9.0e15 || !members.isObject())
        return false;
    room.owner = change.value(QLatin1String("owner")).toString();
    room.topic = change.value(QLatin1String("topic")).toString();
    room.isPrivate = change.value(QLatin1String("private")).toBool();
    room.dm = change.value(QLatin1String("dm")).toBool();
    room.createdMs = qint64(created.toDouble());
    const QJsonObject list = members.toObject();
    for (auto it = list.constBegin(); it != list.constEnd(); ++it) {
        if (!it.value().isString())
            return false;
        room.members.insert(it.key(), it.value().toString());
    }
    m_directory.rooms.insert(room.name, room);
    return true;
}

void AccountService::saveRoom(const RoomSettings &room)
{
    ++m_directoryGeneration;
    m_directory.rooms.insert(room.name, room);
    roomChanged(room.name);
    m_worker->post([room](MessageStore &store) {
        AccountStore accounts(store);
        bool ok = accounts.saveRoom(room);
        for (auto it = room.members.cbegin(); ok && it != room.members.cend(); ++it)
            ok = accounts.addRoomMember(room.name, it.key(), it.value());
        return ok;
    });
}

void AccountService::addRoomMember(const QString &room, const QString &key, const QString &name)
{
    ++m_directoryGeneration;
    auto it = m_directory.rooms.find(room);
    if (it == m_directory.rooms.end())
        return;
    it->members.insert(key, name);
    roomChanged(room);
    m_worker->post([room, key, name](MessageStore &store) {
        return AccountStore(store).addRoomMember(room, key, name);
    });
}

void AccountService::removeRoomMember(const QString &room, const QString &key)
{
    ++m_directoryGeneration;
    auto it = m_directory.rooms.find(room);
    if (it == m_directory.rooms.end())
        return;
    it->members.remove(key);
    roomChanged(room);
    m_worker->post([room, key](MessageStore &store) {
        return AccountStore(store).removeRoomMember(room, key);
    });
}

qint64 AccountService::bannedUntil(const QString &key) const
{
    const qint64 until = m_directory.bans.value(key, 0);
    return until > now() ? until : 0;
}

qint64 AccountService::mutedUntil(const QString &room, const QString &key) const
{
    const qint64 until = m_directory.mutes.value(room + QLatin1Char('\n') + key, 0);
    return until > now() ? until : 0;
}

void AccountService::setBan(const QString &key, qint64 untilMs)
{
    ++m_directoryGeneration;
    if (untilMs > 0)
        m_directory.bans.insert(key, untilMs);
    else
        m_directory.bans.remove(key);
    emit directoryChanged({{QStringLiteral("what"), QStringLiteral("ban")},
                           {QStringLiteral("key"), key},
                           {QStringLiteral("until"), double(untilMs)}});
    m_worker->post(
        [key, untilMs](MessageStore &store) { return AccountStore(store).setBan(key, untilMs); });
}

void AccountService::setMute(const QString &room, const QString &key, qint64 untilMs)
{
    ++m_directoryGeneration;
    const QString slot = room + QLatin1Char('\n') + key;
    if (untilMs > 0)
        m_directory.mutes.insert(slot, untilMs);
    else
        m_directory.mutes.remove(slot);
    emit directoryChanged({{QStringLiteral("what"), QStringLiteral("mute")},
                           {QStringLiteral("room"), room},
                           {QStringLiteral("key"), key},
                           {QStringLiteral("until"), double(untilMs)}});
    m_worker->post([room, key, untilMs](MessageStore &store) {
        return AccountStore(store).setMute(room, key, untilMs);
    });
}

} // namespace Chat
