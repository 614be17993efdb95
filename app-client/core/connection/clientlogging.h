// Logging categories of the desktop client.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcConnection)
Q_DECLARE_LOGGING_CATEGORY(lcOutbox)
Q_DECLARE_LOGGING_CATEGORY(lcClientUi)
