// chat-client start-up: command line, language, login, main window.
#include "clientmain.h"

#include "certificatepins.h"
#include "chatclient.h"
#include "clientsettings.h"
#include "logging.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "roomlistmodel.h"
#include "sessionprompts.h"
#include "validation.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLibraryInfo>
#include <QLineEdit>
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
    parser.addOptions({serverOption, userOption, roomOption, langOption, logOption});
    parser.process(app); // --help and --version exit here

    QTextStream err(stderr);
    if (!applyLogSetting(parser.value(logOption))) {
        err << "chat-client: --log: not a level or logging rules\n";
        return 2;
    }
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
    const bool scripted = parser.isSet(serverOption) && parser.isSet(userOption);
    if (!scripted) {
        LoginDialog login;
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
    MainWindow window(&client);
    QObject::connect(&window, &MainWindow::preferencesChanged, &window, [&settings, &client] {
        settings.setNotifications(client.notificationSettings());
    });
    if (const QByteArray geometry = settings.windowGeometry(); !geometry.isEmpty())
        window.restoreGeometry(geometry);
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
    client.start(server, user, rooms, token);
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
        client.connection()->disconnectFromServer();
    });
    return app.exec();
}

} // namespace Chat
