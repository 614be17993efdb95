// What the server tells a client, as data: no wire format. A WireCodec
// (wirecodec.h) turns one into the bytes of its protocol.
#pragma once

#include "protocol.h"
#include "protocollimits.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <variant>

namespace Chat::Event {

struct Welcome
{
    QString serverName;
    ProtocolLimits limits;
    bool needsToken = false;
};
struct Identified
{
    QString username;
    QString session; // the resume token
};
struct Joined
{
    QString room;
    QStringList users;
    QList<ChatMessage> history;
    bool more = false;
    bool reset = false;
};
struct MemberJoined
{
    QString room;
    QString username;
    int usersInRoom = 0;
};
struct MemberLeft
{
    QString room;
    QString username;
    int usersInRoom = 0;
};
struct Typing
{
    QString room;
    QString username;
    bool active = false;
};
struct Posted
{
    ChatMessage message;
};
struct History
{
    QString room;
    QList<ChatMessage> messages;
    bool more = false;
};
struct RoomList
{
    QList<Reply::RoomInfo> rooms;
};

} // namespace Chat::Event

namespace Chat {

using ServerEvent = std::variant<Event::Welcome, Event::Identified, Event::Joined,
                                 Event::MemberJoined, Event::MemberLeft, Event::Typing,
                                 Event::Posted, Event::History, Event::RoomList, ProtocolError>;

} // namespace Chat
