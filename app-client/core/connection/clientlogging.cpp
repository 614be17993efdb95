// Logging categories of the desktop client.
#include "clientlogging.h"

Q_LOGGING_CATEGORY(lcConnection, "chat.client.connection", QtInfoMsg)
Q_LOGGING_CATEGORY(lcOutbox, "chat.client.outbox", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientUi, "chat.client.ui", QtWarningMsg)
