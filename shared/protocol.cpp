// Wire protocol v1: the message types, and the compact JSON of a frame.
#include "protocol.h"

#include "jsoninteger.h"
#include "validation.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace Chat {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidJson:
        return QStringLiteral("invalid-json");
    case ErrorCode::UnknownType:
        return QStringLiteral("unknown-type");
    case ErrorCode::BadField:
        return QStringLiteral("bad-field");
    case ErrorCode::NotIdentified:
        return QStringLiteral("not-identified");
    case ErrorCode::AlreadyIdentified:
        return QStringLiteral("already-identified");
    case ErrorCode::NameTaken:
        return QStringLiteral("name-taken");
    case ErrorCode::BadUsername:
        return QStringLiteral("bad-username");
    case ErrorCode::BadRoom:
        return QStringLiteral("bad-room");
    case ErrorCode::NotInRoom:
        return QStringLiteral("not-in-room");
    case ErrorCode::TooLong:
        return QStringLiteral("too-long");
    case ErrorCode::RateLimited:
        return QStringLiteral("rate-limited");
    case ErrorCode::Unauthorized:
        return QStringLiteral("unauthorized");
    case ErrorCode::ServerBusy:
        return QStringLiteral("server-busy");
    case ErrorCode::BinaryUnsupported:
        return QStringLiteral("binary-unsupported");
    case ErrorCode::StoreFailed:
        return QStringLiteral("store-failed");
    case ErrorCode::TooManyRooms:
        return QStringLiteral("too-many-rooms");
    case ErrorCode::AccountRequired:
        return QStringLiteral("account-required");
    case ErrorCode::BadCredentials:
        return QStringLiteral("bad-credentials");
    case ErrorCode::Throttled:
        return QStringLiteral("throttled");
    case ErrorCode::BadAccountToken:
        return QStringLiteral("bad-account-token");
    case ErrorCode::AccountDisabled:
        return QStringLiteral("account-disabled");
    case ErrorCode::RegistrationClosed:
        return QStringLiteral("registration-closed");
    case ErrorCode::BadInvite:
        return QStringLiteral("bad-invite");
    case ErrorCode::WeakPassword:
        return QStringLiteral("weak-password");
    case ErrorCode::NotSignedIn:
        return QStringLiteral("not-signed-in");
    case ErrorCode::AccountsOff:
        return QStringLiteral("accounts-off");
    case ErrorCode::SignedInElsewhere:
        return QStringLiteral("signed-in-elsewhere");
    case ErrorCode::Banned:
        return QStringLiteral("banned");
    case ErrorCode::Forbidden:
        return QStringLiteral("forbidden");
    case ErrorCode::Muted:
        return QStringLiteral("muted");
    case ErrorCode::NotSupported:
        return QStringLiteral("not-supported");
    case ErrorCode::NoSuchUser:
        return QStringLiteral("no-such-user");
    case ErrorCode::NoSuchMessage:
        return QStringLiteral("no-such-message");
    case ErrorCode::BadJwt:
        return QStringLiteral("bad-jwt");
    }
    return QStringLiteral("error");
}

QJsonObject ProtocolError::toJson() const
{
    QJsonObject o {{QStringLiteral("type"), QStringLiteral("error")},
                   {QStringLiteral("code"), errorCodeName(code)},
                   {QStringLiteral("message"), message}};
    if (!ref.isEmpty())
        o.insert(QStringLiteral("ref"), ref);
    return o;
}

QString formatTimestamp(qint64 msecsSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

std::optional<qint64> parseTimestamp(const QString &iso)
{
    const QDateTime dt = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!dt.isValid())
        return std::nullopt;
    return dt.toMSecsSinceEpoch();
}

QJsonObject ChatMessage::toJson() const
{
    QJsonObject o {{QStringLiteral("type"), QStringLiteral("message")},
                   {QStringLiteral("room"), room},
                   {QStringLiteral("id"), id},
                   {QStringLiteral("username"), username},
                   {QStringLiteral("text"), text},
                   {QStringLiteral("timestamp"), formatTimestamp(timestampMs)}};
    if (!clientId.isEmpty())
        o.insert(QStringLiteral("clientId"), clientId);
    return o;
}

std::optional<ChatMessage> ChatMessage::fromJson(const QJsonObject &o)
{
    ChatMessage m;
    const std::optional<qint64> id = jsonInteger(o.value(QLatin1String("id")), 1);
    const QJsonValue ts = o.value(QLatin1String("timestamp"));
    if (!id || !o.value(QLatin1String("username")).isString()
        || !o.value(QLatin1String("text")).isString() || !ts.isString())
        return std::nullopt;
    const auto when = parseTimestamp(ts.toString());
    if (!when)
        return std::nullopt;
    m.room = o.value(QLatin1String("room")).toString();
    m.id = *id;
    m.username = o.value(QLatin1String("username")).toString();
    m.text = o.value(QLatin1String("text")).toString();
    m.timestampMs = *when;
    m.clientId = o.value(QLatin1String("clientId")).toString();
    return m;
}

QJsonArray toJsonArray(const QList<ChatMessage> &messages)
{
    QJsonArray array;
    for (const ChatMessage &m : messages) {
        QJsonObject o = m.toJson();
        o.remove(QStringLiteral("type"));
        array.append(o);
    }
    return array;
}

QByteArray encode(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray encodeStringArray(const QStringList &strings)
{
    static constexpr char hex[] = "0123456789abcdef";
    QByteArray out;
    out.reserve(2 + strings.size() * 12);
    out.append('[');
    for (const QString &s : strings) {
        if (out.size() > 1)
            out.append(',');
        out.append('"');
        const QByteArray utf8 = s.toUtf8();
        for (const char c : utf8) {
            const auto u = static_cast<unsigned char>(c);
            if (c == '"' || c == '\\') {
                out.append('\\');
                out.append(c);
            } else if (u < 0x20) {
                // As QJsonDocument writes them: the short forms, else \u00XX.
                static constexpr char shortForms[] = "btn\0fr";
                if (u >= 0x08 && u <= 0x0d && u != 0x0b) {
                    out.append('\\');
                    out.append(shortForms[u - 0x08]);
                } else {
                    out.append("\\u00", 4);
                    out.append(hex[u >> 4]);
                    out.append(hex[u & 0xf]);
                }
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
    out.append(']');
    return out;
}

} // namespace Chat
