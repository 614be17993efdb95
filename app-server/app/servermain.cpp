// chat-server start-up and shutdown.
#include "servermain.h"

#include "chatserver.h"
#include "logging.h"
#include "serverlogging.h"
#include "signalwatcher.h"
#include "sqlitemessagestore.h"
#include "tlssetup.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QTextStream>

#include <cstdio>

namespace Chat {

void prepareServerEventLoop()
{
    // Qt's Unix event dispatcher rather than the GLib one: GLib keeps socket
    // notifiers in lists that cost per socket on every pass. Plain WebSocket
    // connections sit in one epoll set of their own (LinkPoller), so the
    // dispatcher only sees the listening socket, TLS connections and handshakes.
    qputenv("QT_NO_GLIB", "1");
}

int runServer(QCoreApplication &app)
{
    qSetMessagePattern(
        QStringLiteral("%{time yyyy-MM-ddTHH:mm:ss.zzz} %{if-debug}D%{endif}%{if-info}I%{endif}"
                       "%{if-warning}W%{endif}%{if-critical}C%{endif}%{if-fatal}F%{endif} "
                       "%{category}: %{message}"));
    installServerMessageFilter();
    const ServerConfig::ParseResult parsed = ServerConfig::parse(app.arguments());
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (!parsed.helpText.isEmpty()) {
        out << parsed.helpText;
        return 0;
    }
    if (!parsed.versionText.isEmpty()) {
        out << parsed.versionText << '\n';
        return 0;
    }
    if (!parsed.error.isEmpty()) {
        err << "chat-server: " << parsed.error << "\nTry --help.\n";
        return 2;
    }
    const ServerConfig &config = parsed.config;
    if (!applyLogSetting(config.log)) {
        err << "chat-server: --log: not a level or logging rules: " << config.log << '\n';
        return 2;
    }

    SqliteMessageStore store(config.dbPath.isEmpty() ? SqliteMessageStore::defaultPath()
                                                     : config.dbPath);
    QString error;
    if (!store.open(&error)) {
        err << "chat-server: cannot open the database " << store.path() << ": " << error << '\n';
        return 1;
    }

    ChatServer server(config, &store);
    std::optional<TlsSetup> tls;
    if (!config.tlsCert.isEmpty())
        tls = TlsSetup::fromFiles(config.tlsCert, config.tlsKey, &error);
    else if (config.tlsSelfSigned)
        tls = TlsSetup::selfSigned(QFileInfo(store.path()).absolutePath(), &error);
    if ((!config.tlsCert.isEmpty() || config.tlsSelfSigned) && !tls) {
        err << "chat-server: TLS: " << error << '\n';
        return 1;
    }
    if (tls) {
        server.setTls(tls->configuration);
        // People compare this with what their client shows on first connect.
        out << "TLS certificate SHA-256 fingerprint: " << tls->fingerprint << Qt::endl;
    }
    if (!server.listen(&error)) {
        err << "chat-server: cannot listen on " << config.host.toString() << ':' << config.port
            << ": " << error << '\n';
        return 1;
    }
    qCInfo(lcServer).noquote()
        << "listening on"
        << QStringLiteral("%1:%2").arg(server.serverAddress().toString()).arg(server.serverPort());
    // Scripts and tests started with --port 0 read the port from this line.
    out << "chat-server listening on port " << server.serverPort() << (tls ? " (TLS)" : "")
        << Qt::endl;

    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &server,
                     [&server](int number) {
                         qCInfo(lcServer) << "signal" << number << "received";
                         server.shutdown();
                     });
    QObject::connect(&server, &ChatServer::shutdownFinished, &app, [&app] { app.exit(0); });
    return app.exec();
}

} // namespace Chat
