// A Link nobody will serve (a refused Engine.IO request, a failed upgrade
// probe): closed with a code, kept until the close handshake ends (or two
// seconds pass), then deleted.
#pragma once

#include "link.h"

#include <memory>

namespace Chat {

void closeAndForget(std::unique_ptr<Link> link, int code, const QString &reason);

} // namespace Chat
