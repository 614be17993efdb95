// `chat-server user ...` and `chat-server invite ...`: account administration
// for a LAN admin with a shell, on the store the configuration names (--db or
// --store), while the server runs or not. A password is read from standard
// input (one line; not echoed on a terminal), never from the command line.
#pragma once

#include "serverconfig.h"

QT_BEGIN_NAMESPACE
class QTextStream;
QT_END_NAMESPACE

namespace Chat {
int runAccountCommand(const ServerConfig::ParseResult &parsed, QTextStream &out, QTextStream &err);
} // namespace Chat
