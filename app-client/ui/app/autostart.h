// Start with the desktop session (XDG autostart): a desktop entry in
// $XDG_CONFIG_HOME/autostart that runs this client with --autostart.
#pragma once

#include <QString>

namespace Chat {

class Autostart final
{
public:
    static QString entryPath();
    static bool isEnabled();
    // Writes or removes the entry; false if the folder cannot be written.
    static bool setEnabled(bool on, const QString &program);
};

} // namespace Chat
