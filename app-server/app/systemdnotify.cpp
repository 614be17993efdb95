#include "systemdnotify.h"

#ifdef CHAT_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace Chat {

void notifySystemd(const QByteArray &state)
{
#ifdef CHAT_HAVE_SYSTEMD
    sd_notify(0, state.constData());
#else
    Q_UNUSED(state);
#endif
}

} // namespace Chat
