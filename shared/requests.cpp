// Builders for client requests.
#include "requests.h"

namespace Chat::Requests {

namespace {
QJsonObject typed(const char *type)
{
    return {{QStringLiteral("type"), QLatin1String(type)}};
}
} // namespace

QJsonObject hello(const QString &username, const QString &token, const QString &resume,
                  const QString &client)
{
    QJsonObject o = typed("hello");
    o.insert(QStringLiteral("username"), username);
    if (!token.isEmpty())
        o.insert(QStringLiteral("token"), token);
    if (!resume.isEmpty())
        o.insert(QStringLiteral("resume"), resume);
    if (!client.isEmpty())
        o.insert(QStringLiteral("client"), client);
    return o;
}

QJsonObject join(const QString &room, std::optional<qint64> since)
{
    QJsonObject o = typed("join");
    o.insert(QStringLiteral("room"), room);
    if (since)
        o.insert(QStringLiteral("since"), *since);
    return o;
}

QJsonObject leave(const QString &room)
{
    QJsonObject o = typed("leave");
    o.insert(QStringLiteral("room"), room);
    return o;
}

QJsonObject chat(const QString &room, const QString &text, const QString &clientId)
{
    QJsonObject o = typed("chat");
    o.insert(QStringLiteral("room"), room);
    o.insert(QStringLiteral("text"), text);
    if (!clientId.isEmpty())
        o.insert(QStringLiteral("clientId"), clientId);
    return o;
}

QJsonObject typing(const QString &room, bool active)
{
    QJsonObject o = typed("typing");
    o.insert(QStringLiteral("room"), room);
    o.insert(QStringLiteral("active"), active);
    return o;
}

QJsonObject history(const QString &room, std::optional<qint64> before, int limit)
{
    QJsonObject o = typed("history");
    o.insert(QStringLiteral("room"), room);
    if (before)
        o.insert(QStringLiteral("before"), *before);
    if (limit > 0)
        o.insert(QStringLiteral("limit"), limit);
    return o;
}

QJsonObject rooms()
{
    return typed("rooms");
}

QJsonObject login(const QString &username, const QString &password, const QString &device)
{
    QJsonObject o {{QStringLiteral("type"), QStringLiteral("login")},
                   {QStringLiteral("username"), username},
                   {QStringLiteral("password"), password}};
    if (!device.isEmpty())
        o.insert(QStringLiteral("device"), device);
    return o;
}

QJsonObject registerAccount(const QString &username, const QString &password, const QString &invite,
                            const QString &device)
{
    QJsonObject o = login(username, password, device);
    o.insert(QStringLiteral("type"), QStringLiteral("register"));
    if (!invite.isEmpty())
        o.insert(QStringLiteral("invite"), invite);
    return o;
}

QJsonObject helloWithAccount(const QString &accountToken, const QString &resume,
                             const QString &client, const QString &serverPassword)
{
    QJsonObject o {{QStringLiteral("type"), QStringLiteral("hello")},
                   {QStringLiteral("accountToken"), accountToken}};
    if (!resume.isEmpty())
        o.insert(QStringLiteral("resume"), resume);
    if (!client.isEmpty())
        o.insert(QStringLiteral("client"), client);
    if (!serverPassword.isEmpty())
        o.insert(QStringLiteral("token"), serverPassword);
    return o;
}

QJsonObject logout()
{
    return {{QStringLiteral("type"), QStringLiteral("logout")}};
}

QJsonObject batchingPresence(QJsonObject hello)
{
    hello.insert(QStringLiteral("batchPresence"), true);
    return hello;
}

} // namespace Chat::Requests
