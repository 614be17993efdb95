// Role names (role.h).
#include "role.h"

namespace Chat {

QString roleName(Role role)
{
    switch (role) {
    case Role::Member:
        return QStringLiteral("member");
    case Role::Moderator:
        return QStringLiteral("moderator");
    case Role::Admin:
        return QStringLiteral("admin");
    }
    return QStringLiteral("member");
}

std::optional<Role> roleFromName(const QString &name)
{
    if (name == QLatin1String("member"))
        return Role::Member;
    if (name == QLatin1String("moderator"))
        return Role::Moderator;
    if (name == QLatin1String("admin"))
        return Role::Admin;
    return std::nullopt;
}

} // namespace Chat
