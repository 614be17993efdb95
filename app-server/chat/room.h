// One chat room: who is in it, and a signal for everything that happens in it.
// Each event is emitted twice: as what happened (memberJoined, ...) for whoever
// needs to know, and as a Broadcast to the room's subscribers (the members'
// sessions), which take the bytes of their own protocol from it, encoded once
// per protocol. Subscribers are a list of the room's, not signal connections:
// a member costs 24 bytes here instead of a 160-byte connection, and a
// delivery is a call. broadcast() is the same for other observers.
//
// Presence: a subscriber that batches presence (our clients) gets the joins and
// leaves of one event-loop pass as one Event::Presence, so a room of N filling
// costs N frames per pass instead of one per join for each of the N. The
// others (the documents' clients) get each join and leave at once, as today.
#pragma once

#include "broadcast.h"

#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>

#include <vector>

namespace Chat {

// Told of every event in a room it subscribed to (a member's session).
class RoomSubscriber
{
public:
    // `skipUsername` (typing): a subscriber of that user ignores it. `event`
    // lives only during the call.
    virtual void onRoomEvent(const Broadcast &event, const QString &skipUsername) = 0;
    // True: joins and leaves come as one Event::Presence per event-loop pass
    // (at the end of it, or before the next other event), not one Member each.
    virtual bool batchesPresence() const { return false; }

protected:
    ~RoomSubscriber() = default;
};

class OutputFlusher;

class Room final : public QObject
{
    Q_OBJECT
public:
    explicit Room(const QString &name, QObject *parent = nullptr);
    ~Room() override;
    Q_DISABLE_COPY_MOVE(Room)

    QString name() const { return m_name; }
    int memberCount() const { return int(m_members.size()); } // members here
    // Members here and on other servers (ClusterPresence), each name once.
    int usersInRoom() const;
    QStringList usernames() const; // here and elsewhere, sorted, ignoring case
    QStringList localUsernames() const { return m_members.values(); } // here only
    bool hasMember(const QString &username) const;
    bool hasMemberAnywhere(const QString &username) const; // here or elsewhere

    // Adds the member and emits memberJoined (the joiner included, if connected).
    // `announce` false: a user who is in the room already, on another server,
    // and moved here (a resume taken over): nobody is told of a join.
    void addMember(const QString &username, bool announce = true);
    // Removes the member and emits memberLeft to the remaining members.
    void removeMember(const QString &username);
    // The members on other servers (username key -> username), replacing the
    // last list: the members here are told who joined and left elsewhere.
    void setElsewhere(const QMap<QString, QString> &members);
    // Announces a stored message to every member.
    void publish(const ChatMessage &message);
    // Announces anything else to every member here (a topic, a deleted message).
    void announce(const ServerEvent &event);
    // Announces a typing change of a member here; sessions skip their own.
    void setTyping(const QString &username, bool active);
    // ... of someone on another server (the bus): shown, not announced again.
    void showTyping(const QString &username, bool active);

    // `subscriber` gets every event from now on, in the order of subscription,
    // once however often it subscribes. `owner` is the QObject it is part of:
    // once `owner` is destroyed the subscription is dropped by itself.
    // Subscribing and unsubscribing during a delivery are safe.
    void subscribe(QObject *owner, RoomSubscriber *subscriber);
    // Where the end of the event-loop pass is (presence batches go out there);
    // without one, each batch is a single join or leave, sent at once.
    void setFlusher(OutputFlusher *flusher) { m_flusher = flusher; }
    // Sends the presence batch gathered so far to the subscribers that batch.
    void flushPresence();
    void unsubscribe(const QObject *owner);
    bool isSubscribed(const QObject *owner) const;
    int subscriberCount() const;

signals:
    void memberJoined(const QString &username, int usersInRoom);
    void memberLeft(const QString &username, int usersInRoom);
    void messagePosted(const Chat::ChatMessage &message);
    void typingChanged(const QString &username, bool active); // members here only
    // Every event above, as the subscribers get it, after them (joins and
    // leaves one by one, never batched): `skipUsername`
    // (typing) is for them to skip. Emitted directly: `event` lives only
    // during the emission.
    void broadcast(const Chat::Broadcast &event, const QString &skipUsername);
    void becameEmpty();

private:
    void deliver(const Broadcast &event, const QString &skipUsername = {});
    enum class To { Everyone, NotBatching, Batching };
    // Returns how many subscribers were skipped.
    int deliverTo(To who, const Broadcast &event, const QString &skipUsername);
    void notePresence(const Event::Member &member);

    // A join or leave not yet sent to the subscribers that batch, by username
    // key: the first event says whether they knew the user as here.
    struct PendingPresence
    {
        QString username;
        bool wasHere = false;
        bool isHere = false;
    };
    QMap<QString, PendingPresence> m_pending;
    OutputFlusher *m_flusher = nullptr;

    struct Subscription
    {
        QPointer<QObject> owner; // null: gone or unsubscribed, erased after the delivery
        RoomSubscriber *subscriber;
    };
    std::vector<Subscription> m_subscribers;
    int m_delivering = 0; // nested deliveries in progress
    bool m_holes = false; // an entry was cleared during a delivery
    QString m_name;
    QMap<QString, QString> m_members; // username key -> username as given
    QMap<QString, QString> m_elsewhere; // the same, on other servers
    int m_inBoth = 0; // keys in both maps, so that usersInRoom() costs nothing
};

} // namespace Chat
