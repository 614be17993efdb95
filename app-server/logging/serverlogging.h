// Logging categories of the server, declared in one place.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcSession)
Q_DECLARE_LOGGING_CATEGORY(lcRoom)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)

namespace Chat {
// The server's log lines: time, level, category, message on standard error; or,
// when standard error is the systemd journal (JOURNAL_STREAM names it), each
// line with its syslog priority ("<4>" for a warning) and no time of its own,
// which journald files under that priority.
void installServerMessageHandler();
// Whether the handler writes for the journal (for tests and the start-up line).
bool logsToJournal();
} // namespace Chat
