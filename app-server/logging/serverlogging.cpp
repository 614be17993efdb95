// Logging categories of the server.
#include "serverlogging.h"

Q_LOGGING_CATEGORY(lcServer, "chat.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSession, "chat.server.session", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRoom, "chat.server.room", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "chat.server.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "chat.server.http", QtInfoMsg)

namespace Chat {

namespace {
QtMessageHandler previousHandler = nullptr;

void filterMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg
        && (message.contains(QLatin1String("nextPendingConnection() called while not listening"))
            || (message.contains(QLatin1String("HandOffServer"))
                && message.contains(QLatin1String("is not listening")))))
        return;
    if (previousHandler)
        previousHandler(type, context, message);
}
} // namespace

void installServerMessageFilter()
{
    if (!previousHandler)
        previousHandler = qInstallMessageHandler(filterMessages);
}

} // namespace Chat
