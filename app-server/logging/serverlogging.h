// Logging categories of the server, declared in one place.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcSession)
Q_DECLARE_LOGGING_CATEGORY(lcRoom)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)

namespace Chat {
// Drops two warnings Qt HttpServer 6.4 prints for every hand-off from the front
// door ("not listening"): the HTTP side is fed sockets and never listens, by design.
void installServerMessageFilter();
} // namespace Chat
