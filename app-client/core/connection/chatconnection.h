// The desktop client's link to chat-server: one WebSocket, wire protocol v1,
// automatic reconnect with exponential backoff, resume, re-join with `since`,
// and the outbox. Emits what happened; owns no widgets and no models.
#pragma once

#include "backoff.h"
#include "certificatepins.h"
#include "outbox.h"
#include "protocol.h"
#include "servermessages.h"
#include "tokenbucket.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QSslError>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace Chat {

class ChatConnection final : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Offline, // not connected and not trying
        Connecting, // opening the WebSocket
        Identifying, // said hello, waiting for identified
        Online, // identified
        Reconnecting, // waiting for the next attempt
    };
    Q_ENUM(State)

    explicit ChatConnection(QObject *parent = nullptr);
    ~ChatConnection() override;
    Q_DISABLE_COPY_MOVE(ChatConnection)

    void setBackoff(const Backoff &backoff) { m_backoff = backoff; }
    const Backoff &backoff() const { return m_backoff; }
    Outbox *outbox() { return &m_outbox; }
    // For wss:// servers whose certificate no authority vouches for (self-signed):
    // trusted only if pinned here. Without pins, normal certificate checks apply.
    void setCertificatePins(CertificatePins *pins) { m_pins = pins; }

    // Connects and identifies; keeps reconnecting until disconnectFromServer().
    void connectToServer(const QUrl &url, const QString &username, const QString &token = {});
    void disconnectFromServer();
    // Skips the rest of the backoff wait.
    void retryNow();
    // After identifyFailed: try another name on the open connection.
    void identifyAs(const QString &username);
    // Accounts servers (--auth accounts). The token a sign-in gave: hello
    // carries it, instead of the name (it names the user).
    void setAccountToken(const QString &token);
    QString accountToken() const { return m_accountToken; }
    // Signs in with the password, now if the connection waits for a name,
    // else once it does; the password is sent once and not kept.
    void signIn(const QString &username, const QString &password, const QString &device);
    // The same, registering the name first (`invite`: the invitation's code,
    // where the server's registration is by invitation). The answer is the same
    // signed-in, or identifyFailed with why not.
    void registerAccount(const QString &username, const QString &password, const QString &invite,
                         const QString &device);
    // Ends this device's sign-in on the server (the token stops working).
    void signOut();
    // A room, direct message or moderation request (accounts servers), if online.
    void request(const QJsonObject &object);
    // The signed-in account's role: member, moderator or admin (empty: not signed in).
    QString role() const { return m_role; }
    // What the server's welcome said: accounts with passwords, guests allowed.
    bool serverHasAccounts() const { return m_serverAccounts; }
    bool serverAllowsGuests() const { return m_serverGuests; }
    // welcome.accounts.registration: "open", "invite" or "admin" (empty: none).
    QString serverRegistration() const { return m_serverRegistration; }
    // Whether identifyAs() can go ahead: the connection is open and waiting for a name.
    bool canIdentify() const;

    State state() const { return m_state; }
    bool isOnline() const { return m_state == State::Online; }
    QUrl url() const { return m_url; }
    QString username() const { return m_username; }
    QString session() const { return m_session; }
    QString token() const { return m_token; }
    ProtocolLimits serverLimits() const { return m_limits; }
    qint64 reconnectRemainingMs() const { return m_backoff.remainingMs(); }

    QStringList rooms() const { return m_rooms; }
    bool isJoined(const QString &room) const { return m_joined.contains(room); }
    qint64 lastSeenId(const QString &room) const { return m_lastIds.value(room); }

    void join(const QString &room);
    void leave(const QString &room);
    // Queues the text in the outbox and sends it when it can; returns the item.
    OutboxItem sendMessage(const QString &room, const QString &text);
    void sendTyping(const QString &room, bool active);
    void requestHistory(const QString &room, std::optional<qint64> before, int limit = 0);
    void requestRooms();

signals:
    void stateChanged(Chat::ChatConnection::State state);
    void identified(const QString &username);
    // A signed-in account's rooms, from `identified` (its other devices may have
    // joined rooms this one does not know of yet).
    void accountRoomsKnown(const QStringList &rooms);
    void identifyFailed(const QString &code, const QString &message);
    // A sign-in gave a new token (keep it: the keychain), or it ended (empty).
    void accountTokenChanged(const QString &token);
    // The password given (for the server) is an account's on this server, which
    // has no server password: it was used to sign in, and must not be kept.
    void passwordWasAccountPassword();
    // done, invited, topic, message-deleted, kicked, muted, unmuted, banned, devices, revoked.
    void accountEvent(const QString &type, const QJsonObject &fields);
    // The server's certificate is not trusted yet: show the fingerprint, and pin it
    // if the user accepts (then connect again). previousFingerprint is set when a
    // different certificate was pinned for this server before: a warning sign.
    void certificateUntrusted(const QString &hostPort, const QString &fingerprint,
                              const QString &previousFingerprint);
    void reconnectScheduled(qint64 delayMs);
    void roomJoined(const QString &room, const QStringList &users,
                    const QList<Chat::ChatMessage> &history, bool more, bool reset);
    void userJoined(const QString &room, const QString &username, int usersInRoom);
    void userLeft(const QString &room, const QString &username, int usersInRoom);
    // Several joins and leaves at once (this client asks for them in hello).
    void presenceChanged(const QString &room, const QStringList &joined, const QStringList &left,
                         int usersInRoom);
    void messageReceived(const Chat::ChatMessage &message);
    void historyReceived(const QString &room, const QList<Chat::ChatMessage> &messages, bool more);
    void typingChanged(const QString &room, const QString &username, bool active);
    void roomsListed(const QList<Chat::Reply::RoomInfo> &rooms);
    void sendFailed(const QString &clientId, const QString &message);
    void serverError(const QString &code, const QString &message, const QString &ref);

private:
    void startSignIn(const QString &username, const QString &password, const QString &device);
    void open();
    void setState(State state);
    void send(const QJsonObject &object);
    void sendJoin(const QString &room);
    void pumpOutbox();
    void confirmOwn(const ChatMessage &message);
    void scheduleReconnect();

    void onConnected();
    void onDisconnected();
    void onTextMessage(const QString &text);
    void onLivenessCheck();
    void onSslErrors(const QList<QSslError> &errors);
    QString hostPort() const;

    void handle(const ServerMessage::Ignored &);
    void handle(const ServerMessage::Welcome &w);
    void handle(const ServerMessage::Identified &i);
    void handle(const ServerMessage::Joined &j);
    void handle(const ChatMessage &message);
    void handle(const ServerMessage::Member &m);
    void handle(const ServerMessage::Presence &p);
    void handle(const ServerMessage::Typing &t);
    void handle(const ServerMessage::History &h);
    void handle(const ServerMessage::Rooms &r);
    void handle(const ServerMessage::SignedIn &s);
    void handle(const ServerMessage::AccountEvent &e);
    void handle(const ServerMessage::Error &e);
    void sendHello();
    void noteId(const QString &room, qint64 id);

    QWebSocket *m_socket = nullptr;
    QUrl m_url;
    QString m_username;
    QString m_token;
    QString m_session;
    QString m_accountToken;
    QString m_role;
    QString m_password; // only until the login request goes
    QString m_device;
    QString m_invite; // with m_registering: the invitation's code
    bool m_registering = false;
    QSet<QString> m_left; // rooms left on this connection (not another device's joins)
    QString m_serverRegistration;
    bool m_serverAccounts = false;
    bool m_serverGuests = false;
    ProtocolLimits m_limits;
    State m_state = State::Offline;
    bool m_wanted = false;
    Backoff m_backoff;
    QTimer m_retryTimer;
    QTimer m_connectTimeout;
    QTimer m_liveness;
    int m_missedPongs = 0;
    QStringList m_rooms; // rooms the user wants to be in, in join order
    QSet<QString> m_joined; // rooms confirmed by `joined` on this connection
    QHash<QString, qint64> m_lastIds;
    Outbox m_outbox;
    QString m_inFlight; // the outbox item sent and not yet confirmed or refused
    TokenBucket m_chatBucket {ProtocolLimits {}.ratePerSecond, double(ProtocolLimits {}.rateBurst)};
    QTimer m_paceTimer; // the next outbox item waits for the rate limit
    CertificatePins *m_pins = nullptr;
};

} // namespace Chat
