// Wire protocol v1: the server's replies and broadcasts as JSON (namespace Reply).
#include "protocol.h"

#include "jsoninteger.h"
#include "validation.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace Chat {
namespace Reply {

QJsonObject welcome(const QString &serverName, const ProtocolLimits &limits, const QString &auth,
                    const QJsonObject &accounts)
{
    QJsonObject o {{QStringLiteral("type"), QStringLiteral("welcome")},
                   {QStringLiteral("auth"), auth},
                   {QStringLiteral("message"), QStringLiteral("Welcome to %1.").arg(serverName)},
                   {QStringLiteral("server"), serverName},
                   {QStringLiteral("protocol"), ProtocolVersion},
                   {QStringLiteral("limits"), limits.toJson()}};
    if (!accounts.isEmpty())
        o.insert(QStringLiteral("accounts"), accounts);
    return o;
}

QJsonObject identified(const QString &username, const QString &session, const QStringList &rooms)
{
    QJsonObject o {{QStringLiteral("type"), QStringLiteral("identified")},
                   {QStringLiteral("username"), username},
                   {QStringLiteral("session"), session}};
    if (!rooms.isEmpty())
        o.insert(QStringLiteral("rooms"), QJsonArray::fromStringList(rooms));
    return o;
}

QJsonObject joined(const QString &room, const QStringList &users, const QList<ChatMessage> &history,
                   bool more, bool reset)
{
    QJsonObject o {{QStringLiteral("type"), QStringLiteral("joined")},
                   {QStringLiteral("room"), room},
                   {QStringLiteral("users"), QJsonArray::fromStringList(users)},
                   {QStringLiteral("history"), toJsonArray(history)},
                   {QStringLiteral("more"), more}};
    if (reset)
        o.insert(QStringLiteral("reset"), true);
    return o;
}

QJsonObject userJoined(const QString &room, const QString &username, int usersInRoom)
{
    return {{QStringLiteral("type"), QStringLiteral("user-joined")},
            {QStringLiteral("room"), room},
            {QStringLiteral("username"), username},
            {QStringLiteral("usersInRoom"), usersInRoom}};
}

QJsonObject userLeft(const QString &room, const QString &username, int usersInRoom)
{
    return {{QStringLiteral("type"), QStringLiteral("user-left")},
            {QStringLiteral("room"), room},
            {QStringLiteral("username"), username},
            {QStringLiteral("usersInRoom"), usersInRoom}};
}

QJsonObject presence(const QString &room, const QStringList &joined, const QStringList &left,
                     int usersInRoom)
{
    return {{QStringLiteral("type"), QStringLiteral("presence")},
            {QStringLiteral("room"), room},
            {QStringLiteral("joined"), QJsonArray::fromStringList(joined)},
            {QStringLiteral("left"), QJsonArray::fromStringList(left)},
            {QStringLiteral("usersInRoom"), usersInRoom}};
}

QJsonObject userTyping(const QString &room, const QString &username, bool active)
{
    return {{QStringLiteral("type"), QStringLiteral("user-typing")},
            {QStringLiteral("room"), room},
            {QStringLiteral("username"), username},
            {QStringLiteral("active"), active}};
}

QJsonObject history(const QString &room, const QList<ChatMessage> &messages, bool more)
{
    return {{QStringLiteral("type"), QStringLiteral("history")},
            {QStringLiteral("room"), room},
            {QStringLiteral("messages"), toJsonArray(messages)},
            {QStringLiteral("more"), more}};
}

QJsonObject rooms(const QList<RoomInfo> &rooms)
{
    QJsonArray list;
    for (const RoomInfo &r : rooms) {
        QJsonObject o {{QStringLiteral("name"), r.name},
                       {QStringLiteral("usersInRoom"), r.usersInRoom}};
        if (!r.topic.isEmpty())
            o.insert(QStringLiteral("topic"), r.topic);
        if (r.isPrivate)
            o.insert(QStringLiteral("private"), true);
        if (!r.with.isEmpty())
            o.insert(QStringLiteral("dm"), QJsonArray::fromStringList(r.with));
        list.append(o);
    }
    return {{QStringLiteral("type"), QStringLiteral("rooms")}, {QStringLiteral("rooms"), list}};
}

} // namespace Reply
} // namespace Chat
