// Tells systemd how the service is doing (sd_notify: READY=1, RELOADING=1,
// STOPPING=1, STATUS=...), for a unit with Type=notify. Does nothing when not
// started by systemd (no NOTIFY_SOCKET) or when built without libsystemd.
#pragma once

#include <QByteArray>

namespace Chat {

void notifySystemd(const QByteArray &state);

} // namespace Chat
