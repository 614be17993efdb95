// Who is on the server. Usernames are unique ignoring case; an identity whose
// connection dropped is parked for a grace period before it leaves its rooms.
#pragma once

#include <QHash>
#include <QObject>

namespace Chat {

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
    // The identity with this name and resume token, live or parked; nullptr if none.
    Identity *resume(const QString &username, const QString &token);
    // Its connection is gone: keep it for the grace period, then release it.
    void park(Identity *identity);
    // Leaves every room (announcing it), frees the name, deletes the identity.
    void release(Identity *identity);

    int count() const { return int(m_identities.size()); }
    int parkedCount() const;

private:
    RoomRegistry *m_rooms;
    int m_graceMs;
    QHash<QString, Identity *> m_identities; // username key -> identity
};

} // namespace Chat
