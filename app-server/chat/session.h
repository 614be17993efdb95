// One client connection: decodes what the client sends (through its channel's
// codec), enforces the rules, and forwards the events of the rooms its identity
// is in. It knows nothing of the wire: events go out as ServerEvent data.
#pragma once

#include "broadcast.h"
#include "channel.h"
#include "chatcounters.h"
#include "chatlimits.h"
#include "floodcontrol.h"
#include "messagestore.h"
#include "protocol.h"
#include "room.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <memory>

namespace Chat {

class AccountService;
class Bus;
struct AccountChange;
class Identity;
class IdentityRegistry;
class OutputFlusher;
class MessageStore;
class PostQueue;
class Session;
class StoreWorker;
class RoomRegistry;

// What every session shares; owned by the ChatServer.
struct ServerContext
{
    AccessLimits access;
    ProtocolLimits limits;
    FloodLimits flood;
    QString serverName;
    MessageStore *store = nullptr;
    RoomRegistry *rooms = nullptr;
    IdentityRegistry *identities = nullptr;
    PostQueue *posts = nullptr;
    // Every write goes through it (a thread of its own for a store whose commit waits).
    StoreWorker *writer = nullptr;
    OutputFlusher *flusher = nullptr;
    // Reads of a shared store (PostgreSQL), on a thread and a connection of
    // their own; null: reads run here, on `store` (SQLite: the page cache).
    StoreWorker *reader = nullptr;
    ChatCounters *counters = nullptr; // for /metrics; may be null
    // --auth accounts: registered names are owned; null on an open server.
    AccountService *accounts = nullptr;
    Bus *bus = nullptr; // the notices of tellUser and tellRoom, for the other servers
    // A session's connection is gone. A callback, not a signal: a connection per
    // session costs more memory than the rest of an idle session's bookkeeping.
    std::function<void(Session *)> sessionFinished;
};

class Session final : public QObject, private ChannelListener, private RoomSubscriber
{
    Q_OBJECT
public:
    Session(std::unique_ptr<Channel> channel, const ServerContext &context,
            QObject *parent = nullptr);
    ~Session() override;
    Q_DISABLE_COPY_MOVE(Session)

    QString peer() const { return m_channel->peer(); }
    const char *protocol() const { return m_channel->codec().protocol(); }
    qint64 queuedBytes() const { return m_channel->queuedBytes(); }
    QString username() const;
    qint64 silentForMs() const { return m_lastHeard.elapsed(); }

    // Bytes made by the channel's codec (shared with other recipients).
    void sendBytes(const QByteArray &bytes);
    // Hands queued bytes to the kernel (called once per event-loop pass).
    void flushOutput();
    void send(const ServerEvent &event);
    void sendError(ErrorCode code, const QString &message, const QString &ref = {});
    // Checks a request against the flood limits; refuses it (and may close) if over.
    bool admit(RequestType type, const QString &ref);
    bool admitInvalid();
    bool checkToken(const QString &token);
    void closeWhenQuiet(int code, const QString &reason);
    void noteDraining();
    void dropSlowReader();
    void ping();
    static constexpr int SilenceCloseCode = 4001; // no answer to pings

    // A WebSocket close code as a number: application codes (4000-4999) are not
    // values of QWebSocketProtocol::CloseCode, and holding them in that enum is undefined.
    void close(int code, const QString &reason);
    static constexpr int NormalCloseCode = 1000;
    static constexpr int GoingAwayCloseCode = 1001;
    static constexpr int PolicyCloseCode = 1008;

    // The account this connection is signed in to changed (AccountService::
    // accountChanged): signed out (4006) if its token went or the account is
    // disabled; otherwise its role follows.
    void applyAccountChange(const AccountChange &change);

    // The browser's sign-in cookie, from the upgrade request: a hello with
    // `cookie: true` signs in with it (docs/protocol.md, "Accounts").
    void setCookieToken(const QString &token);

    // What a notice for a user does besides telling them (tellUser).
    enum class NoticeAction { Tell, Kick, Ban };
    // A notice another server published (tellUser, tellRoom): done here.
    static void applyClusterNotice(const ServerContext &ctx, const QJsonObject &notice);

    // Another connection (here, or on another server) resumed our identity:
    // stop speaking for it and close (4002).
    void detachReplaced();

private:
    void onChannelMessage(const QByteArray &message) override;
    void onChannelUnsupported() override;
    void onChannelAlive() override;
    void onChannelClosing() override;
    void onChannelGone(int closeCode) override;

    void dispatch(const Request &r);
    void handleHello(const Request &r);
    void handleJoin(const Request &r);
    void handleLeave(const Request &r);
    void handleChat(const Request &r);
    void handleTyping(const Request &r);
    void handleHistory(const Request &r);
    void handleRooms();
    // Accounts (sessionaccounts.cpp).
    void handleSignIn(const Request &r); // login, register
    void handleLogout();
    void handleDevices();
    void handleRevoke(const Request &r);
    // Rooms with settings, direct messages and moderation (sessionrooms.cpp).
    void handleCreateRoom(const Request &r);
    void handleInvite(const Request &r);
    void handleTopic(const Request &r);
    void handleOpenDm(const Request &r);
    void handleKick(const Request &r);
    void handleMute(const Request &r);
    void handleBan(const Request &r);
    void handleDelete(const Request &r);
    void handleSetRole(const Request &r);
    void handleAudit(const Request &r);
    // A signed-in account's name key; sends the error and returns empty if not.
    QString requireAccount();
    // Admins and moderators everywhere; a room's owner in it.
    bool mayModerate(const QString &room) const;
    // Whether a room may be joined (private rooms: by their members only);
    // sends the error if not.
    bool admitToRoom(const QString &room);
    void sendDone(const QString &request, QJsonObject fields = {});
    // Tells the user `event` (the reply to `answers`) on every device, here and,
    // on a cluster, on the other servers; a kick also takes them out of `room`,
    // a ban closes their connections (4007).
    void tellUser(const QString &username, const QString &answers, const QJsonObject &event,
                  NoticeAction action = NoticeAction::Tell, const QString &room = {});
    // Tells every member of the room, here and on the other servers.
    void tellRoom(const QString &room, const QString &answers, const QJsonObject &event);
    static void noticeHere(const ServerContext &ctx, const QString &username,
                           const QString &answers, const QJsonObject &event, NoticeAction action,
                           const QString &room);
    // The rank (0 a guest, 1 member, 2 moderator, 3 admin) of whoever has the
    // name, online or not, here or elsewhere: `done(rank, name as registered)`.
    void rankOf(const QString &username, std::function<void(int, QString)> done);
    // A hello with an account token: true once the sign-in is in hand (or
    // there is no token); false when it was asked, or refused.
    bool signInWithToken(const Request &r);
    // The name a user appears under: on an accounts server, a guest's form of
    // it unless it is the account this connection signed in to. Empty, with
    // the error sent, if the user may not appear at all.
    QString nameToClaim(const QString &username, const QString &ref, bool sendErrors);
    // A sign-in answered: the account is this connection's from now on.
    void takeSignIn(Identity *identity);
    QString address() const;

    bool identify(const QString &asked, const QString &ref, bool viaHello);
    // A name picked by the server, for a client that gives none.
    bool identifyAsGuest();
    // A guest takes a name of its own, keeping its rooms.
    bool rename(const QString &asked, const QString &ref);
    void scheduleFlush();
    // Takes over an identity (a resume): its rooms become this connection's.
    void attach(Identity *identity);

    // Names shared with other servers (IdentityRegistry::isShared()) are
    // answered later: the request that asked waits, with what the client sends
    // meanwhile, and runs again with the answer in hand.
    struct Wait;
    // A page read on the store's reader thread (a shared store), for a join.
    struct ReadAnswer
    {
        MessageStore::Page page;
        bool reset = false;
    };
    void waitForRead(const QString &room, qint64 watermark, int tries, qint64 since, bool forJoin);
    // With a reader: true and the page if the answer for this room is in hand;
    // false when it was asked (the request runs again with it).
    bool readInHand(const QString &room, qint64 watermark, ReadAnswer *answer, bool forJoin,
                    qint64 since);
    void runAgain();
    struct Claim
    {
        Identity *identity = nullptr;
        bool waiting = false; // asked; the request runs again with the answer
        bool unavailable = false; // refused because the servers cannot agree now
    };
    Claim claimName(const QString &username);
    void refuseName(const Claim &claim, const QString &username, const QString &ref);
    void waitForName(const QString &username, bool takeOver);
    void onNameAnswer(Identity *identity, bool unavailable);
    void waitForAccount();
    struct AccountAnswer;
    void onAccountAnswer(const AccountAnswer &answer);
    // The room a request names, or the current one; sends the error itself.
    Room *memberRoom(const QString &name, const QString &ref);
    static void cutAtWatermark(MessageStore::Page &page, qint64 watermark);
    void subscribe(Room *room);
    void sendIdentified(const Identity *identity);
    void onRoomEvent(const Broadcast &event, const QString &skipUsername) override;
    bool batchesPresence() const override { return m_batchPresence; }
    void unsubscribe(Room *room);

    std::unique_ptr<Channel> m_channel;
    const ServerContext &m_ctx;
    std::unique_ptr<Wait> m_wait; // only while a name or a page is being asked for
    // A sign-in answered and not yet given to an identity (accounts servers).
    std::unique_ptr<AccountAnswer> m_signedIn;
    // The sign-in this connection speaks with (its device), on an accounts server.
    struct Device
    {
        QString id;
        QString tokenHash;
    };
    std::unique_ptr<Device> m_device;
    std::unique_ptr<QString> m_cookieToken;
    const Request *m_request = nullptr; // the one being handled
    QPointer<Identity> m_identity;
    QElapsedTimer m_lastHeard;
    FloodControl m_flood;
    bool m_dropping = false; // a slow reader being dropped: nothing more is queued
    bool m_draining = false; // a flooder being closed: what it still sends is ignored
    bool m_flushScheduled = false;
    bool m_finished = false;
    bool m_closing = false; // a close handshake started (either side)
    bool m_weClosed = false; // ... and we started it
    bool m_batchPresence = false; // hello asked for presence frames (room.h)
    int m_closeCodeSent = NormalCloseCode;
};

} // namespace Chat
