// The chat as Socket.IO events, both ways, as data (no sockets): what a
// client's EVENT asks for, as a v1 request object that the v1 decoder then
// validates like any other; and the events a server event becomes.
//
// Client events: every v1 request type under its own name with its fields
// (socket.emit('chat', {room, text, clientId}, ack)), and the documents' events
// as their servers handle them: join_kampung (name), kampung_chat (text),
// "chat message" (text), message (text, or {text}), join-room (room),
// room-message ({room, text}). The documents' events that their servers send to
// everyone go to the default room.
#pragma once

#include "serverevent.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>

namespace Chat::SocketIoEvents {

// The room the documents' everyone-events go to.
QString defaultRoom();

// An EVENT's arguments (name first) as a v1 request object, "type" included;
// an unknown name keeps its name as the type (the decoder says unknown-type).
QJsonObject toRequest(const QJsonArray &args);
// Whether a v1 request type posts a message (its reply comes after the commit).
bool isPost(const QJsonObject &request);

struct Emit
{
    QString name;
    QJsonValue payload;
};
// The events a server event becomes: its v1 type as the name and its fields as
// the payload; with `documents`, also the events the documents' pages listen to.
QList<Emit> toEvents(const ServerEvent &event, bool documents);

} // namespace Chat::SocketIoEvents
