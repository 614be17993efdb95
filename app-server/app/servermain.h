// chat-server's program logic, kept out of main.cpp so tests can link it.
#pragma once

#include <QtGlobal>

QT_BEGIN_NAMESPACE
class QCoreApplication;
QT_END_NAMESPACE

namespace Chat {
// Before the QCoreApplication: chooses the event loop the server runs on.
void prepareServerEventLoop();
// Parses the command line, opens the store, listens, runs until SIGINT/SIGTERM.
int runServer(QCoreApplication &app);
} // namespace Chat
