// Logging categories of the shared layer.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcProtocol)

namespace Chat {
// Applies a --log value: a level ("debug", "info", "warning", "critical") for
// every chat.* category, or Qt filter rules ("chat.server.room.debug=true;...").
bool applyLogSetting(const QString &setting);
} // namespace Chat
