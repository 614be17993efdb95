// Command line and INI parsing for chat-server. Every option can also be a key of
// the INI file given with --config; the command line wins.
#include "serverconfig.h"

#include "postgresmessagestore.h"

#include <QCommandLineParser>

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QSysInfo>
#include <algorithm>

namespace Chat {

namespace {

struct IntOption
{
    const char *name;
    const char *description;
    int ServerConfig::*field;
    int minimum;
};

struct LimitOption
{
    const char *name;
    const char *description;
    int ProtocolLimits::*field;
    int minimum;
};

const IntOption intOptions[] = {
    {"handshake-timeout", "Milliseconds a client has to complete the WebSocket handshake.",
     &ServerConfig::handshakeTimeoutMs, 100},
    {"ping-interval", "Milliseconds between server pings.", &ServerConfig::pingIntervalMs, 100},
    {"idle-timeout", "Milliseconds of silence after which a peer is dropped.",
     &ServerConfig::idleTimeoutMs, 200},
    {"max-pending", "WebSocket connections that may wait to be accepted.",
     &ServerConfig::maxPendingConnections, 1},
    {"max-head-bytes", "Largest HTTP request head accepted.", &ServerConfig::maxHeadBytes, 256},
    {"resume-grace",
     "Milliseconds a dropped client's name and rooms are kept for it to resume (0: none).",
     &ServerConfig::resumeGraceMs, 0},
    {"socketio-ping-interval",
     "Milliseconds between Engine.IO pings (Socket.IO clients; default 25000).",
     &ServerConfig::socketIoPingIntervalMs, 100},
    {"socketio-ping-timeout",
     "Milliseconds a Socket.IO client has to answer a ping before it is dropped (default 20000).",
     &ServerConfig::socketIoPingTimeoutMs, 100},
};

const LimitOption limitOptions[] = {
    {"max-text-length", "Longest chat text, in characters.", &ProtocolLimits::maxTextLength, 1},
    {"history", "Messages sent on join.", &ProtocolLimits::historyOnJoin, 0},
    {"history-page-max", "Largest history page.", &ProtocolLimits::historyPageMax, 1},
};

} // namespace

ServerConfig::ParseResult ServerConfig::parse(const QStringList &arguments)
{
    ParseResult result;
    ServerConfig &c = result.config;
    c.serverName = QStringLiteral("chat-server %1").arg(QLatin1String(CHAT_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "LAN chat server: WebSocket chat rooms and the browser client on one port.\n\n"
        "Admin commands, on the store given by --db or the config file, while the server runs:\n"
        "  backup FILE  a consistent copy of the store in FILE\n"
        "  check        verify the store's integrity (exit 0: sound)"));
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QStringLiteral("backup FILE | check (none: run the server)"),
                                 QStringLiteral("[command]"));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption hostOption(QStringLiteral("host"),
                                        QStringLiteral("Address to listen on (default: all)."),
                                        QStringLiteral("address"));
    const QCommandLineOption portOption(
        QStringLiteral("port"),
        QStringLiteral("Port to listen on; 0 picks a free one (default 8080)."),
        QStringLiteral("port"));
    const QCommandLineOption dbOption(QStringLiteral("db"),
                                      QStringLiteral("SQLite database file (default: %1).")
                                          .arg(QStringLiteral("<app data>/chat.sqlite")),
                                      QStringLiteral("path"));
    const QCommandLineOption storeOption(
        QStringLiteral("store"),
        QStringLiteral("Where messages are kept: sqlite:PATH (the default, as --db) or "
                       "postgresql://[USER@]HOST[:PORT]/DATABASE[?host=SOCKET-DIR] for "
                       "several servers sharing one chat (docs/cluster.md)."),
        QStringLiteral("url"));
    const QCommandLineOption busOption(
        QStringLiteral("bus"),
        QStringLiteral("How servers sharing a PostgreSQL store hear of each other's messages "
                       "at once: local (the default: from the store, within 250 ms) or "
                       "redis://HOST[:PORT]."),
        QStringLiteral("url"));
    const QCommandLineOption nodeIdOption(
        QStringLiteral("node-id"),
        QStringLiteral("This server's name among those sharing a store, unique among them, in "
                       "/healthz and on the bus (default: <host name>-<process id>)."),
        QStringLiteral("name"));
    const QCommandLineOption logOption(
        QStringLiteral("log"),
        QStringLiteral("Log level (debug, info, warning, critical) or Qt logging rules."),
        QStringLiteral("level"));
    const QCommandLineOption configOption(
        QStringLiteral("config"), QStringLiteral("INI file with the same keys as these options."),
        QStringLiteral("file"));
    const QCommandLineOption maxBytesOption(
        QStringLiteral("max-message-bytes"),
        QStringLiteral("Largest incoming WebSocket message and frame (default 65536)."),
        QStringLiteral("bytes"));
    const QCommandLineOption retainCountOption(
        QStringLiteral("retain-count"),
        QStringLiteral("Messages kept per room (default 100000; 0: all)."), QStringLiteral("n"));
    const QCommandLineOption retainDaysOption(
        QStringLiteral("retain-days"),
        QStringLiteral("Days messages are kept (default 365; 0: forever)."),
        QStringLiteral("days"));
    const QCommandLineOption durabilityOption(
        QStringLiteral("durability"),
        QStringLiteral(
            "normal: commits survive a killed server; full: also a power loss (fsync per commit)."),
        QStringLiteral("normal|full"));
    const QCommandLineOption webRootOption(
        QStringLiteral("web-root"),
        QStringLiteral("Serve the browser client from this folder instead of the built-in files."),
        QStringLiteral("dir"));
    const QCommandLineOption pagesOption(
        QStringLiteral("pages"),
        QStringLiteral("Also serve the pages in this folder at /pages/ (the documents' Socket.IO "
                       "pages: their inline scripts are allowed there, nowhere else)."),
        QStringLiteral("dir"));
    const QCommandLineOption rateOption(
        QStringLiteral("rate-limit"),
        QStringLiteral(
            "Chat messages per second per connection (default 10; 0: no flood control)."),
        QStringLiteral("n"));
    const QCommandLineOption burstOption(
        QStringLiteral("rate-burst"),
        QStringLiteral("Messages a connection may send at once (default 20)."),
        QStringLiteral("n"));
    const QCommandLineOption retentionIntervalOption(
        QStringLiteral("retention-interval"),
        QStringLiteral("Milliseconds between retention passes (default 60000)."),
        QStringLiteral("ms"));
    parser.addOptions({rateOption, burstOption, retentionIntervalOption});
    const QCommandLineOption tlsCertOption(
        QStringLiteral("tls-cert"),
        QStringLiteral("PEM certificate (chain): serve wss:// and https://."),
        QStringLiteral("file"));
    const QCommandLineOption tlsKeyOption(QStringLiteral("tls-key"),
                                          QStringLiteral("PEM private key for --tls-cert."),
                                          QStringLiteral("file"));
    const QCommandLineOption tlsSelfSignedOption(
        QStringLiteral("tls-self-signed"),
        QStringLiteral(
            "Serve TLS with a self-signed certificate kept in the data folder (created once)."));
    const QCommandLineOption tokenOption(QStringLiteral("token"),
                                         QStringLiteral("Password clients must give in hello."),
                                         QStringLiteral("secret"));
    const QCommandLineOption tokenFileOption(
        QStringLiteral("token-file"), QStringLiteral("File holding the password (first line)."),
        QStringLiteral("file"));
    const QCommandLineOption originOption(
        QStringLiteral("allow-origin"),
        QStringLiteral("Web origin allowed besides the server's own (repeatable; null for pages "
                       "opened from files, * for any)."),
        QStringLiteral("origin"));
    const QCommandLineOption allowHostOption(
        QStringLiteral("allow-host"),
        QStringLiteral("Host name the server answers to besides its own names and addresses "
                       "(repeatable; * for any, behind a reverse proxy that checks it)."),
        QStringLiteral("name"));
    const QCommandLineOption maxConnectionsOption(
        QStringLiteral("max-connections"),
        QStringLiteral("Connections at once (default 10000; 0: no limit)."), QStringLiteral("n"));
    const QCommandLineOption maxPerIpOption(
        QStringLiteral("max-per-ip"),
        QStringLiteral("Connections from one address (default 256; 0: no limit)."),
        QStringLiteral("n"));
    const QCommandLineOption maxRoomsOption(QStringLiteral("max-rooms"),
                                            QStringLiteral("Rooms open at once (default 10000)."),
                                            QStringLiteral("n"));
    const QCommandLineOption maxUserRoomsOption(
        QStringLiteral("max-rooms-per-user"),
        QStringLiteral("Rooms one user may be in (default 100)."), QStringLiteral("n"));
    const QCommandLineOption maxQueuedOption(
        QStringLiteral("max-queued-bytes"),
        QStringLiteral(
            "Unsent bytes before a client that does not read is dropped (default 4 MiB)."),
        QStringLiteral("bytes"));
    const QCommandLineOption identifyTimeoutOption(
        QStringLiteral("identify-timeout"),
        QStringLiteral("With a password: ms to identify before being closed (default 10000)."),
        QStringLiteral("ms"));
    const QCommandLineOption conformanceOption(
        QStringLiteral("socketio-conformance"),
        QStringLiteral("Tests only: behave as the Socket.IO and Engine.IO test suites' server "
                       "(echo handlers, short ping times, no chat over Socket.IO)."));
    parser.addOption(conformanceOption);
    const QCommandLineOption metricsListenOption(
        QStringLiteral("metrics-listen"),
        QStringLiteral("Serve /metrics (Prometheus) on this address only, not on the chat port "
                       "(for example 127.0.0.1:9101)."),
        QStringLiteral("address:port"));
    parser.addOption(metricsListenOption);
    const QCommandLineOption announceOption(
        QStringLiteral("announce"),
        QStringLiteral("Announce the server on the LAN (DNS-SD/mDNS through Avahi): on or off "
                       "(default on)."),
        QStringLiteral("on|off"));
    const QCommandLineOption announceNameOption(
        QStringLiteral("announce-name"),
        QStringLiteral("The name people see in their client's list of servers (default: "
                       "LAN chat on <host name>)."),
        QStringLiteral("name"));
    parser.addOptions({announceOption, announceNameOption});
    const QCommandLineOption compressionOption(
        QStringLiteral("compression"),
        QStringLiteral("Accept permessage-deflate from WebSocket clients that offer it: messages "
                       "of 1 KiB and more go compressed (default on)."),
        QStringLiteral("on|off"));
    parser.addOption(compressionOption);
    parser.addOptions({tlsCertOption, tlsKeyOption, tlsSelfSignedOption, tokenOption,
                       tokenFileOption, originOption, allowHostOption, maxConnectionsOption,
                       maxPerIpOption, maxRoomsOption, maxUserRoomsOption, maxQueuedOption,
                       identifyTimeoutOption});
    const QCommandLineOption authOption(
        QStringLiteral("auth"),
        QStringLiteral("open: anyone may take any free name (the default); accounts: registered "
                       "names belong to their owners, who sign in with a password; jwt: names "
                       "come from the organisation's single sign-on; accounts,jwt: both "
                       "(docs/security.md)."),
        QStringLiteral("open|accounts|jwt|accounts,jwt"));
    const QCommandLineOption jwtSecretOption(
        QStringLiteral("jwt-secret-file"),
        QStringLiteral("With --auth jwt: the HS256 secret (the file's bytes, at least 32)."),
        QStringLiteral("file"));
    const QCommandLineOption jwtKeyOption(
        QStringLiteral("jwt-public-key"),
        QStringLiteral("With --auth jwt: the single sign-on's public key (PEM): RS256 for RSA, "
                       "ES256 for P-256."),
        QStringLiteral("file"));
    const QCommandLineOption jwtIssuerOption(QStringLiteral("jwt-issuer"),
                                             QStringLiteral("With --auth jwt: the iss tokens "
                                                            "must carry."),
                                             QStringLiteral("issuer"));
    const QCommandLineOption jwtAudienceOption(QStringLiteral("jwt-audience"),
                                               QStringLiteral("With --auth jwt: the aud tokens "
                                                              "must carry."),
                                               QStringLiteral("audience"));
    const QCommandLineOption jwtNameOption(
        QStringLiteral("jwt-name-claim"),
        QStringLiteral("With --auth jwt: the claim with the user's name (default "
                       "preferred_username, then sub)."),
        QStringLiteral("claim"));
    parser.addOptions(
        {jwtSecretOption, jwtKeyOption, jwtIssuerOption, jwtAudienceOption, jwtNameOption});
    const QCommandLineOption registrationOption(
        QStringLiteral("registration"),
        QStringLiteral("With --auth accounts, who may register: open (anyone), invite (with a "
                       "link from `chat-server invite create`, the default) or admin (only "
                       "`chat-server user add`)."),
        QStringLiteral("open|invite|admin"));
    const QCommandLineOption guestsOption(
        QStringLiteral("guests"),
        QStringLiteral("With --auth accounts, let people who are not signed in chat too, shown "
                       "as \"Name (guest)\" (default off)."),
        QStringLiteral("on|off"));
    const QCommandLineOption tokenDaysOption(
        QStringLiteral("sign-in-days"),
        QStringLiteral("With --auth accounts, days a sign-in lasts on a device (default 30)."),
        QStringLiteral("days"));
    parser.addOptions({authOption, registrationOption, guestsOption, tokenDaysOption});
    parser.addOption(pagesOption);
    parser.addOptions({webRootOption, hostOption, portOption, dbOption, storeOption, busOption,
                       nodeIdOption, logOption, configOption, maxBytesOption, retainCountOption,
                       retainDaysOption, durabilityOption});
    QList<QCommandLineOption> ints;
    for (const IntOption &o : intOptions)
        ints.append(QCommandLineOption(QLatin1String(o.name), QLatin1String(o.description),
                                       QStringLiteral("n")));
    QList<QCommandLineOption> limits;
    for (const LimitOption &o : limitOptions)
        limits.append(QCommandLineOption(QLatin1String(o.name), QLatin1String(o.description),
                                         QStringLiteral("n")));
    parser.addOptions(ints);
    parser.addOptions(limits);

    if (!parser.parse(arguments)) {
        result.error = parser.errorText();
        return result;
    }
    if (parser.isSet(helpOption)) {
        result.helpText = parser.helpText();
        return result;
    }
    if (parser.isSet(versionOption)) {
        result.versionText = c.serverName;
        return result;
    }
    result.arguments = arguments;
    const QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty()) {
        const QString &command = positional.constFirst();
        if (command == QLatin1String("backup") && positional.size() == 2) {
            result.command = ParseResult::Command::Backup;
            result.commandArgument = positional.at(1);
        } else if (command == QLatin1String("check") && positional.size() == 1) {
            result.command = ParseResult::Command::Check;
        } else if (command == QLatin1String("user") || command == QLatin1String("invite")) {
            result.command = command == QLatin1String("user") ? ParseResult::Command::User
                                                              : ParseResult::Command::Invite;
            result.commandArguments = positional.mid(1);
        } else if (command == QLatin1String("backup")) {
            result.error = QStringLiteral("backup takes one argument: the file to write");
            return result;
        } else {
            result.error = QStringLiteral("unexpected argument %1").arg(command);
            return result;
        }
    }

    std::unique_ptr<QSettings> ini;
    if (parser.isSet(configOption)) {
        const QString file = parser.value(configOption);
        if (!QFileInfo(file).isReadable()) {
            result.error = QStringLiteral("cannot read the config file %1").arg(file);
            return result;
        }
        ini = std::make_unique<QSettings>(file, QSettings::IniFormat);
        if (ini->status() != QSettings::NoError) {
            result.error = QStringLiteral("the config file %1 is not valid INI").arg(file);
            return result;
        }
        result.configFile = file;
        // A key misspelt in the file would be ignored without a word.
        QStringList known;
        for (const QCommandLineOption &o : {hostOption,
                                            portOption,
                                            dbOption,
                                            storeOption,
                                            busOption,
                                            nodeIdOption,
                                            logOption,
                                            maxBytesOption,
                                            retainCountOption,
                                            retainDaysOption,
                                            durabilityOption,
                                            webRootOption,
                                            pagesOption,
                                            rateOption,
                                            burstOption,
                                            retentionIntervalOption,
                                            tlsCertOption,
                                            tlsKeyOption,
                                            tlsSelfSignedOption,
                                            tokenOption,
                                            tokenFileOption,
                                            originOption,
                                            allowHostOption,
                                            maxConnectionsOption,
                                            maxPerIpOption,
                                            maxRoomsOption,
                                            maxUserRoomsOption,
                                            maxQueuedOption,
                                            identifyTimeoutOption,
                                            metricsListenOption,
                                            announceOption,
                                            announceNameOption,
                                            compressionOption,
                                            authOption,
                                            registrationOption,
                                            guestsOption,
                                            tokenDaysOption,
                                            jwtSecretOption,
                                            jwtKeyOption,
                                            jwtIssuerOption,
                                            jwtAudienceOption,
                                            jwtNameOption})
            known += o.names();
        for (const QCommandLineOption &o : std::as_const(ints))
            known += o.names();
        for (const QCommandLineOption &o : std::as_const(limits))
            known += o.names();
        for (const QString &key : ini->allKeys()) {
            // QSettings reads "#key=value" as a key: for the admin it is a comment.
            if (!known.contains(key) && !key.startsWith(QLatin1Char('#'))) {
                result.error = QStringLiteral("unknown setting %1 in %2").arg(key, file);
                return result;
            }
        }
    }
    // The command line first, then the INI file.
    auto value = [&](const QCommandLineOption &option) -> std::optional<QString> {
        if (parser.isSet(option))
            return parser.value(option);
        const QString key = option.names().constFirst();
        if (ini && ini->contains(key))
            return ini->value(key).toString();
        return std::nullopt;
    };
    auto number
        = [&](const QCommandLineOption &option, qint64 minimum, qint64 maximum, auto &target) {
              const auto text = value(option);
              if (!text)
                  return true;
              bool ok = false;
              const qint64 n = text->toLongLong(&ok);
              if (!ok || n < minimum || n > maximum) {
                  result.error = QStringLiteral("--%1 must be a number from %2 to %3")
                                     .arg(option.names().constFirst())
                                     .arg(minimum)
                                     .arg(maximum);
                  return false;
              }
              target = static_cast<std::decay_t<decltype(target)>>(n);
              return true;
          };
    auto onOff = [&](const QCommandLineOption &option, bool &target) {
        const auto text = value(option);
        if (!text)
            return true;
        if (*text != QLatin1String("on") && *text != QLatin1String("off")) {
            result.error
                = QStringLiteral("--%1 must be on or off").arg(option.names().constFirst());
            return false;
        }
        target = *text == QLatin1String("on");
        return true;
    };

    if (const auto host = value(hostOption)) {
        if (*host == QLatin1String("localhost"))
            c.host = QHostAddress::LocalHost;
        else if (!c.host.setAddress(*host)) {
            result.error = QStringLiteral("--host: %1 is not an IP address").arg(*host);
            return result;
        }
    }
    if (!number(portOption, 0, 65535, c.port)
        || !number(maxBytesOption, 1024, 64 * 1024 * 1024, c.limits.maxMessageBytes))
        return result;
    for (qsizetype i = 0; i < ints.size(); ++i) {
        if (!number(ints.at(i), intOptions[i].minimum, 24 * 3600 * 1000, c.*(intOptions[i].field)))
            return result;
    }
    for (qsizetype i = 0; i < limits.size(); ++i) {
        if (!number(limits.at(i), limitOptions[i].minimum, 1000000,
                    c.limits.*(limitOptions[i].field)))
            return result;
    }
    if (!number(rateOption, 0, 100000, c.limits.ratePerSecond)
        || !number(burstOption, 1, 100000, c.limits.rateBurst))
        return result;
    if (!number(retentionIntervalOption, 100, 24 * 3600 * 1000, c.retention.intervalMs))
        return result;
    int retainDays = int(c.retention.maxAgeMs / (24LL * 3600 * 1000));
    if (!number(retainCountOption, 0, 1000000000, c.retention.maxMessagesPerRoom)
        || !number(retainDaysOption, 0, 100000, retainDays))
        return result;
    c.retention.maxAgeMs = qint64(retainDays) * 24 * 3600 * 1000;
    if (const auto durability = value(durabilityOption)) {
        if (*durability == QLatin1String("full"))
            c.durability = Durability::Full;
        else if (*durability != QLatin1String("normal")) {
            result.error = QStringLiteral("--durability must be normal or full");
            return result;
        }
    }
    if (!number(maxConnectionsOption, 0, 1000000, c.door.maxConnections)
        || !number(maxPerIpOption, 0, 1000000, c.door.maxPerAddress)
        || !number(maxRoomsOption, 1, 10000000, c.access.maxRooms)
        || !number(maxUserRoomsOption, 1, 100000, c.access.maxRoomsPerUser)
        || !number(maxQueuedOption, 64 * 1024, qint64(1) << 34, c.access.maxQueuedBytes)
        || !number(identifyTimeoutOption, 100, 3600 * 1000, c.access.identifyTimeoutMs))
        return result;
    if (const auto listen = value(metricsListenOption)) {
        const qsizetype colon = listen->lastIndexOf(QLatin1Char(':'));
        QString address = listen->left(colon);
        if (address.startsWith(QLatin1Char('[')) && address.endsWith(QLatin1Char(']')))
            address = address.mid(1, address.size() - 2);
        bool ok = colon > 0;
        const uint port = ok ? listen->mid(colon + 1).toUInt(&ok) : 0;
        if (address == QLatin1String("localhost"))
            c.metricsHost = QHostAddress::LocalHost;
        else if (ok)
            ok = c.metricsHost.setAddress(address);
        if (!ok || port > 65535) {
            result.error = QStringLiteral("--metrics-listen must be address:port, "
                                          "as 127.0.0.1:9101 or [::1]:9101");
            return result;
        }
        c.metricsOwnAddress = true;
        c.metricsPort = quint16(port);
    }
    if (const auto auth = value(authOption)) {
        const QStringList modes = auth->split(QLatin1Char(','));
        for (const QString &mode : modes) {
            if (mode == QLatin1String("accounts"))
                c.authAccounts = true;
            else if (mode == QLatin1String("jwt"))
                c.authJwt = true;
            else if (mode != QLatin1String("open") || modes.size() > 1) {
                result.error = QStringLiteral("--auth must be open, accounts, jwt or accounts,jwt");
                return result;
            }
        }
    }
    c.jwtSecretFile = value(jwtSecretOption).value_or(QString());
    c.jwtPublicKeyFile = value(jwtKeyOption).value_or(QString());
    c.jwtIssuer = value(jwtIssuerOption).value_or(QString());
    c.jwtAudience = value(jwtAudienceOption).value_or(QString());
    c.jwtNameClaim = value(jwtNameOption).value_or(c.jwtNameClaim);
    if (c.authJwt && c.jwtSecretFile.isEmpty() == c.jwtPublicKeyFile.isEmpty()) {
        result.error = QStringLiteral(
            "--auth jwt needs --jwt-secret-file (HS256) or --jwt-public-key (RS256, ES256)");
        return result;
    }
    if (const auto registration = value(registrationOption)) {
        if (*registration != QLatin1String("open") && *registration != QLatin1String("invite")
            && *registration != QLatin1String("admin")) {
            result.error = QStringLiteral("--registration must be open, invite or admin");
            return result;
        }
        c.registration = *registration;
    }
    if (!onOff(guestsOption, c.guests))
        return result;
    if (!number(tokenDaysOption, 1, 3650, c.tokenLifetimeDays))
        return result;
    if (!onOff(announceOption, c.announce) || !onOff(compressionOption, c.door.deflate))
        return result;
    c.announceName = value(announceNameOption).value_or(QString()).trimmed();
    if (c.announceName.toUtf8().size() > 63) {
        // A DNS label (RFC 6763 4.1.1).
        result.error = QStringLiteral("--announce-name: at most 63 bytes");
        return result;
    }
    if (c.announceName.isEmpty())
        c.announceName = QStringLiteral("LAN chat on %1").arg(QSysInfo::machineHostName()).left(63);
    c.socketIoConformance = parser.isSet(conformanceOption);
    c.tlsCert = value(tlsCertOption).value_or(QString());
    c.tlsKey = value(tlsKeyOption).value_or(QString());
    c.tlsSelfSigned = parser.isSet(tlsSelfSignedOption)
        || (ini && ini->value(QStringLiteral("tls-self-signed")).toBool());
    if (c.tlsCert.isEmpty() != c.tlsKey.isEmpty()) {
        result.error = QStringLiteral("--tls-cert and --tls-key go together");
        return result;
    }
    c.access.token = value(tokenOption).value_or(QString());
    if (const auto file = value(tokenFileOption)) {
        QFile f(*file);
        if (!f.open(QIODevice::ReadOnly)) {
            result.error = QStringLiteral("cannot read the token file %1").arg(*file);
            return result;
        }
        c.access.token = QString::fromUtf8(f.readLine()).trimmed();
        if (c.access.token.isEmpty()) {
            result.error = QStringLiteral("the token file %1 is empty").arg(*file);
            return result;
        }
    }
    c.allowedOrigins = parser.values(originOption);
    if (ini && ini->contains(QStringLiteral("allow-origin")))
        c.allowedOrigins += ini->value(QStringLiteral("allow-origin"))
                                .toString()
                                .split(QLatin1Char(','), Qt::SkipEmptyParts);
    c.allowedHosts = parser.values(allowHostOption);
    if (ini && ini->contains(QStringLiteral("allow-host")))
        c.allowedHosts += ini->value(QStringLiteral("allow-host"))
                              .toString()
                              .split(QLatin1Char(','), Qt::SkipEmptyParts);
    c.dbPath = value(dbOption).value_or(QString());
    if (const auto store = value(storeOption)) {
        if (store->startsWith(QLatin1String("sqlite:")) && store->size() > 7) {
            const QString path = store->mid(7);
            if (!c.dbPath.isEmpty() && c.dbPath != path) {
                result.error = QStringLiteral("--store and --db name different files");
                return result;
            }
            c.dbPath = path;
        } else if (PostgresMessageStore::isPostgresUrl(*store)) {
            QString why;
            const QUrl url(*store, QUrl::StrictMode);
            if (!PostgresMessageStore::validateUrl(url, &why)) {
                result.error = QStringLiteral("--store: ") + why;
                return result;
            }
            c.storeUrl = url; // instead of the SQLite file (--db only places local state)
        } else {
            result.error = QStringLiteral("--store must be sqlite:PATH or postgresql://...");
            return result;
        }
    }
    c.nodeId = value(nodeIdOption)
                   .value_or(QSysInfo::machineHostName() + QLatin1Char('-')
                             + QString::number(QCoreApplication::applicationPid()));
    if (c.nodeId.isEmpty() || c.nodeId.size() > 64
        || std::any_of(c.nodeId.cbegin(), c.nodeId.cend(),
                       [](QChar ch) { return ch.isSpace() || !ch.isPrint(); })) {
        result.error = QStringLiteral("--node-id: 1 to 64 printable characters, no spaces");
        return result;
    }
    if (const auto bus = value(busOption); bus && *bus != QLatin1String("local")) {
        const QUrl url(*bus, QUrl::StrictMode);
        if (!url.isValid() || url.scheme() != QLatin1String("redis") || url.host().isEmpty()
            || (!url.path().isEmpty() && url.path() != QLatin1String("/")) || url.hasQuery()) {
            result.error = QStringLiteral("--bus must be local or redis://HOST[:PORT]");
            return result;
        }
        if (c.storeUrl.isEmpty()) {
            result.error = QStringLiteral(
                "--bus redis:// is for servers sharing a PostgreSQL store (--store postgresql://)");
            return result;
        }
        c.busUrl = url;
    }
    c.webRoot = value(webRootOption).value_or(QString());
    if (!c.webRoot.isEmpty()
        && !QFileInfo(c.webRoot + QStringLiteral("/index.html")).isReadable()) {
        result.error = QStringLiteral("--web-root: no index.html in %1").arg(c.webRoot);
        return result;
    }
    c.pagesRoot = value(pagesOption).value_or(QString());
    if (!c.pagesRoot.isEmpty() && !QFileInfo(c.pagesRoot).isDir()) {
        result.error = QStringLiteral("--pages: %1 is not a folder").arg(c.pagesRoot);
        return result;
    }
    c.log = value(logOption).value_or(QString());
    return result;
}

} // namespace Chat
