// What the server tells a client, as data. The server's chat core sends these
// (app-server/chat/serverevent.h) and each protocol encodes them; a v1 client
// decodes them here, checked once: every field of the right type, every number
// a range-checked integer. A frame that is not one of these is dropped
// (Ignored), never half-used.
#pragma once

#include "protocol.h"

#include <variant>

namespace Chat::ServerMessage {

struct Ignored // not JSON, an unknown type, or a field of the wrong kind
{
};
struct Welcome
{
    ProtocolLimits limits;
    QString auth; // "none", or "token" when hello must carry the server's password
    QString server; // the server's name
    // --auth accounts: {registration: "open"|"invite"|"admin", guests: bool};
    // empty on an open server.
    QJsonObject accounts;
};
struct Identified
{
    QString username;
    QString session;
    QStringList rooms; // a signed-in account's rooms (another device joined them)
};
struct Joined
{
    QString room;
    QStringList users;
    QList<ChatMessage> history;
    bool more = false;
    bool reset = false;
};
struct Member // user-joined, user-left
{
    bool joined = true;
    QString room;
    QString username;
    int usersInRoom = 0;
};
// Several joins and leaves in one room at once (a client that said
// `batchPresence` in hello gets these instead of user-joined and user-left).
struct Presence
{
    QString room;
    QStringList joined; // in the room now, and not before
    QStringList left; // gone, who were there before
    int usersInRoom = 0; // after all of them
};
struct Typing
{
    QString room;
    QString username;
    bool active = true;
};
struct History
{
    QString room;
    QList<ChatMessage> messages;
    bool more = false;
};
struct Rooms
{
    QList<Reply::RoomInfo> rooms;
};
struct SignedIn // an accounts server: signed in; `token` only for a new sign-in
{
    QString username;
    QString role;
    QString device;
    QString token;
};
// Accounts servers' room, direct message and moderation events: done, invited,
// topic, message-deleted, kicked, muted, unmuted, banned, devices, revoked. The
// fields as sent, `type` removed; `room`, when there, is a string.
struct AccountEvent
{
    QString type;
    QJsonObject fields;
};
struct Error
{
    QString code;
    QString message;
    QString ref;
};

using Event = std::variant<Ignored, Welcome, Identified, Joined, ChatMessage, Member, Presence,
                           Typing, History, Rooms, SignedIn, AccountEvent, Error>;

Event decode(const QByteArray &utf8);

} // namespace Chat::ServerMessage
