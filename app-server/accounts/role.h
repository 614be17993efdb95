// An account's role: what it may do beyond chatting (docs/protocol.md,
// "Rooms, direct messages and moderation").
#pragma once

#include <QString>

#include <optional>

namespace Chat {

enum class Role { Member, Moderator, Admin };
QString roleName(Role role);
std::optional<Role> roleFromName(const QString &name);

} // namespace Chat
