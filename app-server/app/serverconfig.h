// chat-server's settings: command line, optional INI file, defaults.
#pragma once

#include "chatlimits.h"
#include "frontdoorlimits.h"
#include "protocollimits.h"
#include "storeoptions.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace Chat {

struct ServerConfig
{
    QHostAddress host = QHostAddress::Any;
    quint16 port = 8080;
    QString dbPath; // empty: the platform's app-data folder
    QUrl storeUrl; // postgresql://...; empty: SQLite at dbPath
    QUrl busUrl; // redis://HOST[:PORT]; empty: this server alone (InProcessBus)
    QString nodeId; // this server among those sharing a store: unique; default host-pid
    QString log;
    QString webRoot; // empty: the browser client compiled into the binary
    QString pagesRoot; // empty: no /pages/ (the documents' pages, with inline scripts)
    ProtocolLimits limits;
    FloodLimits flood;
    AccessLimits access;
    FrontDoorLimits door;
    QString tlsCert;
    QString tlsKey;
    bool tlsSelfSigned = false;
    bool socketIoConformance = false; // tests only: the official suites' echo server
    QStringList allowedOrigins;
    QStringList allowedHosts; // besides the machine's own names and any address
    int handshakeTimeoutMs = 5000;
    int pingIntervalMs = 20000;
    int idleTimeoutMs = 60000;
    int maxPendingConnections = 4096;
    int maxHeadBytes = 16 * 1024;
    int resumeGraceMs = 30000;
    int socketIoPingIntervalMs = 25000; // Engine.IO's own heartbeat, as the reference server's
    int socketIoPingTimeoutMs = 20000;
    // --auth: open (anyone takes any free name: the default), accounts
    // (registered names with passwords), jwt (names from the organisation's
    // single sign-on), or accounts,jwt; docs/security.md.
    bool authAccounts = false;
    bool authJwt = false;
    bool authOpen() const { return !authAccounts && !authJwt; }
    QString jwtSecretFile; // HS256
    QString jwtPublicKeyFile; // RS256 or ES256
    QString jwtIssuer;
    QString jwtAudience;
    QString jwtNameClaim = QStringLiteral("preferred_username");
    QString registration = QStringLiteral("invite"); // open | invite | admin
    bool guests = false; // accounts: unregistered users too, as "Name (guest)"
    int tokenLifetimeDays = 30;
    RetentionPolicy retention;
    Durability durability = Durability::Normal;
    QString serverName;
    // DNS-SD/mDNS through Avahi (_lanchat._tcp), under this name.
    bool announce = true;
    QString announceName; // empty: "LAN chat on <host name>"
    // /metrics on an address of its own, and then not on the chat port (port 0: a free one).
    bool metricsOwnAddress = false;
    QHostAddress metricsHost;
    quint16 metricsPort = 0;

    struct ParseResult;
    // arguments[0] is the program name, as in QCoreApplication::arguments().
    static ParseResult parse(const QStringList &arguments);
};

struct ServerConfig::ParseResult
{
    ServerConfig config;
    QString error; // non-empty: refuse to start, say why
    QString helpText; // non-empty: --help was given
    QString versionText; // non-empty: --version was given
    // An admin command instead of the server: `chat-server backup FILE`, `chat-server check`.
    // `chat-server user add|passwd|role|enable|disable|list ...`, `chat-server invite create ...`.
    enum class Command : quint8 { Serve, Backup, Check, User, Invite };
    Command command = Command::Serve;
    QString commandArgument; // backup: the file to write
    QStringList commandArguments; // user, invite: what follows the command's name
    QString configFile; // --config, read again on SIGHUP
    QStringList arguments; // as given, parsed again on SIGHUP
};

} // namespace Chat
