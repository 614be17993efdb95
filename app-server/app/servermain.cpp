// chat-server start-up and shutdown.
#include "servermain.h"

#include "accountcommands.h"
#include "chatserver.h"
#include "lanannouncer.h"
#include "logging.h"
#include "postgresmessagestore.h"
#include "serverlogging.h"
#include "signalwatcher.h"
#include "sqlitemaintenance.h"
#include "sqlitemessagestore.h"
#include "systemdnotify.h"
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

namespace {
// `chat-server backup FILE`, `chat-server check`: on the store the server uses.
int runAdminCommand(const ServerConfig::ParseResult &parsed, QTextStream &out, QTextStream &err)
{
    const QString path
        = parsed.config.dbPath.isEmpty() ? SqliteMessageStore::defaultPath() : parsed.config.dbPath;
    if (!parsed.config.storeUrl.isEmpty()) {
        err << "chat-server: backup and check are for the SQLite store; for PostgreSQL use "
               "pg_dump and the database's own tools (docs/cluster.md)\n";
        return 2;
    }
    if (parsed.command == ServerConfig::ParseResult::Command::Backup) {
        QString error;
        if (!SqliteMaintenance::backup(path, parsed.commandArgument, &error)) {
            err << "chat-server backup: " << error << '\n';
            return 1;
        }
        const SqliteMaintenance::Report copy = SqliteMaintenance::check(parsed.commandArgument);
        out << "chat-server backup: " << path << " -> " << parsed.commandArgument << " ("
            << copy.messages << " messages in " << copy.rooms << " rooms)\n";
        return 0;
    }
    const SqliteMaintenance::Report report = SqliteMaintenance::check(path);
    if (!report.ok) {
        err << "chat-server check: " << path << ": " << report.problem << '\n';
        return 1;
    }
    out << "chat-server check: " << path << ": ok (" << report.messages << " messages in "
        << report.rooms << " rooms, schema " << report.schemaVersion << ")\n";
    return 0;
}

// The certificate and key the configuration names, or the self-signed pair.
std::optional<TlsSetup> loadTls(const ServerConfig &config, const QString &dataDir, QString *error)
{
    if (!config.tlsCert.isEmpty())
        return TlsSetup::fromFiles(config.tlsCert, config.tlsKey, error);
    if (config.tlsSelfSigned)
        return TlsSetup::selfSigned(dataDir, error);
    return std::nullopt;
}

// SIGHUP: the command line and the config file again; what may change while
// running is taken, a renewed certificate included. A config that does not
// parse, or a certificate that does not load, changes nothing. Returns the
// renewed certificate's fingerprint, if TLS was reloaded.
std::optional<QString> reload(const QStringList &arguments, ChatServer &server,
                              const QString &dataDir, bool tls)
{
    notifySystemd("RELOADING=1");
    const ServerConfig::ParseResult parsed = ServerConfig::parse(arguments);
    if (!parsed.error.isEmpty() || !applyLogSetting(parsed.config.log)) {
        qCWarning(lcServer).noquote()
            << "reload refused, the configuration stays as it was:"
            << (parsed.error.isEmpty() ? QStringLiteral("--log: ") + parsed.config.log
                                       : parsed.error);
        notifySystemd("READY=1");
        return std::nullopt;
    }
    std::optional<QString> fingerprint;
    if (tls) {
        QString error;
        const std::optional<TlsSetup> renewed = loadTls(parsed.config, dataDir, &error);
        if (!renewed) {
            qCWarning(lcServer).noquote()
                << "reload refused, the configuration stays as it was: TLS:"
                << (error.isEmpty() ? QStringLiteral("TLS cannot be turned off by a reload")
                                    : error);
            notifySystemd("READY=1");
            return std::nullopt;
        }
        if (!server.setTls(renewed->configuration, &error)) {
            qCWarning(lcServer).noquote()
                << "reload refused, the configuration stays as it was: TLS:" << error;
            notifySystemd("READY=1");
            return std::nullopt;
        }
        qCInfo(lcServer).noquote()
            << "TLS certificate SHA-256 fingerprint:" << renewed->fingerprint;
        fingerprint = renewed->fingerprint;
    }
    const QStringList restart = server.reload(parsed.config);
    if (!restart.isEmpty())
        qCWarning(lcServer).noquote()
            << "changed, but taken only at the next start:" << restart.join(QStringLiteral(", "));
    qCInfo(lcServer) << "configuration reloaded";
    notifySystemd("READY=1\nSTATUS=Configuration reloaded");
    return fingerprint;
}
} // namespace

int runServer(QCoreApplication &app)
{
    qSetMessagePattern(
        QStringLiteral("%{time yyyy-MM-ddTHH:mm:ss.zzz} %{if-debug}D%{endif}%{if-info}I%{endif}"
                       "%{if-warning}W%{endif}%{if-critical}C%{endif}%{if-fatal}F%{endif} "
                       "%{category}: %{message}"));
    installServerMessageHandler();
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
    if (parsed.command == ServerConfig::ParseResult::Command::User
        || parsed.command == ServerConfig::ParseResult::Command::Invite)
        return runAccountCommand(parsed, out, err);
    if (parsed.command != ServerConfig::ParseResult::Command::Serve)
        return runAdminCommand(parsed, out, err);
    const ServerConfig &config = parsed.config;
    if (!applyLogSetting(config.log)) {
        err << "chat-server: --log: not a level or logging rules: " << config.log << '\n';
        return 2;
    }

    const QString sqlitePath
        = config.dbPath.isEmpty() ? SqliteMessageStore::defaultPath() : config.dbPath;
    std::unique_ptr<MessageStore> store;
    QString storeName;
    if (config.storeUrl.isEmpty()) {
        store = std::make_unique<SqliteMessageStore>(sqlitePath, config.durability);
        storeName = sqlitePath;
    } else {
        store = std::make_unique<PostgresMessageStore>(config.storeUrl);
        storeName = PostgresMessageStore::describe(config.storeUrl);
    }
    QString error;
    if (!store->open(&error)) {
        err << "chat-server: cannot open the store " << storeName << ": " << error << '\n';
        return 1;
    }
    if (!config.storeUrl.isEmpty())
        qCInfo(lcStore).noquote() << "opened" << storeName;

    ChatServer server(config, store.get());
    // The self-signed certificate is kept beside the SQLite file, where the
    // server's state is, whichever store holds the messages.
    const QString dataDir = QFileInfo(sqlitePath).absolutePath();
    const std::optional<TlsSetup> tls = loadTls(config, dataDir, &error);
    if ((!config.tlsCert.isEmpty() || config.tlsSelfSigned) && !tls) {
        err << "chat-server: TLS: " << error << '\n';
        return 1;
    }
    if (tls && !server.setTls(tls->configuration, &error)) {
        err << "chat-server: TLS: " << error << '\n';
        return 1;
    }
    if (tls) {
        // People compare this with what their client shows on first connect.
        out << "TLS certificate SHA-256 fingerprint: " << tls->fingerprint << Qt::endl;
    }
    // Before the "listening" line: whoever reads it may signal at once.
    std::unique_ptr<LanAnnouncer> announcer;
    LanAnnouncer::Service announced;
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &server,
                     [&server](int number) {
                         qCInfo(lcServer) << "signal" << number << "received";
                         notifySystemd("STOPPING=1");
                         server.shutdown();
                     });
    QObject::connect(&watcher, &SignalWatcher::reloadRequested, &server,
                     [&server, &parsed, dataDir, on = tls.has_value(), &announcer, &announced] {
                         qCInfo(lcServer) << "SIGHUP: reloading the configuration";
                         const auto renewed = reload(parsed.arguments, server, dataDir, on);
                         // People compare the fingerprint the LAN sees with their client's.
                         if (announcer && renewed && *renewed != announced.fingerprint) {
                             announced.fingerprint = *renewed;
                             announcer->announce(announced);
                         }
                     });
    QObject::connect(&server, &ChatServer::shutdownFinished, &app, [&app] { app.exit(0); });
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
    if (config.metricsOwnAddress)
        out << "metrics on " << config.metricsHost.toString() << " port " << server.metricsPort()
            << Qt::endl;

    if (config.announce) {
        announcer = std::make_unique<LanAnnouncer>();
        announced.name = config.announceName;
        announced.port = server.serverPort();
        announced.tls = tls.has_value();
        announced.fingerprint = tls ? tls->fingerprint : QString();
        announced.version = QLatin1String(CHAT_VERSION);
        announcer->announce(announced);
    }
    notifySystemd("READY=1\nSTATUS=Listening on port " + QByteArray::number(server.serverPort()));
    return app.exec();
}

} // namespace Chat
