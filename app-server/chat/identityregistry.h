// Who is on the server. Usernames are unique ignoring case; an identity whose
// connection dropped is parked for a grace period before it leaves its rooms.
#pragma once

#include <QHash>
#include <QObject>

#include <functional>

namespace Chat {

class Bus;
class ClusterPresence;
class Identity;
class RoomRegistry;

class IdentityRegistry final : public QObject
{
    Q_OBJECT
public:
    IdentityRegistry(RoomRegistry *rooms, int graceMs, QObject *parent = nullptr);
    ~IdentityRegistry() override;
    Q_DISABLE_COPY_MOVE(IdentityRegistry)

    // A new identity for the name, or nullptr if someone holds it (also while parked).
    Identity *claim(const QString &username);
    // Whoever holds the name here, live or parked; nullptr if nobody.
    Identity *find(const QString &username) const;
    // The identity with this name and resume token, live or parked; nullptr if none.
    Identity *resume(const QString &username, const QString &token);
    // Its connection is gone: keep it for the grace period, then release it.
    void park(Identity *identity);
    // Leaves every room (announcing it), frees the name, deletes the identity.
    void release(Identity *identity);

    // Names shared with the other servers on the bus (--bus redis://): a name is
    // held here and on the bus, and a client dropped elsewhere may resume here.
    void share(Bus *bus, ClusterPresence *presence);
    bool isShared() const { return m_bus != nullptr; }
    enum class Refusal { None, Taken, Unavailable };
    using Claimed = std::function<void(Identity *, Refusal)>;
    // claim(), then the other servers' word: `done` runs later with the
    // identity, or nullptr and why.
    void claimShared(const QString &username, Claimed done);
    // A resume of an identity another server holds (or held, if it was killed):
    // `done` runs later with the identity, in the rooms it had there, or nullptr.
    void resumeShared(const QString &username, const QString &token, Claimed done);
    // Another server holds the name now: the connection here is closed (4002)
    // and the identity goes, without a leave where the user is still in the room.
    void evict(const QString &key, quint64 epoch = 0);

    int count() const { return int(m_identities.size()); }
    int parkedCount() const;

private:
    Identity *create(const QString &username, const QString &token);
    static QString entryOf(const Identity *identity);

    RoomRegistry *m_rooms;
    Bus *m_bus = nullptr;
    ClusterPresence *m_presence = nullptr;
    int m_graceMs;
    QHash<QString, Identity *> m_identities; // username key -> identity
};

} // namespace Chat
