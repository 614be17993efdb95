// A user's identity and room memberships.
#include "identity.h"

namespace Chat {

Identity::Identity(const QString &username, const QString &token, QObject *parent)
    : QObject(parent), m_username(username), m_token(token)
{ }

Identity::~Identity() = default;

QList<Session *> Identity::sessions() const
{
    QList<Session *> all;
    if (m_session)
        all.append(m_session);
    if (m_signIn)
        all += m_signIn->devices;
    return all;
}

int Identity::sessionCount() const
{
    return (m_session ? 1 : 0) + (m_signIn ? int(m_signIn->devices.size()) : 0);
}

void Identity::setSession(Session *session)
{
    m_session = session;
    if (m_signIn)
        m_signIn->devices.clear();
}

void Identity::addDevice(Session *session)
{
    if (!m_session)
        m_session = session;
    else if (m_signIn && session != m_session && !m_signIn->devices.contains(session))
        m_signIn->devices.append(session);
}

void Identity::removeSession(Session *session)
{
    if (m_signIn)
        m_signIn->devices.removeAll(session);
    if (m_session == session)
        m_session
            = m_signIn && !m_signIn->devices.isEmpty() ? m_signIn->devices.takeFirst() : nullptr;
}

void Identity::enterRoom(const QString &room)
{
    m_rooms.removeAll(room);
    m_rooms.append(room);
}

void Identity::leaveRoom(const QString &room)
{
    m_rooms.removeAll(room);
}

} // namespace Chat
