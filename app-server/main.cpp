// chat-server: the headless LAN chat server.
#include "servermain.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    Chat::prepareServerEventLoop();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("chat-server"));
    QCoreApplication::setOrganizationName(QStringLiteral("lanchat"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CHAT_VERSION));
    return Chat::runServer(app);
}
