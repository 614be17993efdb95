// The chat as Socket.IO events.
#include "socketioevents.h"

#include "v1codec.h"

namespace Chat::SocketIoEvents {

namespace {
QJsonObject withType(QJsonObject object, const QString &type)
{
    object.insert(QStringLiteral("type"), type);
    return object;
}

const QString &typeKey()
{
    static const QString key = QStringLiteral("type");
    return key;
}
} // namespace

QString defaultRoom()
{
    return QStringLiteral("general");
}

QJsonObject toRequest(const QJsonArray &args)
{
    const QString name = args.at(0).toString();
    const QJsonValue first = args.size() > 1 ? args.at(1) : QJsonValue(QJsonValue::Undefined);
    static const QStringList native = {
        QStringLiteral("hello"),       QStringLiteral("join"),     QStringLiteral("leave"),
        QStringLiteral("chat"),        QStringLiteral("typing"),   QStringLiteral("history"),
        QStringLiteral("rooms"),       QStringLiteral("register"), QStringLiteral("login"),
        QStringLiteral("logout"),      QStringLiteral("devices"),  QStringLiteral("revoke"),
        QStringLiteral("create-room"), QStringLiteral("invite"),   QStringLiteral("topic"),
        QStringLiteral("open-dm"),     QStringLiteral("kick"),     QStringLiteral("mute"),
        QStringLiteral("unmute"),      QStringLiteral("ban"),      QStringLiteral("unban"),
        QStringLiteral("delete"),      QStringLiteral("set-role"), QStringLiteral("audit"),
    };
    if (native.contains(name)) {
        if (name == QLatin1String("chat") && first.isString())
            return {{typeKey(), name}, {QStringLiteral("text"), first}};
        if (name == QLatin1String("join") && first.isString())
            return {{typeKey(), name}, {QStringLiteral("room"), first}};
        // A value of the wrong kind becomes a field of the wrong kind: bad-field.
        return first.isObject() ? withType(first.toObject(), name)
                                : QJsonObject {{typeKey(), name}};
    }
    const QString chat = QStringLiteral("chat");
    const QString text = QStringLiteral("text");
    const QString room = QStringLiteral("room");
    if (name == QLatin1String("join_kampung"))
        return {{typeKey(), QStringLiteral("hello")}, {QStringLiteral("username"), first}};
    if (name == QLatin1String("kampung_chat") || name == QLatin1String("chat message"))
        return {{typeKey(), chat}, {room, defaultRoom()}, {text, first}};
    if (name == QLatin1String("message"))
        return {{typeKey(), chat},
                {room, defaultRoom()},
                {text, first.isObject() ? first.toObject().value(text) : first}};
    if (name == QLatin1String("join-room"))
        return {{typeKey(), QStringLiteral("join")}, {room, first}};
    if (name == QLatin1String("room-message")) {
        // The document's io.to(data.room): a room must be named (an empty one is refused).
        const QJsonObject data = first.toObject();
        return {{typeKey(), chat},
                {room, data.contains(room) ? data.value(room) : QJsonValue(QString())},
                {text, data.value(text)}};
    }
    return {{typeKey(), name}};
}

bool isPost(const QJsonObject &request)
{
    return request.value(typeKey()).toString() == QLatin1String("chat");
}

QList<Emit> toEvents(const ServerEvent &event, bool documents)
{
    QJsonObject fields = V1Codec::toJson(event);
    const QString type = fields.take(typeKey()).toString();
    QList<Emit> out;
    if (!documents) {
        out.append(Emit {type, QJsonValue(fields)});
        return out;
    }
    if (const auto *message = std::get_if<ChatMessage>(&event)) {
        out.append(Emit {type, QJsonValue(fields)});
        out.append(Emit {QStringLiteral("kampung_chat"),
                         QJsonObject {{QStringLiteral("user"), message->username},
                                      {QStringLiteral("msg"), message->text}}});
        out.append(Emit {QStringLiteral("chat message"),
                         QString(message->username + QStringLiteral(": ") + message->text)});
        const QJsonObject fromText {{QStringLiteral("from"), message->username},
                                    {QStringLiteral("text"), message->text},
                                    {QStringLiteral("room"), message->room}};
        out.append(Emit {QStringLiteral("broadcast"), fromText});
        out.append(Emit {QStringLiteral("new-message"), fromText});
        return out;
    }
    if (const auto *member = std::get_if<Event::Member>(&event)) {
        // The documents' user-joined carries {userId}; the v1 one its fields: both.
        if (member->joined)
            fields.insert(QStringLiteral("userId"), member->username);
        out.append(Emit {type, QJsonValue(fields)});
        out.append(Emit {QStringLiteral("kampung_news"),
                         member->joined
                             ? QStringLiteral("%1 joined the kampung!").arg(member->username)
                             : QStringLiteral("%1 left the kampung.").arg(member->username)});
        out.append(Emit {QStringLiteral("notification"),
                         member->joined
                             ? QStringLiteral("%1 has joined the chat!").arg(member->username)
                             : QStringLiteral("%1 has left the chat.").arg(member->username)});
        return out;
    }
    out.append(Emit {type, QJsonValue(fields)});
    return out;
}

} // namespace Chat::SocketIoEvents
