// chat-client: the LAN chat desktop client.
#include "clientmain.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("chat-client"));
    QApplication::setApplicationDisplayName(QStringLiteral("LAN chat"));
    QApplication::setOrganizationName(QStringLiteral("lanchat"));
    QApplication::setApplicationVersion(QStringLiteral(CHAT_VERSION));
    // The desktop entry: notifications and window managers match the window to it.
    QGuiApplication::setDesktopFileName(QStringLiteral("org.lanchat.Client"));
    return Chat::runClient(app);
}
