// chat-client's program logic, kept out of main.cpp so tests can link it.
#pragma once

#include <QString>

QT_BEGIN_NAMESPACE
class QApplication;
QT_END_NAMESPACE

namespace Chat {
int runClient(QApplication &app);
// Our translations and Qt's for `language` ("ms", "de"; empty: the system's).
// Returns true if ours were found for it.
bool installTranslations(QApplication &app, const QString &language);
} // namespace Chat
