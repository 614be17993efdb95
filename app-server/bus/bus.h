// The seam between commit and delivery (../shared/DESIGN.md, "the Bus"): a post
// committed by the store is published on the bus, and every server's rooms
// deliver what the bus brings, their own posts included. The in-process bus
// (inprocessbus.h) is the default; a bus between servers plugs in here.
#pragma once

#include "protocol.h"

#include <QJsonObject>
#include <QObject>

namespace Chat {

class Bus : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~Bus() override = default;
    Q_DISABLE_COPY_MOVE(Bus)

    // A committed message, for every server.
    virtual void publish(const ChatMessage &message) = 0;
    // A member here started or stopped typing: for the other servers (no store,
    // no order; lost when the bus is away, as typing may be).
    virtual void publishTyping(const QString &room, const QString &username, bool active)
    {
        Q_UNUSED(room)
        Q_UNUSED(username)
        Q_UNUSED(active)
    }

    // This server's members, for the other servers (ClusterPresence): the bus
    // adds this server's id.
    virtual void publishPresence(const QJsonObject &state) { Q_UNUSED(state) }

signals:
    // A committed message, from any server (this one included), in commit order per room.
    void delivered(const Chat::ChatMessage &message);
    // Someone on another server started or stopped typing.
    void typingHeard(const QString &room, const QString &username, bool active);
    // Another server's members (`node`: its id).
    void presenceHeard(const QString &node, const QJsonObject &state);
};

} // namespace Chat
