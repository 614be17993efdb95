// Wire protocol v1: message types, error codes, and the JSON codec for what a
// client sends (decoded and validated here, once, for every field) and what the
// server sends back. See docs/protocol.md.
#pragma once

#include "protocollimits.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace Chat {

inline constexpr int ProtocolVersion = 1;

enum class ErrorCode {
    InvalidJson,
    UnknownType,
    BadField,
    NotIdentified,
    AlreadyIdentified,
    NameTaken,
    BadUsername,
    BadRoom,
    NotInRoom,
    TooLong,
    RateLimited,
    Unauthorized,
    ServerBusy,
    BinaryUnsupported,
    StoreFailed,
    TooManyRooms,
    // Accounts (--auth accounts): docs/protocol.md, "Accounts".
    AccountRequired, // the name is registered: sign in
    BadCredentials, // no such account, or the wrong password (never says which)
    Throttled, // too many failed sign-ins for this account or address; try later
    BadAccountToken, // unknown, expired or revoked
    AccountDisabled,
    RegistrationClosed,
    BadInvite,
    WeakPassword,
    NotSignedIn, // an account request on a connection that is not signed in
    AccountsOff, // an account request on an open server
    SignedInElsewhere, // on a cluster: the account is online on another server
    Banned, // the account is banned until a time the message says
    Forbidden, // the request needs a role (or room ownership) this user lacks
    Muted, // a moderator muted the user in this room, until a time the message says
    NotSupported, // not on this server (private rooms on a cluster)
    NoSuchUser, // no account has that name
    NoSuchMessage,
    BadJwt, // a JSON Web Token that does not verify (the message says why)
};

// The stable token sent as `error.code`, e.g. "name-taken".
QString errorCodeName(ErrorCode code);

struct ProtocolError
{
    ErrorCode code = ErrorCode::BadField;
    QString message; // a sentence for people
    QString ref; // the request's clientId, when it had one

    QJsonObject toJson() const;
};

// UTC ISO 8601 with milliseconds: 2026-11-21T23:39:24.762Z
QString formatTimestamp(qint64 msecsSinceEpoch);
std::optional<qint64> parseTimestamp(const QString &iso);

// One stored chat message, as broadcast in `message` and listed in history.
struct ChatMessage
{
    QString room;
    qint64 id = 0;
    QString username;
    QString text;
    qint64 timestampMs = 0;
    QString clientId;

    QJsonObject toJson() const; // a complete `message` object, type included
    static std::optional<ChatMessage> fromJson(const QJsonObject &object);
    friend bool operator==(const ChatMessage &a, const ChatMessage &b)
    {
        return a.room == b.room && a.id == b.id && a.username == b.username && a.text == b.text
            && a.timestampMs == b.timestampMs && a.clientId == b.clientId;
    }
};

// --- Client to server -------------------------------------------------------

enum class RequestType {
    Hello,
    Join,
    Leave,
    Chat,
    Typing,
    History,
    Rooms,
    // Accounts (--auth accounts)
    Register,
    Login,
    Logout,
    Devices,
    Revoke,
    // Rooms with settings, direct messages, moderation (--auth accounts)
    CreateRoom,
    Invite,
    Topic,
    OpenDm,
    Kick,
    Mute,
    Unmute,
    Ban,
    Unban,
    DeleteMessage,
    SetRole,
    Audit,
};

struct Request
{
    RequestType type = RequestType::Hello;
    QString username; // hello; join (documents' client); trimmed
    QString token; // hello
    QString resume; // hello
    QString client; // hello
    QString room; // join, leave, history; chat and typing when given
    QString text; // chat
    QString clientId; // chat
    std::optional<qint64> since; // join
    std::optional<qint64> before; // history
    int limit = 0; // history; 0 = server default
    bool active = true; // typing
    bool guest = false; // join without a username: the server picks a guest name
    QString password; // register, login: never logged, never echoed
    QString invite; // register
    QString device; // register, login: a label for the devices list
    QString accountToken; // hello: the token a sign-in gave
    QString jwt; // hello: a JSON Web Token from the organisation's single sign-on
    bool cookie = false; // hello: sign in with the browser's sign-in cookie
    bool batchPresence = false; // hello: presence frames instead of user-joined/user-left
    QString deviceId; // revoke: one device of the devices list
    bool all = false; // revoke: every device, this one included
    QStringList usernames; // open-dm: the other people (1-7)
    QString topic; // create-room, topic
    QString reason; // kick, mute, ban
    QString role; // set-role: member, moderator or admin
    bool isPrivate = false; // create-room
    std::optional<qint64> minutes; // mute, ban: how long
    std::optional<qint64> messageId; // delete
};

using DecodeResult = std::variant<Request, ProtocolError>;

// Decodes and validates one text message. Never throws, never crashes on any input.
DecodeResult decodeRequest(const QByteArray &utf8, const ProtocolLimits &limits);

// --- Server to client -------------------------------------------------------

namespace Reply {
// auth: "none", or "token" when hello must carry the server's password.
QJsonObject welcome(const QString &serverName, const ProtocolLimits &limits,
                    const QString &auth = QStringLiteral("none"), const QJsonObject &accounts = {});
// rooms: a signed-in account's rooms, for another of its devices to join (else empty, left out).
QJsonObject identified(const QString &username, const QString &session,
                       const QStringList &rooms = {});
QJsonObject joined(const QString &room, const QStringList &users, const QList<ChatMessage> &history,
                   bool more, bool reset);
QJsonObject userJoined(const QString &room, const QString &username, int usersInRoom);
QJsonObject userLeft(const QString &room, const QString &username, int usersInRoom);
QJsonObject presence(const QString &room, const QStringList &joined, const QStringList &left,
                     int usersInRoom);
QJsonObject userTyping(const QString &room, const QString &username, bool active);
QJsonObject history(const QString &room, const QList<ChatMessage> &messages, bool more);
struct RoomInfo
{
    QString name;
    int usersInRoom = 0;
    // Accounts servers: set ones are sent (an open server's list is as it was).
    QString topic;
    bool isPrivate = false;
    QStringList with; // a direct message: the people in it
};
QJsonObject rooms(const QList<RoomInfo> &rooms);
} // namespace Reply

QJsonArray toJsonArray(const QList<ChatMessage> &messages);

// Compact UTF-8 JSON of one frame.
QByteArray encode(const QJsonObject &object);
// `strings` as a JSON array, the bytes QJsonDocument would write, without
// building a QJsonArray (a joined reply's users: thousands of names).
QByteArray encodeStringArray(const QStringList &strings);

} // namespace Chat
