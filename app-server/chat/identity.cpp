// A user's identity and room memberships.
#include "identity.h"

namespace Chat {

Identity::Identity(const QString &username, const QString &token, QObject *parent)
    : QObject(parent), m_username(username), m_token(token)
{ }

Identity::~Identity() = default;

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
