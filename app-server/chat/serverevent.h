// What the server tells a client, as data: no wire format. A WireCodec
// (wirecodec.h) turns one into the bytes of its protocol. The message types are
// shared with the clients' decoder (shared/servermessages.h); errors are the
// server's ProtocolError.
#pragma once

#include "protocol.h"
#include "servermessages.h"

#include <variant>

namespace Chat {

namespace Event {
using Welcome = ServerMessage::Welcome;
using Identified = ServerMessage::Identified;
using Joined = ServerMessage::Joined;
using Member = ServerMessage::Member; // joined or left
using Presence = ServerMessage::Presence; // joins and leaves of one pass (room.h)
using Typing = ServerMessage::Typing;
using History = ServerMessage::History;
using RoomList = ServerMessage::Rooms;
// The answers to account requests (signed-in, signed-out, devices, revoked):
// the v1 object, `type` included; `answers` is the request type it answers.
struct AccountReply
{
    QString answers;
    QJsonObject body;
};
} // namespace Event

using ServerEvent = std::variant<Event::Welcome, Event::Identified, Event::Joined, ChatMessage,
                                 Event::Member, Event::Presence, Event::Typing, Event::History,
                                 Event::RoomList, Event::AccountReply, ProtocolError>;

} // namespace Chat
