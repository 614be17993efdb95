// Client-side decoding of server messages.
#include "servermessages.h"

#include "jsoninteger.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>

#include <climits>

namespace Chat::ServerMessage {

namespace {
// A string field; nullopt if absent or of another type.
std::optional<QString> string(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isString())
        return std::nullopt;
    return v.toString();
}

QString optionalString(const QJsonObject &o, const char *key)
{
    return string(o, key).value_or(QString());
}

bool flag(const QJsonObject &o, const char *key, bool fallback)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isBool() ? v.toBool() : fallback;
}

// An array of strings, or nothing if it is not one.
std::optional<QStringList> names(const QJsonValue &value)
{
    if (!value.isArray())
        return std::nullopt;
    QStringList out;
    for (const QJsonValue &v : value.toArray()) {
        if (!v.isString())
            return std::nullopt;
        out.append(v.toString());
    }
    return out;
}

// Every element of the array must decode; one bad message spoils the page, so
// that a client never shows history with a hole it does not know of.
std::optional<QList<ChatMessage>> messages(const QJsonValue &value, const QString &room)
{
    if (!value.isArray())
        return std::nullopt;
    const QJsonArray array = value.toArray();
    QList<ChatMessage> out;
    out.reserve(array.size());
    for (const QJsonValue &v : array) {
        std::optional<ChatMessage> m = ChatMessage::fromJson(v.toObject());
        if (!m)
            return std::nullopt;
        if (m->room.isEmpty())
            m->room = room;
        out.append(*m);
    }
    return out;
}

Event member(const QJsonObject &o, bool joined)
{
    const auto room = string(o, "room");
    const auto username = string(o, "username");
    const auto count = jsonInteger(o.value(QLatin1String("usersInRoom")), 0, INT_MAX);
    if (!room || room->isEmpty() || !username || !count)
        return Ignored {};
    return Member {joined, *room, *username, int(*count)};
}
} // namespace

Event decode(const QByteArray &utf8)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return Ignored {};
    const QJsonObject o = doc.object();
    const QString type = optionalString(o, "type");
    const auto room = string(o, "room");
    const bool hasRoom = room && !room->isEmpty();

    if (type == QLatin1String("welcome"))
        return Welcome {ProtocolLimits::fromJson(o.value(QLatin1String("limits")).toObject()),
                        optionalString(o, "auth"), optionalString(o, "server"),
                        o.value(QLatin1String("accounts")).toObject()};
    if (type == QLatin1String("identified")) {
        const auto username = string(o, "username");
        const auto session = string(o, "session");
        if (!username || username->isEmpty() || !session)
            return Ignored {};
        QStringList rooms;
        for (const QJsonValue &v : o.value(QLatin1String("rooms")).toArray()) {
            if (!v.isString())
                return Ignored {};
            rooms.append(v.toString());
        }
        return Identified {*username, *session, rooms};
    }
    if (type == QLatin1String("joined")) {
        const auto history = messages(o.value(QLatin1String("history")), room.value_or(QString()));
        const auto users = names(o.value(QLatin1String("users")));
        if (!hasRoom || !history || !users)
            return Ignored {};
        return Joined {*room, *users, *history, flag(o, "more", false), flag(o, "reset", false)};
    }
    if (type == QLatin1String("message")) {
        std::optional<ChatMessage> m = ChatMessage::fromJson(o);
        if (!m || !hasRoom)
            return Ignored {};
        return *m;
    }
    if (type == QLatin1String("user-joined"))
        return member(o, true);
    if (type == QLatin1String("user-left"))
        return member(o, false);
    if (type == QLatin1String("presence")) {
        const auto joined = names(o.value(QLatin1String("joined")));
        const auto left = names(o.value(QLatin1String("left")));
        const auto count = jsonInteger(o.value(QLatin1String("usersInRoom")), 0, INT_MAX);
        if (!hasRoom || !joined || !left || !count)
            return Ignored {};
        return Presence {*room, *joined, *left, int(*count)};
    }
    if (type == QLatin1String("user-typing")) {
        const auto username = string(o, "username");
        if (!hasRoom || !username)
            return Ignored {};
        return Typing {*room, *username, flag(o, "active", true)};
    }
    if (type == QLatin1String("history")) {
        const auto list = messages(o.value(QLatin1String("messages")), room.value_or(QString()));
        if (!hasRoom || !list)
            return Ignored {};
        return History {*room, *list, flag(o, "more", false)};
    }
    if (type == QLatin1String("rooms")) {
        const QJsonValue list = o.value(QLatin1String("rooms"));
        if (!list.isArray())
            return Ignored {};
        Rooms rooms;
        for (const QJsonValue &v : list.toArray()) {
            const QJsonObject r = v.toObject();
            const auto name = string(r, "name");
            const auto count = jsonInteger(r.value(QLatin1String("usersInRoom")), 0, INT_MAX);
            if (!name || name->isEmpty() || !count)
                return Ignored {};
            Reply::RoomInfo info;
            info.name = *name;
            info.usersInRoom = int(*count);
            info.topic = optionalString(r, "topic");
            info.isPrivate = r.value(QLatin1String("private")).toBool();
            for (const QJsonValue &w : r.value(QLatin1String("dm")).toArray())
                info.with.append(w.toString());
            rooms.rooms.append(info);
        }
        return rooms;
    }
    static const QStringList accountEvents = {
        QStringLiteral("done"),    QStringLiteral("invited"),
        QStringLiteral("topic"),   QStringLiteral("message-deleted"),
        QStringLiteral("kicked"),  QStringLiteral("muted"),
        QStringLiteral("unmuted"), QStringLiteral("banned"),
        QStringLiteral("devices"), QStringLiteral("revoked"),
        QStringLiteral("audit"),
    };
    if (accountEvents.contains(type)) {
        QJsonObject fields = o;
        fields.remove(QLatin1String("type"));
        if (fields.contains(QLatin1String("room")) && !hasRoom)
            return Ignored {};
        return AccountEvent {type, fields};
    }
    if (type == QLatin1String("signed-in")) {
        const auto username = string(o, "username");
        if (!username || username->isEmpty())
            return Ignored {};
        const QString token = optionalString(o, "token");
        // A token is what the server makes: 43 base64url characters.
        if (!token.isEmpty()
            && (token.size() > 128 || std::any_of(token.cbegin(), token.cend(), [](QChar c) {
                    return !(c.isLetterOrNumber() && c.unicode() < 128) && c != u'-' && c != u'_';
                })))
            return Ignored {};
        return SignedIn {*username, optionalString(o, "role"), optionalString(o, "device"), token};
    }
    if (type == QLatin1String("error")) {
        const auto code = string(o, "code");
        if (!code)
            return Ignored {};
        return Error {*code, optionalString(o, "message"), optionalString(o, "ref")};
    }
    return Ignored {};
}

} // namespace Chat::ServerMessage
