// chat-client start-up: command line, language, login, main window.
#include "clientmain.h"

#include "accountkeychain.h"

#include "autostart.h"
#include "desktopnotifications.h"
#include "singleinstance.h"

#include "certificatepins.h"
#include "chatclient.h"
#include "clientlogging.h"
#include "clientsettings.h"
#include "logging.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "notifier.h"
#include "roomlistmodel.h"
#include "serverbrowser.h"
#include "sessionprompts.h"
#include "validation.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QStatusBar>
#include <QTextStream>
#include <QTranslator>

namespace Chat {

bool installTranslations(QApplication &app, const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    QLocale::setDefault(locale);
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(qt);
    auto *ours = new QTranslator(&app);
    const bool found
        = ours->load(locale, QStringLiteral("chat"), QStringLiteral("_"), QStringLiteral(":/i18n"));
    // English is the source language; its file only has the plural forms.
    if (found || ours->load(QStringLiteral("chat_en"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(ours);
    else
        delete ours;
    return found;
}

int runClient(QApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("LAN chat desktop client."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption serverOption(QStringLiteral("server"),
                                          QStringLiteral("Server URL, e.g. ws://host:8080."),
                                          QStringLiteral("url"));
    const QCommandLineOption userOption(QStringLiteral("user"), QStringLiteral("Your name."),
                                        QStringLiteral("name"));
    const QCommandLineOption roomOption(QStringLiteral("room"),
                                        QStringLiteral("Room to join (may be repeated)."),
                                        QStringLiteral("name"));
    const QCommandLineOption langOption(
        QStringLiteral("lang"), QStringLiteral("Language, e.g. ms or de (default: the system's)."),
        QStringLiteral("code"));
    const QCommandLineOption logOption(QStringLiteral("log"),
                                       QStringLiteral("Log level or Qt logging rules."),
                                       QStringLiteral("level"));
    const QCommandLineOption autostartOption(
        QStringLiteral("autostart"),
        QStringLiteral("Started with the session: sign in as last time without asking, and "
                       "stay in the tray if the window was set to close to it."));
    parser.addOptions(
        {serverOption, userOption, roomOption, langOption, logOption, autostartOption});
    parser.process(app); // --help and --version exit here

    QTextStream err(stderr);
    if (!applyLogSetting(parser.value(logOption))) {
        err << "chat-client: --log: not a level or logging rules\n";
        return 2;
    }
    // A second start of the same profile shows the running client instead.
    SingleInstance instance(parser.isSet(serverOption) || parser.isSet(userOption)
                                ? parser.value(serverOption) + QLatin1Char('\n')
                                    + parser.value(userOption)
                                : QString());
    if (!instance.claim())
        return 0;
    installTranslations(app, parser.value(langOption));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/lanchat.svg")));

    ClientSettings settings;
    QUrl server = parser.isSet(serverOption) ? QUrl(parser.value(serverOption)) : settings.server();
    QString user
        = parser.isSet(userOption) ? parser.value(userOption).trimmed() : settings.username();
    QString token = settings.token();
    if (parser.isSet(serverOption) && (!server.isValid() || server.host().isEmpty())) {
        err << "chat-client: --server: not a ws:// or wss:// URL\n";
        return 2;
    }
    if (parser.isSet(userOption) && !Validation::usernameProblem(user).isEmpty()) {
        err << "chat-client: --user: " << Validation::usernameProblem(user) << '\n';
        return 2;
    }
    const bool autostarted = parser.isSet(autostartOption) && !user.isEmpty();
    const bool scripted = (parser.isSet(serverOption) && parser.isSet(userOption)) || autostarted;
    if (!scripted) {
        ServerBrowser lan; // the servers the LAN announces, listed as they come and go
        LoginDialog login(&lan);
        login.setServer(server);
        login.setUsername(user);
        login.setPassword(token);
        if (login.exec() != QDialog::Accepted)
            return 0;
        server = login.server();
        user = login.username();
        token = login.password();
    }
    settings.setServer(server);
    settings.setUsername(user);
    settings.setToken(token);

    ChatClient client;
    CertificatePins pins;
    client.connection()->setCertificatePins(&pins);
    client.connection()->outbox()->setStorageFile(settings.outboxFile(server, user));
    client.setNotificationSettings(settings.notifications());
    DesktopNotifications desktopNotifications;
    MainWindow window(&client, &desktopNotifications);
    window.setDesktopSettings(settings.desktop());
    QObject::connect(&window, &MainWindow::preferencesChanged, &window, [&] {
        settings.setNotifications(client.notificationSettings());
        if (!settings.setDesktop(window.desktopSettings(), QCoreApplication::applicationFilePath()))
            qCWarning(lcClientUi) << "cannot write the autostart entry" << Autostart::entryPath();
    });
    QObject::connect(&instance, &SingleInstance::raiseRequested, &window,
                     &MainWindow::bringToFront);
    if (const QByteArray geometry = settings.windowGeometry(); !geometry.isEmpty())
        window.restoreGeometry(geometry);
    window.restoreLayout(settings.windowLayout());
    const bool toTray = autostarted && window.desktopSettings().closeToTray
        && window.notifier()->trayIcon() != nullptr;
    if (!toTray)
        window.show();

    // A taken name, a wrong password, an unknown certificate: ask, without
    // stopping the event loop (sessionprompts.h).
    auto *prompts = new SessionPrompts(&client, &pins, &settings, &window);
    QObject::connect(prompts, &SessionPrompts::quitRequested, &app, &QApplication::quit,
                     Qt::QueuedConnection);

    const QStringList rooms
        = parser.isSet(roomOption) ? parser.values(roomOption) : settings.rooms();
    for (const QString &room : rooms)
        if (!Validation::roomProblem(room).isEmpty()) {
            err << "chat-client: --room " << room << ": " << Validation::roomProblem(room) << '\n';
            return 2;
        }
    const QStringList muted = settings.mutedRooms();
    // An accounts server's sign-in token is in the keychain, never the password:
    // read it first (its answer comes through the event loop), then connect.
    auto *keychain = new AccountKeychain(&window);
    // An account's password typed at the first start is never kept in the settings.
    QObject::connect(client.connection(), &ChatConnection::passwordWasAccountPassword, &window,
                     [&settings] { settings.setToken({}); });
    QObject::connect(
        client.connection(), &ChatConnection::accountTokenChanged, keychain,
        [keychain, server](const QString &newToken) { keychain->store(server, newToken); });
    QObject::connect(keychain, &AccountKeychain::unavailable, &window, [&window] {
        window.statusBar()->showMessage(
            MainWindow::tr("No keychain on this desktop: you will be asked for your password "
                           "the next time you start."),
            15000);
    });
    keychain->load(server, [&client, server, user, rooms, token](const QString &accountToken) {
        client.connection()->setAccountToken(accountToken);
        client.start(server, user, rooms, token);
    });
    for (const QString &room : muted)
        client.setMuted(room, true);

    QObject::connect(&app, &QApplication::aboutToQuit, &window, [&] {
        settings.setRooms(client.rooms()->names());
        QStringList mutedNow;
        for (const QString &room : client.rooms()->names())
            if (client.rooms()->isMuted(room))
                mutedNow.append(room);
        settings.setMutedRooms(mutedNow);
        settings.setWindowGeometry(window.saveGeometry());
        settings.setWindowLayout(window.saveLayout());
        client.connection()->disconnectFromServer();
    });
    return app.exec();
}

} // namespace Chat
