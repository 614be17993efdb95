// Does a message mention a user? "@name" or the bare name as a whole word,
// ignoring case.
#pragma once

#include <QString>

namespace Chat {
bool mentions(const QString &text, const QString &username);
} // namespace Chat
