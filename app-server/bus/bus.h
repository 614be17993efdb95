// The seam between commit and delivery (../shared/DESIGN.md, "the Bus"): a post
// committed by the store is published on the bus, and every server's rooms
// deliver what the bus brings, their own posts included. The in-process bus
// (inprocessbus.h) is the default; a bus between servers plugs in here.
#pragma once

#include "protocol.h"

#include <QJsonObject>
#include <QObject>

#include <functional>

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
    // Accounts servers: a change to rooms and moderation, or a notice for a
    // user or a room whose connections may be on other servers (Session::
    // tellUser, tellRoom). For the other servers only (no store, no order
    // across publishers; lost while the bus is away).
    virtual void publishAccounts(const QJsonObject &notice) { Q_UNUSED(notice) }

    // Names across servers (--bus redis://). A name is held by one server at a
    // time; the local IdentityRegistry decides among this server's own clients.
    // `entry` is what a resume elsewhere checks: the SHA-256 of the resume token,
    // the name as typed and the identity's epoch (IdentityRegistry::nameEntry).
    struct NameAnswer
    {
        enum class Result { Granted, Taken, Unavailable };
        Result result = Result::Unavailable;
        QString node; // a take-over: the server that held it
        QString entry; // ... and its entry
    };
    using NameCallback = std::function<void(const NameAnswer &)>;
    // False for the in-process bus: this server's registry alone decides.
    virtual bool sharesNames() const { return false; }
    // Answers later (never from within the call): Granted unless another live
    // server holds the name; Unavailable while the bus is away.
    virtual void reserveName(const QString &key, const QString &entry, NameCallback done)
    {
        Q_UNUSED(key)
        Q_UNUSED(entry)
        done({NameAnswer::Result::Granted, {}, {}});
    }
    // A resume of a name another server holds: Granted (with that server and
    // its entry) when `tokenHash` matches its entry; the name is then ours, its
    // entry the same but for the epoch.
    virtual void takeOverName(const QString &key, const QString &tokenHash, const QString &epoch,
                              NameCallback done)
    {
        Q_UNUSED(key)
        Q_UNUSED(tokenHash)
        Q_UNUSED(epoch)
        done({NameAnswer::Result::Taken, {}, {}});
    }
    virtual void releaseName(const QString &key) { Q_UNUSED(key) }
    // Called when the bus (re)connects: this server's names and entries, to be
    // held again (Redis may have restarted, or forgotten us while away).
    using LocalNames = std::function<QList<std::pair<QString, QString>>()>;
    virtual void setLocalNames(LocalNames names) { Q_UNUSED(names) }

signals:
    // A committed message, from any server (this one included), in commit order per room.
    void delivered(const Chat::ChatMessage &message);
    // Someone on another server started or stopped typing.
    void typingHeard(const QString &room, const QString &username, bool active);
    // Another server's members (`node`: its id).
    void presenceHeard(const QString &node, const QJsonObject &state);
    // Another server's publishAccounts().
    void accountsHeard(const QJsonObject &notice);
    // Names this server held that another server took while the bus was away.
    void namesLost(const QStringList &keys);
};

} // namespace Chat
