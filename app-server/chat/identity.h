// A user on the server: a name, the rooms they are in, and the connection that
// currently speaks for them. It outlives a dropped connection for a grace period,
// so a client that resumes keeps its name and rooms without any leave/join noise.
#pragma once

#include "accountstore.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace Chat {

class Session;

class Identity final : public QObject
{
    Q_OBJECT
public:
    Identity(const QString &username, const QString &token, QObject *parent = nullptr);
    ~Identity() override;
    Q_DISABLE_COPY_MOVE(Identity)

    QString username() const { return m_username; }
    QString token() const { return m_token; }

    QStringList rooms() const { return m_rooms; } // join order; the last is the current room
    QString currentRoom() const { return m_rooms.isEmpty() ? QString() : m_rooms.constLast(); }
    bool isIn(const QString &room) const { return m_rooms.contains(room); }
    // Adds the room, or moves it to the end (it becomes the current room).
    void enterRoom(const QString &room);
    void leaveRoom(const QString &room);

    // Clients that said `hello` know about `session` and may resume; the documents'
    // clients (join with a username) never do, so they leave as soon as they drop.
    bool isResumable() const { return m_resumable; }
    void setResumable(bool resumable) { m_resumable = resumable; }

    // A name the server picked (a page that gave none): the user may rename it.
    bool isGuest() const { return m_guest; }
    void setGuest(bool guest) { m_guest = guest; }

    // The connection that speaks for the user; null while parked. A signed-in
    // account may speak on several at once (its devices): session() is the
    // first of them.
    Session *session() const { return m_session; }
    QList<Session *> sessions() const;
    int sessionCount() const;
    // The only connection from now on (or none).
    void setSession(Session *session);
    // One more device of a signed-in account (the first if there is none).
    void addDevice(Session *session);
    void removeSession(Session *session);

    // With names shared between servers: which holding of the name this is (a
    // random number, new on each claim and each take-over), so that word of an
    // older holding taken over elsewhere never ends a newer one.
    quint64 epoch() const { return m_epoch; }
    void setEpoch(quint64 epoch) { m_epoch = epoch; }

    // Signed in to a registered account (--auth accounts): which one, and its
    // role. Null for everyone else.
    struct SignIn
    {
        QString key;
        Role role = Role::Member;
        QList<Session *> devices; // besides session()
    };
    const SignIn *signIn() const { return m_signIn.get(); }
    bool isSignedIn() const { return m_signIn != nullptr; }
    void setSignIn(std::unique_ptr<SignIn> signIn) { m_signIn = std::move(signIn); }
    void setRole(Role role)
    {
        if (m_signIn)
            m_signIn->role = role;
    }

private:
    std::unique_ptr<SignIn> m_signIn;
    QString m_username;
    QString m_token;
    QStringList m_rooms;
    Session *m_session = nullptr;
    quint64 m_epoch = 0;
    bool m_resumable = false;
    bool m_guest = false;
};

} // namespace Chat
