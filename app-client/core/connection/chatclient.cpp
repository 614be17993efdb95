// Client state and notification decisions.
#include "chatclient.h"

#include "mentions.h"
#include "messagemodel.h"
#include "roomlistmodel.h"
#include "typingtracker.h"
#include "userlistmodel.h"
#include "validation.h"

#include <QDateTime>

namespace Chat {

ChatClient::ChatClient(QObject *parent)
    : QObject(parent)
    , m_connection(new ChatConnection(this))
    , m_rooms(new RoomListModel(this))
    , m_users(new UserListModel(this))
    , m_typing(new TypingTracker(this))
{
    connect(m_connection, &ChatConnection::roomJoined, this, &ChatClient::onRoomJoined);
    connect(m_connection, &ChatConnection::userJoined, this,
            [this](const QString &room, const QString &username, int) {
                onUserJoined(room, username);
            });
    connect(
        m_connection, &ChatConnection::userLeft, this,
        [this](const QString &room, const QString &username, int) { onUserLeft(room, username); });
    connect(m_connection, &ChatConnection::presenceChanged, this,
            [this](const QString &room, const QStringList &joined, const QStringList &left, int) {
                onPresence(room, joined, left);
            });
    connect(m_connection, &ChatConnection::messageReceived, this, &ChatClient::onMessage);
    connect(m_connection, &ChatConnection::historyReceived, this, &ChatClient::onHistory);
    connect(m_connection, &ChatConnection::sendFailed, this, &ChatClient::onSendFailed);
    connect(m_connection, &ChatConnection::accountEvent, this, &ChatClient::onAccountEvent);
    // A signed-in account's rooms from its other devices, and its direct
    // messages, which are always open.
    connect(m_connection, &ChatConnection::accountRoomsKnown, this,
            [this](const QStringList &rooms) {
                for (const QString &room : rooms) {
                    if (!m_rooms->contains(room))
                        joinRoom(room);
                }
            });
    connect(m_connection, &ChatConnection::roomsListed, this,
            [this](const QList<Reply::RoomInfo> &rooms) {
                for (const Reply::RoomInfo &r : rooms) {
                    if (r.with.isEmpty())
                        continue;
                    if (!m_rooms->contains(r.name))
                        joinRoom(r.name);
                    labelDirectMessage(r.name, r.with);
                }
            });
    connect(m_connection, &ChatConnection::typingChanged, m_typing, &TypingTracker::remoteTyping);
    connect(m_connection, &ChatConnection::identified, this, [this](const QString &name) {
        for (MessageModel *model : std::as_const(m_models))
            model->setOwnName(name);
    });
    connect(m_connection->outbox(), &Outbox::reloaded, this, &ChatClient::syncPendingRows);
    connect(m_typing, &TypingTracker::sendTyping, m_connection, &ChatConnection::sendTyping);
    connect(m_typing, &TypingTracker::typingUsersChanged, this,
            [this](const QString &room) { emit typingTextChanged(room, typingText(room)); });
}

ChatClient::~ChatClient() = default;

MessageModel *ChatClient::messages(const QString &room) const
{
    return m_models.value(room);
}

MessageModel *ChatClient::ensureModel(const QString &room)
{
    if (MessageModel *model = m_models.value(room))
        return model;
    auto *model = new MessageModel(room, this);
    model->setOwnName(m_connection->username());
    m_models.insert(room, model);
    // Messages waiting from an earlier run of the client are shown as pending.
    for (const OutboxItem &item : m_connection->outbox()->items()) {
        if (item.room == room)
            model->addPending(item.clientId, item.text, item.createdMs);
    }
    return model;
}

void ChatClient::syncPendingRows()
{
    // Another outbox (another name): its items are the pending rows now.
    QSet<QString> waiting;
    for (const OutboxItem &item : m_connection->outbox()->items())
        waiting.insert(item.clientId);
    for (MessageModel *model : std::as_const(m_models)) {
        const QStringList shown = model->pendingClientIds();
        for (const QString &id : shown) {
            if (!waiting.contains(id))
                model->removePending(id);
        }
        for (const OutboxItem &item : m_connection->outbox()->items()) {
            if (item.room == model->room() && !shown.contains(item.clientId))
                model->addPending(item.clientId, item.text, item.createdMs);
        }
    }
    if (m_connection->username().isEmpty())
        return; // not started: start() joins the outbox's rooms
    for (const QString &room : m_connection->outbox()->rooms())
        joinRoom(room);
}

void ChatClient::start(const QUrl &server, const QString &username, const QStringList &rooms,
                       const QString &token)
{
    // The name first: the pending rows restored from the outbox show it.
    m_connection->connectToServer(server, username, token);
    for (MessageModel *model : std::as_const(m_models))
        model->setOwnName(username);
    for (const QString &room : rooms)
        joinRoom(room);
    // Rooms with messages still in the outbox are joined too, so they get sent
    // (leaving a room drops what waited for it, so a left room stays left).
    for (const QString &room : m_connection->outbox()->rooms())
        joinRoom(room);
    if (!rooms.isEmpty())
        setCurrentRoom(rooms.constFirst());
}

void ChatClient::joinRoom(const QString &room)
{
    if (!Validation::roomProblem(room).isEmpty())
        return;
    const bool isNew = !m_rooms->contains(room);
    ensureModel(room);
    m_rooms->addRoom(room);
    m_connection->join(room);
    if (isNew)
        emit roomAdded(room);
    if (m_current.isEmpty())
        setCurrentRoom(room);
}

void ChatClient::leaveRoom(const QString &room)
{
    if (!m_rooms->contains(room))
        return;
    m_connection->leave(room);
    m_rooms->removeRoom(room);
    m_roomUsers.remove(room);
    delete m_models.take(room);
    emit roomRemoved(room);
    if (m_current == room) {
        const QStringList left = m_rooms->names();
        m_current.clear();
        setCurrentRoom(left.isEmpty() ? QString() : left.constFirst());
    }
}

void ChatClient::setCurrentRoom(const QString &room)
{
    if (m_current == room && !room.isEmpty())
        return;
    m_current = room;
    m_users->setUsers(m_roomUsers.value(room));
    if (!room.isEmpty() && m_windowActive)
        m_rooms->clearUnread(room);
    emit currentRoomChanged(room);
    emit typingTextChanged(room, typingText(room));
}

QString ChatClient::sendText(const QString &text)
{
    if (m_current.isEmpty())
        return tr("Join a room first.");
    if (const QString problem = Validation::textProblem(text, m_connection->serverLimits());
        !problem.isEmpty())
        return problem;
    const OutboxItem item = m_connection->sendMessage(m_current, text);
    ensureModel(m_current)->addPending(item.clientId, item.text, item.createdMs);
    m_typing->userSent(m_current);
    return {};
}

void ChatClient::userTyping()
{
    if (!m_current.isEmpty())
        m_typing->userEdited(m_current);
}

bool ChatClient::loadOlder(const QString &room)
{
    MessageModel *model = messages(room);
    if (!model || !model->hasOlder() || m_historyRequested.contains(room)
        || !m_connection->isJoined(room))
        return false;
    m_historyRequested.insert(room);
    m_connection->requestHistory(room, model->firstId(), 50);
    return true;
}

void ChatClient::setMuted(const QString &room, bool muted)
{
    m_rooms->setMuted(room, muted);
}

void ChatClient::setWindowActive(bool active)
{
    m_windowActive = active;
    if (active && !m_current.isEmpty())
        m_rooms->clearUnread(m_current);
}

QString ChatClient::typingText(const QString &room) const
{
    const QStringList users = m_typing->typingUsers(room);
    switch (users.size()) {
    case 0:
        return {};
    case 1:
        return tr("%1 is typing…").arg(users.at(0));
    case 2:
        return tr("%1 and %2 are typing…").arg(users.at(0), users.at(1));
    default:
        return tr("Several people are typing…");
    }
}

QString ChatClient::describeError(const QString &code, const QString &serverMessage,
                                  const QString &subject)
{
    if (code == QLatin1String("name-taken"))
        return tr("The name %1 is already taken. Please choose another.").arg(subject);
    if (code == QLatin1String("bad-username"))
        return tr("The server does not accept this name: %1").arg(serverMessage);
    if (code == QLatin1String("unauthorized"))
        return tr("The server refused the password.");
    if (code == QLatin1String("account-required"))
        return tr("The name %1 belongs to an account on this server: sign in with its password.")
            .arg(subject);
    if (code == QLatin1String("bad-credentials"))
        return tr("Wrong name or password.");
    if (code == QLatin1String("bad-account-token") || code == QLatin1String("not-signed-in"))
        return tr("Your sign-in has ended: please sign in again.");
    if (code == QLatin1String("throttled"))
        return tr("Too many failed sign-ins: %1").arg(serverMessage);
    if (code == QLatin1String("account-disabled"))
        return tr("This account is disabled.");
    if (code == QLatin1String("registration-closed"))
        return tr("This server's admin makes the accounts: ask them for one.");
    if (code == QLatin1String("bad-invite"))
        return tr("This invitation is not valid any more (used up or expired): ask for a new one.");
    if (code == QLatin1String("weak-password"))
        return tr("Choose a longer password (at least 8 characters, and not your name).");
    if (code == QLatin1String("too-long"))
        return tr("The message is too long.");
    if (code == QLatin1String("rate-limited"))
        return tr("You are sending messages too fast; slow down a little.");
    return serverMessage;
}

bool ChatClient::isMention(const ChatMessage &m) const
{
    return m.username.compare(m_connection->username(), Qt::CaseInsensitive) != 0
        && mentions(m.text, m_connection->username());
}

void ChatClient::onAccountEvent(const QString &type, const QJsonObject &fields)
{
    const QString room = fields.value(QLatin1String("room")).toString();
    const QString by = fields.value(QLatin1String("by")).toString();
    // A direct message is shown as "@" and the others' names.
    auto labelDirect = [this, &room, &fields] {
        QStringList with;
        for (const QJsonValue &v : fields.value(QLatin1String("dm")).toArray())
            with.append(v.toString());
        labelDirectMessage(room, with);
    };
    if (type == QLatin1String("invited") && !room.isEmpty()) {
        joinRoom(room);
        if (fields.value(QLatin1String("dm")).isArray()) {
            labelDirect();
            emit notificationRequested(room, by, tr("%1 sent you a direct message").arg(by), true);
        }
    } else if (type == QLatin1String("done")
               && fields.value(QLatin1String("request")).toString() == QLatin1String("open-dm")) {
        joinRoom(room);
        labelDirect();
        setCurrentRoom(room);
    } else if (type == QLatin1String("message-deleted")) {
        if (MessageModel *model = m_models.value(room))
            model->removeMessage(fields.value(QLatin1String("id")).toInteger());
    } else if (type == QLatin1String("kicked")) {
        leaveRoom(room);
        emit problem(tr("%1 removed you from %2.").arg(by, room));
    } else if (type == QLatin1String("muted")) {
        emit problem(tr("%1 muted you in %2 for a while.").arg(by, room));
    } else if (type == QLatin1String("devices")) {
        emit devicesListed(fields.value(QLatin1String("devices")).toArray());
    } else if (type == QLatin1String("audit")) {
        emit moderationLogListed(fields.value(QLatin1String("entries")).toArray());
    }
}

void ChatClient::labelDirectMessage(const QString &room, const QStringList &with)
{
    QStringList others;
    for (const QString &name : with) {
        if (name.compare(m_connection->username(), Qt::CaseInsensitive) != 0)
            others.append(name);
    }
    m_rooms->setLabel(room, QLatin1Char('@') + others.join(QStringLiteral(", ")));
}

void ChatClient::onRoomJoined(const QString &room, const QStringList &users,
                              const QList<ChatMessage> &history, bool more, bool reset)
{
    MessageModel *model = ensureModel(room);
    const bool hadMessages = model->lastId() > 0;
    // A re-join whose missed messages do not fit one page: show the newest page and
    // let scrolling up fetch the rest, rather than leave a hole in the middle.
    const bool startOver = reset || (hadMessages && more);
    const auto mentionTest = [this](const ChatMessage &m) { return isMention(m); };
    const int before = model->rowCount();
    model->mergeJoinHistory(history, startOver, mentionTest);
    if (!hadMessages || startOver)
        model->setHasOlder(more);
    // What arrived while we were away counts as unread in rooms not on screen.
    if (hadMessages && !startOver && (room != m_current || !m_windowActive)) {
        for (int i = before; i < model->rowCount(); ++i)
            m_rooms->addUnread(room, model->index(i).data(MessageModel::MentionRole).toBool());
    }
    m_roomUsers.insert(room, users);
    if (room == m_current)
        m_users->setUsers(users);
}

void ChatClient::onUserJoined(const QString &room, const QString &username)
{
    QStringList &users = m_roomUsers[room];
    if (!users.contains(username, Qt::CaseInsensitive))
        users.append(username);
    if (room == m_current)
        m_users->addUser(username);
    if (username.compare(m_connection->username(), Qt::CaseInsensitive) != 0)
        if (MessageModel *model = messages(room))
            model->addNotice(tr("%1 joined").arg(username), QDateTime::currentMSecsSinceEpoch());
}

void ChatClient::onUserLeft(const QString &room, const QString &username)
{
    m_roomUsers[room].removeIf(
        [&](const QString &u) { return u.compare(username, Qt::CaseInsensitive) == 0; });
    if (room == m_current)
        m_users->removeUser(username);
    m_typing->remoteTyping(room, username, false);
    if (MessageModel *model = messages(room))
        model->addNotice(tr("%1 left").arg(username), QDateTime::currentMSecsSinceEpoch());
}

void ChatClient::onPresence(const QString &room, const QStringList &joined, const QStringList &left)
{
    // A storm brings hundreds at once: one pass over the list, one reset of the
    // model, one notice for the joins and one for the leaves.
    QStringList &users = m_roomUsers[room];
    QSet<QString> gone;
    for (const QString &name : left)
        gone.insert(name.toCaseFolded());
    QStringList goneShown;
    QSet<QString> present;
    users.removeIf([&](const QString &u) {
        const QString key = u.toCaseFolded();
        if (gone.contains(key)) {
            goneShown.append(u);
            return true;
        }
        present.insert(key);
        return false;
    });
    for (const QString &name : goneShown)
        m_typing->remoteTyping(room, name, false);
    QStringList arrived;
    const QString own = m_connection->username().toCaseFolded();
    for (const QString &name : joined) {
        const QString key = name.toCaseFolded();
        if (present.contains(key))
            continue;
        present.insert(key);
        users.append(name);
        if (key != own)
            arrived.append(name);
    }
    if (room == m_current && (!arrived.isEmpty() || !goneShown.isEmpty()))
        m_users->setUsers(users);
    MessageModel *model = messages(room);
    if (!model)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!arrived.isEmpty())
        model->addNotice(tr("%1 joined").arg(nameList(arrived)), now);
    if (!goneShown.isEmpty())
        model->addNotice(tr("%1 left").arg(nameList(goneShown)), now);
}

QString ChatClient::nameList(const QStringList &names)
{
    constexpr int Shown = 3;
    if (names.size() <= Shown)
        return names.join(QStringLiteral(", "));
    return tr("%1 and %n more", "names, and how many more", int(names.size()) - Shown)
        .arg(names.first(Shown).join(QStringLiteral(", ")));
}

void ChatClient::onMessage(const ChatMessage &m)
{
    MessageModel *model = messages(m.room);
    if (!model)
        return;
    const bool mention = isMention(m);
    const bool added = model->addMessage(m, mention);
    m_typing->remoteTyping(m.room, m.username, false);
    const bool own = m.username.compare(m_connection->username(), Qt::CaseInsensitive) == 0;
    if (!added || own)
        return;
    const bool onScreen = m.room == m_current && m_windowActive;
    if (onScreen)
        return;
    m_rooms->addUnread(m.room, mention);
    const bool muted = m_rooms->isMuted(m.room);
    if (!muted || (mention && m_notify.mentionsInMuted))
        emit notificationRequested(m.room, m.username, m.text, mention);
}

void ChatClient::onHistory(const QString &room, const QList<ChatMessage> &messages, bool more)
{
    m_historyRequested.remove(room);
    MessageModel *model = this->messages(room);
    if (!model)
        return;
    const int before = model->rowCount();
    model->prependHistory(messages, [this](const ChatMessage &m) { return isMention(m); });
    model->setHasOlder(more);
    emit historyLoaded(room, model->rowCount() - before);
}

void ChatClient::onSendFailed(const QString &clientId, const QString &message)
{
    for (MessageModel *model : std::as_const(m_models))
        model->markFailed(clientId);
    emit problem(message);
}

} // namespace Chat
