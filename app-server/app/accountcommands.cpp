// Account administration from the shell (accountcommands.h).
#include "accountcommands.h"

#include "accountservice.h"
#include "accountstore.h"
#include "passwords.h"
#include "postgresmessagestore.h"
#include "sqlitemessagestore.h"
#include "validation.h"

#include <QDateTime>
#include <QSysInfo>
#include <QTextStream>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace Chat {

namespace {
constexpr auto Usage
    = "usage: chat-server [--db FILE | --store URL] user add NAME [member|moderator|admin]\n"
      "       chat-server user passwd NAME | role NAME ROLE | disable NAME | enable NAME | list\n"
      "       chat-server invite create [USES [DAYS]]\n"
      "A password is read from standard input.\n";

// One line from standard input; on a terminal, asked for without echo.
QString readPassword(QTextStream &err, const char *prompt)
{
    const bool terminal = isatty(STDIN_FILENO) != 0;
    termios saved {};
    if (terminal) {
        err << prompt << Qt::flush;
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    QTextStream in(stdin);
    QString line = in.readLine();
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        err << '\n';
    }
    return line;
}

std::unique_ptr<MessageStore> openStore(const ServerConfig &config, QString *error)
{
    std::unique_ptr<MessageStore> store;
    if (config.storeUrl.isEmpty()) {
        const QString path
            = config.dbPath.isEmpty() ? SqliteMessageStore::defaultPath() : config.dbPath;
        // A second connection, as the server's writer has: no checkpointer of its own.
        store = SqliteMessageStore(path, config.durability).sibling();
    } else {
        store = std::make_unique<PostgresMessageStore>(config.storeUrl);
    }
    if (!store->open(error))
        return nullptr;
    return store;
}

QString checkedName(const QString &given, QTextStream &err)
{
    const QString name = given.trimmed();
    QString problem = Validation::usernameProblem(given);
    if (problem.isEmpty())
        problem = AccountService::reservedNameProblem(name);
    if (!problem.isEmpty()) {
        err << "chat-server user: " << problem << '\n';
        return {};
    }
    return name;
}

int userCommand(const QStringList &args, AccountStore &accounts, QTextStream &out, QTextStream &err)
{
    const QString verb = args.value(0);
    auto needs = [&](qsizetype count) {
        if (args.size() == count)
            return true;
        err << Usage;
        return false;
    };
    auto result = [&](AccountStore::Result r, const QString &name, const char *done) {
        switch (r) {
        case AccountStore::Result::Done:
            out << "chat-server user: " << name << ' ' << done << '\n';
            return 0;
        case AccountStore::Result::Exists:
            err << "chat-server user: " << name << " exists already\n";
            return 1;
        case AccountStore::Result::NotFound:
            err << "chat-server user: no account " << name << '\n';
            return 1;
        case AccountStore::Result::Failed:
            break;
        }
        err << "chat-server user: the store failed (see the log above)\n";
        return 1;
    };
    auto newPassword = [&](QString *hash) {
        QString password = readPassword(err, "New password: ");
        if (password.size() < 8) {
            Passwords::wipe(password);
            err << "chat-server user: a password needs at least 8 characters (one line on "
                   "standard input)\n";
            return false;
        }
        *hash = Passwords::hash(password);
        Passwords::wipe(password);
        if (hash->isEmpty()) {
            err << "chat-server user: hashing failed (out of memory?)\n";
            return false;
        }
        return true;
    };

    if (verb == QLatin1String("list")) {
        if (!needs(1))
            return 2;
        const auto list = accounts.list();
        if (!list) {
            err << "chat-server user: the store failed\n";
            return 1;
        }
        for (const Account &a : *list) {
            out << a.name << '\t' << roleName(a.role) << '\t'
                << (a.disabled ? "disabled" : "enabled") << '\t' << formatTimestamp(a.createdMs)
                << '\n';
        }
        out << list->size() << (list->size() == 1 ? " account\n" : " accounts\n");
        return 0;
    }
    if (verb == QLatin1String("add")) {
        if (args.size() != 2 && args.size() != 3) {
            err << Usage;
            return 2;
        }
        const QString name = checkedName(args.at(1), err);
        const auto role = roleFromName(args.value(2, QStringLiteral("member")));
        if (name.isEmpty())
            return 2;
        if (!role) {
            err << "chat-server user: a role is member, moderator or admin\n";
            return 2;
        }
        Account account;
        account.name = name;
        account.key = Validation::usernameKey(name);
        account.role = *role;
        account.createdMs = QDateTime::currentMSecsSinceEpoch();
        if (!newPassword(&account.passwordHash))
            return 2;
        return result(accounts.create(account), name,
                      role == Role::Member
                          ? "added"
                          : (role == Role::Admin ? "added (admin)" : "added (moderator)"));
    }
    if (verb == QLatin1String("passwd")) {
        if (!needs(2))
            return 2;
        const QString key = Validation::usernameKey(args.at(1));
        if (!accounts.find(key)) {
            err << "chat-server user: no account " << args.at(1) << '\n';
            return 1;
        }
        QString hash;
        if (!newPassword(&hash))
            return 2;
        return result(accounts.setPassword(key, hash), args.at(1),
                      "has a new password; every device of it is signed out");
    }
    if (verb == QLatin1String("role")) {
        if (!needs(3))
            return 2;
        const auto role = roleFromName(args.at(2));
        if (!role) {
            err << "chat-server user: a role is member, moderator or admin\n";
            return 2;
        }
        return result(accounts.setRole(Validation::usernameKey(args.at(1)), *role), args.at(1),
                      "has the new role");
    }
    if (verb == QLatin1String("disable") || verb == QLatin1String("enable")) {
        if (!needs(2))
            return 2;
        const bool disable = verb == QLatin1String("disable");
        return result(accounts.setDisabled(Validation::usernameKey(args.at(1)), disable),
                      args.at(1),
                      disable ? "is disabled; every device of it is signed out" : "is enabled");
    }
    err << Usage;
    return 2;
}

int inviteCommand(const QStringList &args, const ServerConfig &config, AccountStore &accounts,
                  QTextStream &out, QTextStream &err)
{
    if (args.value(0) != QLatin1String("create") || args.size() > 3) {
        err << Usage;
        return 2;
    }
    bool ok = true;
    const int uses = args.size() > 1 ? args.at(1).toInt(&ok) : 1;
    bool daysOk = true;
    const int days = args.size() > 2 ? args.at(2).toInt(&daysOk) : 7;
    if (!ok || !daysOk || uses < 1 || uses > 10000 || days < 1 || days > 365) {
        err << "chat-server invite: USES is 1-10000 (default 1), DAYS 1-365 (default 7)\n";
        return 2;
    }
    const QString code = Passwords::randomToken(18);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 expires = now + qint64(days) * 24 * 3600 * 1000;
    if (!accounts.addInvite(Passwords::tokenHash(code), QStringLiteral("shell"), now, expires,
                            uses)) {
        err << "chat-server invite: the store failed\n";
        return 1;
    }
    const bool tls = !config.tlsCert.isEmpty() || config.tlsSelfSigned;
    const QString host = QSysInfo::machineHostName().isEmpty() ? QStringLiteral("localhost")
                                                               : QSysInfo::machineHostName();
    out << (tls ? "https://" : "http://") << host << ':' << config.port << "/#invite=" << code
        << '\n';
    err << "chat-server invite: " << uses << (uses == 1 ? " use" : " uses") << ", until "
        << formatTimestamp(expires) << " (" << config.registration
        << " registration on the server: the link works with --registration invite or open)\n";
    return 0;
}
} // namespace

int runAccountCommand(const ServerConfig::ParseResult &parsed, QTextStream &out, QTextStream &err)
{
    if (parsed.commandArguments.isEmpty()) {
        err << Usage;
        return 2;
    }
    if (!Passwords::initialize()) {
        err << "chat-server: libsodium cannot start\n";
        return 1;
    }
    QString error;
    const std::unique_ptr<MessageStore> store = openStore(parsed.config, &error);
    if (!store) {
        err << "chat-server: cannot open the store: " << error << '\n';
        return 1;
    }
    AccountStore accounts(*store);
    if (parsed.command == ServerConfig::ParseResult::Command::Invite)
        return inviteCommand(parsed.commandArguments, parsed.config, accounts, out, err);
    return userCommand(parsed.commandArguments, accounts, out, err);
}

} // namespace Chat
