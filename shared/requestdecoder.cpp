// Wire protocol v1: decoding and validating what a client sends (decodeRequest).
#include "protocol.h"

#include "jsoninteger.h"
#include "validation.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace Chat {
namespace {

ProtocolError fail(ErrorCode code, const QString &message, const QString &ref = {})
{
    return ProtocolError {code, message, ref};
}

class Decoder
{
public:
    Decoder(const QJsonObject &object, const ProtocolLimits &limits, const QString &ref)
        : m_object(object), m_limits(limits), m_ref(ref)
    { }

    // A string field; absent is fine unless required. Wrong type is an error.
    bool string(const char *key, QString &out, bool required)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (v.isUndefined() || (v.isNull() && !required)) {
            if (required)
                setError(ErrorCode::BadField,
                         QStringLiteral("The field \"%1\" is required.").arg(QLatin1String(key)));
            return !required;
        }
        if (!v.isString()) {
            setError(ErrorCode::BadField,
                     QStringLiteral("The field \"%1\" must be a string.").arg(QLatin1String(key)));
            return false;
        }
        out = v.toString();
        return true;
    }

    bool boundedString(const char *key, QString &out, int maxLength)
    {
        if (!string(key, out, false))
            return false;
        if (out.size() > maxLength) {
            setError(ErrorCode::TooLong,
                     QStringLiteral("The field \"%1\" can be at most %2 characters long.")
                         .arg(QLatin1String(key))
                         .arg(maxLength));
            return false;
        }
        return true;
    }

    // A non-negative integer field (JSON number without a fraction).
    bool integer(const char *key, std::optional<qint64> &out, qint64 minimum)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return true;
        const std::optional<qint64> n = jsonInteger(v, minimum);
        if (!n) {
            setError(ErrorCode::BadField,
                     QStringLiteral("The field \"%1\" must be an integer of at least %2.")
                         .arg(QLatin1String(key))
                         .arg(minimum));
            return false;
        }
        out = n;
        return true;
    }

    bool boolean(const char *key, bool &out)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isBool()) {
            setError(
                ErrorCode::BadField,
                QStringLiteral("The field \"%1\" must be true or false.").arg(QLatin1String(key)));
            return false;
        }
        out = v.toBool();
        return true;
    }

    bool room(QString &out, bool required)
    {
        if (!string("room", out, required))
            return false;
        if (out.isNull() && !required)
            return true;
        if (const QString problem = Validation::roomProblem(out, m_limits); !problem.isEmpty()) {
            setError(ErrorCode::BadRoom, problem);
            return false;
        }
        return true;
    }

    bool username(QString &out, bool required)
    {
        if (!string("username", out, required))
            return false;
        if (out.isNull() && !required)
            return true;
        if (const QString problem = Validation::usernameProblem(out, m_limits);
            !problem.isEmpty()) {
            setError(ErrorCode::BadUsername, problem);
            return false;
        }
        out = out.trimmed();
        return true;
    }

    bool text(QString &out)
    {
        if (!string("text", out, true))
            return false;
        if (out.size() > m_limits.maxTextLength) {
            setError(ErrorCode::TooLong, Validation::textProblem(out, m_limits));
            return false;
        }
        if (const QString problem = Validation::textProblem(out, m_limits); !problem.isEmpty()) {
            setError(ErrorCode::BadField, problem);
            return false;
        }
        return true;
    }

    bool clientId(QString &out)
    {
        if (!boundedString("clientId", out, m_limits.maxClientIdLength))
            return false;
        if (out.isNull())
            return true;
        bool bad = out.isEmpty();
        for (const QChar c : out)
            bad = bad || c.isSpace() || Validation::isForbiddenInName(c) || c.isSurrogate();
        if (bad) {
            setError(ErrorCode::BadField,
                     QStringLiteral("The field \"clientId\" must be 1-%1 visible characters.")
                         .arg(m_limits.maxClientIdLength));
            return false;
        }
        return true;
    }

    // A password: 1-256 characters, any of them (it is only ever hashed).
    bool password(QString &out)
    {
        if (!string("password", out, true))
            return false;
        if (out.isEmpty() || out.size() > 256) {
            setError(ErrorCode::BadField, QStringLiteral("A password has 1-256 characters."));
            return false;
        }
        return true;
    }

    void refuse(ErrorCode code, const QString &message) { setError(code, message); }

    // An array of 1-`max` valid usernames, each once (ignoring case).
    bool usernames(QStringList &out, int max)
    {
        const QJsonValue v = m_object.value(QLatin1String("usernames"));
        if (!v.isArray() || v.toArray().isEmpty() || v.toArray().size() > max) {
            setError(ErrorCode::BadField,
                     QStringLiteral("\"usernames\" must be a list of 1 to %1 names.").arg(max));
            return false;
        }
        QStringList keys;
        for (const QJsonValue &name : v.toArray()) {
            if (!name.isString()) {
                setError(ErrorCode::BadField, QStringLiteral("\"usernames\" holds names only."));
                return false;
            }
            const QString given = name.toString();
            if (const QString problem = Validation::usernameProblem(given, m_limits);
                !problem.isEmpty()) {
                setError(ErrorCode::BadUsername, problem);
                return false;
            }
            const QString key = Validation::usernameKey(given);
            if (keys.contains(key)) {
                setError(ErrorCode::BadField, QStringLiteral("A name is in \"usernames\" twice."));
                return false;
            }
            keys.append(key);
            out.append(given.trimmed());
        }
        return true;
    }

    ProtocolError error() const { return m_error; }

private:
    void setError(ErrorCode code, const QString &message) { m_error = fail(code, message, m_ref); }

    const QJsonObject &m_object;
    const ProtocolLimits &m_limits;
    QString m_ref;
    ProtocolError m_error;
};

std::optional<RequestType> requestType(const QString &type)
{
    static const QHash<QString, RequestType> types = {
        {QStringLiteral("hello"), RequestType::Hello},
        {QStringLiteral("join"), RequestType::Join},
        {QStringLiteral("leave"), RequestType::Leave},
        {QStringLiteral("chat"), RequestType::Chat},
        {QStringLiteral("typing"), RequestType::Typing},
        {QStringLiteral("history"), RequestType::History},
        {QStringLiteral("rooms"), RequestType::Rooms},
        {QStringLiteral("register"), RequestType::Register},
        {QStringLiteral("login"), RequestType::Login},
        {QStringLiteral("logout"), RequestType::Logout},
        {QStringLiteral("devices"), RequestType::Devices},
        {QStringLiteral("revoke"), RequestType::Revoke},
        {QStringLiteral("create-room"), RequestType::CreateRoom},
        {QStringLiteral("invite"), RequestType::Invite},
        {QStringLiteral("topic"), RequestType::Topic},
        {QStringLiteral("open-dm"), RequestType::OpenDm},
        {QStringLiteral("kick"), RequestType::Kick},
        {QStringLiteral("mute"), RequestType::Mute},
        {QStringLiteral("unmute"), RequestType::Unmute},
        {QStringLiteral("ban"), RequestType::Ban},
        {QStringLiteral("unban"), RequestType::Unban},
        {QStringLiteral("delete"), RequestType::DeleteMessage},
        {QStringLiteral("set-role"), RequestType::SetRole},
        {QStringLiteral("audit"), RequestType::Audit},
    };
    const auto it = types.constFind(type);
    if (it == types.constEnd())
        return std::nullopt;
    return *it;
}

} // namespace

DecodeResult decodeRequest(const QByteArray &utf8, const ProtocolLimits &limits)
{
    if (utf8.size() > limits.maxMessageBytes)
        return fail(
            ErrorCode::TooLong,
            QStringLiteral("A message can be at most %1 bytes.").arg(limits.maxMessageBytes));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(ErrorCode::InvalidJson,
                    QStringLiteral("The message is not valid JSON (%1 at offset %2).")
                        .arg(parseError.errorString())
                        .arg(parseError.offset));
    if (!doc.isObject())
        return fail(ErrorCode::InvalidJson, QStringLiteral("A message must be a JSON object."));
    const QJsonObject object = doc.object();

    // Errors about a chat carry its clientId, so the sender knows which one failed.
    QString ref;
    if (const QJsonValue id = object.value(QLatin1String("clientId"));
        id.isString() && id.toString().size() <= limits.maxClientIdLength)
        ref = id.toString();

    const QJsonValue typeValue = object.value(QLatin1String("type"));
    if (!typeValue.isString())
        return fail(ErrorCode::BadField, QStringLiteral("A message needs a string field \"type\"."),
                    ref);
    const auto type = requestType(typeValue.toString());
    if (!type)
        return fail(
            ErrorCode::UnknownType,
            QStringLiteral("Unknown message type \"%1\".").arg(typeValue.toString().left(32)), ref);

    Request r;
    r.type = *type;
    Decoder d(object, limits, ref);
    bool ok = true;
    switch (r.type) {
    case RequestType::Hello:
        // With an account token the token names the user; a username is optional.
        ok = d.boundedString("accountToken", r.accountToken, 128)
            && d.boundedString("jwt", r.jwt, 8192) && d.boolean("cookie", r.cookie)
            && d.username(r.username, r.accountToken.isEmpty() && r.jwt.isEmpty() && !r.cookie)
            && d.boundedString("token", r.token, limits.maxTokenLength)
            && d.boundedString("resume", r.resume, 128) && d.boundedString("client", r.client, 128)
            && d.boolean("batchPresence", r.batchPresence);
        break;
    case RequestType::Join:
        ok = d.room(r.room, true) && d.username(r.username, false) && d.integer("since", r.since, 0)
            && d.boolean("guest", r.guest);
        break;
    case RequestType::Leave:
        ok = d.room(r.room, true);
        break;
    case RequestType::Chat:
        ok = d.text(r.text) && d.room(r.room, false) && d.clientId(r.clientId);
        break;
    case RequestType::Typing:
        ok = d.room(r.room, false) && d.boolean("active", r.active);
        break;
    case RequestType::History: {
        std::optional<qint64> limit;
        ok = d.room(r.room, true) && d.integer("before", r.before, 1)
            && d.integer("limit", limit, 1);
        if (ok && limit)
            r.limit = int(std::min<qint64>(*limit, limits.historyPageMax));
        break;
    }
    case RequestType::Rooms:
        break;
    case RequestType::Register:
    case RequestType::Login:
        ok = d.username(r.username, true) && d.password(r.password)
            && d.boundedString("device", r.device, 64) && d.boundedString("invite", r.invite, 128)
            && d.boundedString("token", r.token, limits.maxTokenLength);
        break;
    case RequestType::Logout:
    case RequestType::Devices:
        break;
    case RequestType::CreateRoom:
        ok = d.room(r.room, true) && d.boolean("private", r.isPrivate)
            && d.boundedString("topic", r.topic, 256);
        break;
    case RequestType::Invite:
    case RequestType::Unmute:
        ok = d.room(r.room, true) && d.username(r.username, true);
        break;
    case RequestType::Topic:
        ok = d.room(r.room, true) && d.boundedString("topic", r.topic, 256);
        if (ok && r.topic.isNull())
            r.topic = QStringLiteral(""); // absent: cleared
        break;
    case RequestType::OpenDm:
        ok = d.usernames(r.usernames, 7);
        break;
    case RequestType::Kick:
        ok = d.room(r.room, true) && d.username(r.username, true)
            && d.boundedString("reason", r.reason, 200);
        break;
    case RequestType::Mute:
        ok = d.room(r.room, true) && d.username(r.username, true)
            && d.integer("minutes", r.minutes, 1) && d.boundedString("reason", r.reason, 200);
        if (ok && (!r.minutes || *r.minutes > 7 * 24 * 60)) {
            d.refuse(ErrorCode::BadField,
                     QStringLiteral("\"minutes\" is required: 1 to 10080 (a week)."));
            ok = false;
        }
        break;
    case RequestType::Ban:
        ok = d.username(r.username, true) && d.integer("minutes", r.minutes, 1)
            && d.boundedString("reason", r.reason, 200);
        if (ok && (!r.minutes || *r.minutes > 366LL * 24 * 60)) {
            d.refuse(ErrorCode::BadField,
                     QStringLiteral("\"minutes\" is required: 1 to 527040 (a year)."));
            ok = false;
        }
        break;
    case RequestType::Unban:
        ok = d.username(r.username, true);
        break;
    case RequestType::DeleteMessage:
        ok = d.room(r.room, true) && d.integer("id", r.messageId, 1);
        if (ok && !r.messageId) {
            d.refuse(ErrorCode::BadField, QStringLiteral("The field \"id\" is required."));
            ok = false;
        }
        break;
    case RequestType::SetRole:
        ok = d.username(r.username, true) && d.boundedString("role", r.role, 16);
        if (ok && r.role != QLatin1String("member") && r.role != QLatin1String("moderator")
            && r.role != QLatin1String("admin")) {
            d.refuse(ErrorCode::BadField,
                     QStringLiteral("\"role\" is member, moderator or admin."));
            ok = false;
        }
        break;
    case RequestType::Audit: {
        std::optional<qint64> limit;
        ok = d.integer("limit", limit, 1);
        r.limit = int(std::min<qint64>(limit.value_or(100), 500));
        break;
    }
    case RequestType::Revoke:
        ok = d.boundedString("device", r.deviceId, 64) && d.boolean("all", r.all);
        if (ok && r.deviceId.isEmpty() && !r.all) {
            d.refuse(
                ErrorCode::BadField,
                QStringLiteral("Say which device to sign out (\"device\"), or \"all\": true."));
            ok = false;
        }
        break;
    }
    if (!ok)
        return d.error();
    return r;
}

} // namespace Chat
