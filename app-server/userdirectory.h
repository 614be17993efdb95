// Who is online: usernames are unique on the server, ignoring case.
#pragma once

#include <QHash>
#include <QString>

namespace Chat {

class Session;

class UserDirectory final
{
public:
    // Reserves the name for the session; false if someone else holds it.
    bool claim(const QString &username, Session *session);
    void release(const QString &username, const Session *session);
    Session *holder(const QString &username) const;
    int count() const { return int(m_users.size()); }

private:
    QHash<QString, Session *> m_users; // username key -> session
};

} // namespace Chat
