// The server's rules for usernames, room names and message text, shared so that
// clients can check input inline before sending it.
#pragma once

#include "protocollimits.h"

#include <QString>

namespace Chat::Validation {

// Each returns an empty string when the value is acceptable, otherwise a
// sentence for the user (translatable in the "Chat::Validation" context).
QString usernameProblem(const QString &username, const ProtocolLimits &limits = {});
QString roomProblem(const QString &room, const ProtocolLimits &limits = {});
QString textProblem(const QString &text, const ProtocolLimits &limits = {});

// Usernames are unique ignoring case; this is the key they are compared by.
QString usernameKey(const QString &username);

// True for characters never allowed in names: control, format (bidi overrides,
// zero-width joiners), line/paragraph separators and lone surrogates.
bool isForbiddenInName(QChar c);

} // namespace Chat::Validation
