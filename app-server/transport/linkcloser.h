// A Link nobody will serve (a refused Engine.IO request, a failed upgrade
// probe): closed with a code, kept until the close handshake ends (or two
// seconds pass), then deleted; or with `owner`, if that goes first.
#pragma once

#include "link.h"

#include <memory>

QT_BEGIN_NAMESPACE
class QObject;
QT_END_NAMESPACE

namespace Chat {

void closeAndForget(std::unique_ptr<Link> link, int code, const QString &reason, QObject *owner);

} // namespace Chat
