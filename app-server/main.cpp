// chat-server: the headless LAN chat server.
#include "servermain.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    // Qt's GLib event dispatcher keeps socket notifiers in lists and polls every
    // socket each pass: with thousands of connections that dominated the server's
    // CPU (docs/benchmarks.md). The Unix dispatcher keeps them in a hash.
    if (qEnvironmentVariableIsEmpty("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("chat-server"));
    QCoreApplication::setOrganizationName(QStringLiteral("lanchat"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CHAT_VERSION));
    return Chat::runServer(app);
}
