// chat-server: the headless LAN chat server.
#include "epolleventdispatcher.h"
#include "servermain.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    // Qt's GLib dispatcher keeps socket notifiers in lists, and both it and the
    // Unix one poll every socket on every pass: with thousands of connections
    // that dominated the server's CPU (docs/benchmarks.md). epoll costs per ready
    // socket. CHAT_EVENT_DISPATCHER=qt keeps Qt's own (Unix) dispatcher.
    if (qEnvironmentVariable("CHAT_EVENT_DISPATCHER") == QLatin1String("qt"))
        qputenv("QT_NO_GLIB", "1");
    else
        QCoreApplication::setEventDispatcher(new Chat::EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("chat-server"));
    QCoreApplication::setOrganizationName(QStringLiteral("lanchat"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CHAT_VERSION));
    return Chat::runServer(app);
}
