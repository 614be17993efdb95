#include "autostart.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace Chat {

QString Autostart::entryPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + QStringLiteral("/autostart/org.lanchat.Client.desktop");
}

bool Autostart::isEnabled()
{
    return QFileInfo::exists(entryPath());
}

bool Autostart::setEnabled(bool on, const QString &program)
{
    const QString path = entryPath();
    if (!on)
        return !QFileInfo::exists(path) || QFile::remove(path);
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    // Exec takes the program path in double quotes, where \ " ` $ are escaped
    // with a backslash, which the file's string syntax escapes once more.
    QString quoted = program;
    quoted.replace(QLatin1Char('\\'), QStringLiteral("\\\\\\\\"));
    for (const QChar c : {QLatin1Char('"'), QLatin1Char('`'), QLatin1Char('$')})
        quoted.replace(c, QStringLiteral("\\\\") + c);
    const QString entry = QStringLiteral("[Desktop Entry]\n"
                                         "Type=Application\n"
                                         "Name=LAN Chat\n"
                                         "Comment=Chat with the people on your network\n"
                                         "Exec=\"%1\" --autostart\n"
                                         "Icon=org.lanchat.Client\n"
                                         "Terminal=false\n"
                                         "X-GNOME-Autostart-enabled=true\n")
                              .arg(quoted);
    file.write(entry.toUtf8());
    return file.commit();
}

} // namespace Chat
