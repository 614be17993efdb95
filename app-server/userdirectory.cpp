// Username reservations.
#include "userdirectory.h"

#include "validation.h"

namespace Chat {

bool UserDirectory::claim(const QString &username, Session *session)
{
    const QString key = Validation::usernameKey(username);
    const auto it = m_users.constFind(key);
    if (it != m_users.constEnd())
        return *it == session;
    m_users.insert(key, session);
    return true;
}

void UserDirectory::release(const QString &username, const Session *session)
{
    const QString key = Validation::usernameKey(username);
    const auto it = m_users.find(key);
    if (it != m_users.end() && *it == session)
        m_users.erase(it);
}

Session *UserDirectory::holder(const QString &username) const
{
    return m_users.value(Validation::usernameKey(username));
}

} // namespace Chat
