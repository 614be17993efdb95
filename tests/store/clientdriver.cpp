// chat-client-driver: the desktop client's state and connection (ChatClient,
// with its outbox, reconnection with backoff, resume and re-join with `since`)
// without its widgets, for tests that run it beside other clients and servers.
// One JSON object per line each way:
//   in:  {"send": TEXT}, {"view": true}, {"quit": true}
//   out: {"event": "online", "username": NAME}, {"event": "state", "state": S},
//        {"event": "message", "id", "username", "text", "clientId"},
//        {"event": "view", "ids": [...], "pending": N, "users": [...]}
//        (what the room's message list shows: confirmed ids in row order, the
//        number still pending, the user list), {"event": "problem", "text"}.
// Usage: chat-client-driver URL USERNAME ROOM
#include "chatclient.h"
#include "messagemodel.h"
#include "userlistmodel.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QUrl>

#include <cstdio>
#include <unistd.h>

using namespace Chat;

namespace {
void emitLine(const QJsonObject &object)
{
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

QJsonObject view(ChatClient &client, const QString &room)
{
    QJsonArray ids;
    int pending = 0;
    if (const MessageModel *model = client.messages(room)) {
        for (int row = 0; row < model->rowCount(); ++row) {
            const QModelIndex index = model->index(row);
            if (index.data(MessageModel::KindRole).value<MessageModel::Kind>()
                != MessageModel::Kind::Message)
                continue;
            if (index.data(MessageModel::StatusRole).value<MessageModel::Status>()
                == MessageModel::Status::Confirmed)
                ids.append(index.data(MessageModel::IdRole).toLongLong());
            else
                ++pending;
        }
    }
    return {{QStringLiteral("event"), QStringLiteral("view")},
            {QStringLiteral("ids"), ids},
            {QStringLiteral("pending"), pending},
            {QStringLiteral("users"), QJsonArray::fromStringList(client.users()->users())}};
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 4) {
        std::fprintf(stderr, "usage: chat-client-driver URL USERNAME ROOM\n");
        return 2;
    }
    const QUrl url(QString::fromLocal8Bit(argv[1]));
    const QString username = QString::fromLocal8Bit(argv[2]);
    const QString room = QString::fromLocal8Bit(argv[3]);

    ChatClient client;
    ChatConnection *connection = client.connection();
    QObject::connect(connection, &ChatConnection::identified, &app, [](const QString &name) {
        emitLine({{QStringLiteral("event"), QStringLiteral("online")},
                  {QStringLiteral("username"), name}});
    });
    QObject::connect(connection, &ChatConnection::stateChanged, &app,
                     [](ChatConnection::State state) {
                         emitLine({{QStringLiteral("event"), QStringLiteral("state")},
                                   {QStringLiteral("state"), int(state)}});
                     });
    QObject::connect(connection, &ChatConnection::messageReceived, &app, [](const ChatMessage &m) {
        emitLine({{QStringLiteral("event"), QStringLiteral("message")},
                  {QStringLiteral("id"), m.id},
                  {QStringLiteral("username"), m.username},
                  {QStringLiteral("text"), m.text},
                  {QStringLiteral("clientId"), m.clientId}});
    });
    QObject::connect(&client, &ChatClient::problem, &app, [](const QString &text) {
        emitLine(
            {{QStringLiteral("event"), QStringLiteral("problem")}, {QStringLiteral("text"), text}});
    });

    QByteArray input;
    QSocketNotifier stdinReady(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&stdinReady, &QSocketNotifier::activated, &app, [&] {
        char buffer[4096];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0) {
            app.quit(); // the test went away
            return;
        }
        input.append(buffer, qsizetype(n));
        qsizetype end;
        while ((end = input.indexOf('\n')) >= 0) {
            const QJsonObject command = QJsonDocument::fromJson(input.left(end)).object();
            input.remove(0, end + 1);
            if (command.contains(QLatin1String("send"))) {
                const QString problem
                    = client.sendText(command.value(QLatin1String("send")).toString());
                if (!problem.isEmpty())
                    emitLine({{QStringLiteral("event"), QStringLiteral("problem")},
                              {QStringLiteral("text"), problem}});
            } else if (command.contains(QLatin1String("view"))) {
                emitLine(view(client, room));
            } else if (command.contains(QLatin1String("quit"))) {
                connection->disconnectFromServer();
                app.quit();
            }
        }
    });

    client.start(url, username, {room});
    client.setCurrentRoom(room);
    return app.exec();
}
