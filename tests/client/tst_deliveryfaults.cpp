// Nothing lost, nothing doubled: the real client core and the real server process
// under faults. A server killed with SIGKILL in the middle of a 10,000-message
// burst, a client offline while 500 messages are posted, and a connection cut
// between a chat and its echo. Each scenario prints its numbers.
#include "chatclient.h"
#include "chatconnection.h"
#include "messagemodel.h"
#include "requests.h"
#include "serverprocess.h"
#include "tcprelay.h"
#include "testclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Chat;
using Chat::Test::ServerProcess;
using Chat::Test::TcpRelay;
using Chat::Test::TestClient;

namespace {
// A server behind a TCP relay (for the client under test), with a witness
// connected directly and in #general.
struct RelayedServer
{
    ServerProcess server;
    std::unique_ptr<TcpRelay> relay;
    TestClient witness;

    bool start(const QStringList &arguments)
    {
        if (!server.start(arguments))
            return false;
        relay = std::make_unique<TcpRelay>(server.port());
        return relay->listen() && witness.connectTo(server.url())
            && witness.hello(QStringLiteral("Witness"))
            && !witness.join(QStringLiteral("general")).isEmpty();
    }
};
} // namespace

class tst_DeliveryFaults : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void killDuringBurst();
    void offlineClientGetsExactlyWhatItMissed();
    void cutBetweenChatAndEcho();
    void retriedClientIdThroughRelay();
    void shortDropIsSilentLongDropLeaves();
    void offlineOutboxIsDeliveredInOrder_data();
    void offlineOutboxIsDeliveredInOrder();

private:
    static QStringList args(const QString &db, quint16 port = 0, const QStringList &extra = {})
    {
        return QStringList {QStringLiteral("--db"), db, QStringLiteral("--port"),
                            QString::number(port)}
        + extra;
    }
    QTemporaryDir m_dir;
};

namespace {
struct StoreCheck
{
    int rows = 0;
    int duplicates = 0; // (user, clientId) stored more than once
    bool idsIncrease = true; // per room, strictly, no repeats
    QString integrity;
    QHash<QString, int> perClientId;
};

StoreCheck inspect(const QString &db)
{
    StoreCheck result;
    const QString name = QStringLiteral("inspect-%1").arg(quintptr(&result));
    {
        QSqlDatabase sql = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        sql.setDatabaseName(db);
        if (!sql.open())
            return result;
        QSqlQuery q(sql);
        q.exec(QStringLiteral("PRAGMA integrity_check"));
        if (q.next())
            result.integrity = q.value(0).toString();
        q.exec(
            QStringLiteral("SELECT room, id, username, client_id FROM messages ORDER BY room, id"));
        QString room;
        qint64 last = 0;
        while (q.next()) {
            ++result.rows;
            if (q.value(0).toString() != room) {
                room = q.value(0).toString();
                last = 0;
            }
            const qint64 id = q.value(1).toLongLong();
            result.idsIncrease = result.idsIncrease && id > last;
            last = id;
            if (!q.value(3).isNull())
                ++result.perClientId[q.value(2).toString() + QLatin1Char('/')
                                     + q.value(3).toString()];
        }
        for (const int n : std::as_const(result.perClientId))
            result.duplicates += n > 1 ? n - 1 : 0;
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}
} // namespace

void tst_DeliveryFaults::initTestCase()
{
    QVERIFY(!ServerProcess::binary().isEmpty());
    qRegisterMetaType<Chat::ChatMessage>();
}

void tst_DeliveryFaults::killDuringBurst()
{
    const QString db = m_dir.filePath(QStringLiteral("burst.sqlite"));
    // No rate limit here: this is about durability under a kill, and 10,000
    // messages at the default 10/s would take 17 minutes. Delivery under the
    // default limits is offlineOutboxIsDeliveredInOrder.
    const QStringList extra = {QStringLiteral("--rate-limit"), QStringLiteral("0")};
    auto server = std::make_unique<ServerProcess>();
    QVERIFY(server->start(args(db, 0, extra)));
    const quint16 port = server->port();
    const QUrl url = server->url();

    constexpr int Clients = 4;
    constexpr int PerClient = 2500;
    std::vector<std::unique_ptr<ChatClient>> clients;
    QHash<QString, int> acknowledgedBeforeKill; // clientId -> times echoed to its sender
    QSet<QString> sent;
    bool killed = false;
    int acknowledged = 0;
    for (int i = 0; i < Clients; ++i) {
        auto c = std::make_unique<ChatClient>();
        const QString name = QStringLiteral("burst%1").arg(i);
        connect(c->connection(), &ChatConnection::messageReceived, this,
                [&, name](const ChatMessage &m) {
                    if (m.username == name && !killed) {
                        ++acknowledgedBeforeKill[m.clientId];
                        ++acknowledged;
                    }
                });
        c->start(url, name, {QStringLiteral("burst")});
        clients.push_back(std::move(c));
    }
    for (auto &c : clients)
        QTRY_VERIFY(c->connection()->isJoined(QStringLiteral("burst")));

    for (int n = 0; n < PerClient; ++n) {
        for (auto &c : clients) {
            QVERIFY(c->sendText(QStringLiteral("%1 #%2").arg(c->username()).arg(n)).isEmpty());
            sent.insert(c->connection()->outbox()->items().constLast().clientId);
        }
    }
    // Kill the server once part of the burst is through.
    QTRY_VERIFY_WITH_TIMEOUT(acknowledged >= 2000, 60000);
    server->kill();
    killed = true;
    const int ackedAtKill = acknowledged;
    server = std::make_unique<ServerProcess>();
    QVERIFY(server->start(args(db, port, extra)));

    // The clients reconnect by themselves, re-join with since, and retry.
    for (auto &c : clients)
        QTRY_VERIFY_WITH_TIMEOUT(c->connection()->outbox()->isEmpty(), 120000);

    // Every client's view, scrolled all the way back, equals the store.
    QList<std::pair<qint64, QString>> stored;
    {
        TestClient reader;
        QVERIFY(reader.connectTo(server->url()));
        QVERIFY(reader.hello(QStringLiteral("reader")));
        QJsonObject joined = reader.join(QStringLiteral("burst"));
        QJsonArray page = joined.value(QLatin1String("history")).toArray();
        bool more = joined.value(QLatin1String("more")).toBool();
        forever
        {
            QList<std::pair<qint64, QString>> older;
            for (const QJsonValue &v : page)
                older.append({v.toObject().value(QLatin1String("id")).toInteger(),
                              v.toObject().value(QLatin1String("text")).toString()});
            stored = older + stored;
            if (!more)
                break;
            reader.send(Requests::history(QStringLiteral("burst"), stored.constFirst().first, 200));
            const QJsonObject h = reader.take(QStringLiteral("history"));
            page = h.value(QLatin1String("messages")).toArray();
            more = h.value(QLatin1String("more")).toBool();
        }
    }
    int viewsEqual = 0;
    for (auto &c : clients) {
        MessageModel *model = c->messages(QStringLiteral("burst"));
        while (model->hasOlder()) {
            QSignalSpy loaded(c.get(), &ChatClient::historyLoaded);
            QVERIFY(c->loadOlder(QStringLiteral("burst")));
            QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
        }
        QList<std::pair<qint64, QString>> view;
        for (int row = 0; row < model->rowCount(); ++row) {
            const QModelIndex index = model->index(row);
            if (index.data(MessageModel::KindRole).value<MessageModel::Kind>()
                != MessageModel::Kind::Message)
                continue;
            QCOMPARE(index.data(MessageModel::StatusRole).value<MessageModel::Status>(),
                     MessageModel::Status::Confirmed);
            view.append({index.data(MessageModel::IdRole).toLongLong(),
                         index.data(MessageModel::TextRole).toString()});
        }
        QCOMPARE(view.size(), stored.size());
        QVERIFY(view == stored);
        ++viewsEqual;
    }
    QVERIFY(server->terminate());

    const StoreCheck store = inspect(db);
    int lostAcknowledged = 0;
    for (auto it = acknowledgedBeforeKill.cbegin(); it != acknowledgedBeforeKill.cend(); ++it) {
        bool found = false;
        for (int i = 0; i < Clients && !found; ++i)
            found = store.perClientId.value(QStringLiteral("burst%1/%2").arg(i).arg(it.key())) == 1;
        lostAcknowledged += found ? 0 : 1;
    }
    int missingSent = 0;
    for (const QString &clientId : std::as_const(sent)) {
        bool found = false;
        for (int i = 0; i < Clients && !found; ++i)
            found = store.perClientId.value(QStringLiteral("burst%1/%2").arg(i).arg(clientId)) == 1;
        missingSent += found ? 0 : 1;
    }
    qInfo("kill -9 during a burst: sent %d, acknowledged before the kill %d, stored %d, "
          "acknowledged but lost %d, sent but missing %d, duplicates %d, integrity %s, "
          "client views equal to the store %d of %d",
          int(sent.size()), ackedAtKill, store.rows, lostAcknowledged, missingSent,
          store.duplicates, qPrintable(store.integrity), viewsEqual, Clients);
    QCOMPARE(int(sent.size()), Clients * PerClient);
    QVERIFY(ackedAtKill < Clients * PerClient); // the kill really was mid-burst
    QCOMPARE(lostAcknowledged, 0);
    QCOMPARE(missingSent, 0);
    QCOMPARE(store.duplicates, 0);
    QCOMPARE(store.rows, Clients * PerClient);
    QVERIFY(store.idsIncrease);
    QCOMPARE(store.integrity, QStringLiteral("ok"));
}

void tst_DeliveryFaults::offlineClientGetsExactlyWhatItMissed()
{
    const QString db = m_dir.filePath(QStringLiteral("offline.sqlite"));
    ServerProcess server;
    // No rate limit: the poster is a raw test client posting 800 messages to build
    // up history; what is tested is paging and retention, not flood control.
    QVERIFY(server.start(args(db, 0,
                              {QStringLiteral("--retain-count"), QStringLiteral("700"),
                               QStringLiteral("--retention-interval"), QStringLiteral("200"),
                               QStringLiteral("--rate-limit"), QStringLiteral("0")})));
    TestClient poster;
    QVERIFY(poster.connectTo(server.url()));
    QVERIFY(poster.hello(QStringLiteral("Poster")));
    QVERIFY(!poster.join(QStringLiteral("general")).isEmpty());
    for (int i = 1; i <= 10; ++i)
        poster.send(Requests::chat(QStringLiteral("general"), QStringLiteral("before %1").arg(i)));
    qint64 lastSeen = 0;
    for (int i = 1; i <= 10; ++i)
        lastSeen = poster.take(QStringLiteral("message")).value(QLatin1String("id")).toInteger();

    // The reader is away while 500 messages are posted.
    for (int i = 1; i <= 500; ++i)
        poster.send(Requests::chat(QStringLiteral("general"), QStringLiteral("missed %1").arg(i)));
    for (int i = 1; i <= 500; ++i)
        QVERIFY(!poster.take(QStringLiteral("message")).isEmpty());

    TestClient reader;
    QVERIFY(reader.connectTo(server.url()));
    QVERIFY(reader.hello(QStringLiteral("Reader")));
    const QJsonObject joined = reader.join(QStringLiteral("general"), lastSeen);
    QVERIFY(!joined.contains(QLatin1String("reset")));
    QList<QJsonObject> got;
    for (const QJsonValue &v : joined.value(QLatin1String("history")).toArray())
        got.append(v.toObject());
    bool more = joined.value(QLatin1String("more")).toBool();
    int pages = 1;
    // Page back until the last id seen: `more` says older messages exist.
    while (more && !got.isEmpty()
           && got.first().value(QLatin1String("id")).toInteger() > lastSeen + 1) {
        reader.send(Requests::history(QStringLiteral("general"),
                                      got.first().value(QLatin1String("id")).toInteger(), 200));
        const QJsonObject page = reader.take(QStringLiteral("history"));
        QList<QJsonObject> older;
        for (const QJsonValue &v : page.value(QLatin1String("messages")).toArray()) {
            if (v.toObject().value(QLatin1String("id")).toInteger() > lastSeen)
                older.append(v.toObject());
        }
        got = older + got;
        more = page.value(QLatin1String("more")).toBool();
        ++pages;
    }
    qInfo("offline client: missed 500, received %d in %d page(s)", int(got.size()), pages);
    QCOMPARE(got.size(), 500);
    for (int i = 0; i < 500; ++i) {
        QCOMPARE(got.at(i).value(QLatin1String("text")).toString(),
                 QStringLiteral("missed %1").arg(i + 1));
        QCOMPARE(got.at(i).value(QLatin1String("id")).toInteger(), lastSeen + 1 + i);
    }

    // Retention keeps 700: an id from before that is a gap, and the reply says so.
    for (int i = 1; i <= 300; ++i)
        poster.send(Requests::chat(QStringLiteral("general"), QStringLiteral("more %1").arg(i)));
    for (int i = 1; i <= 300; ++i)
        QVERIFY(!poster.take(QStringLiteral("message")).isEmpty());
    int probes = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            TestClient probe; // a new name each time: a dropped probe's name is kept for resume
            return probe.connectTo(server.url())
                && probe.hello(QStringLiteral("Probe%1").arg(++probes))
                && probe.join(QStringLiteral("general"), 1).value(QLatin1String("reset")).toBool();
        }(),
        90000);
    qInfo("a since older than retention answers reset:true");
}

void tst_DeliveryFaults::cutBetweenChatAndEcho()
{
    const QString db = m_dir.filePath(QStringLiteral("cut.sqlite"));
    RelayedServer setup;
    QVERIFY(setup.start(args(db)));
    TcpRelay &relay = *setup.relay;
    TestClient &witness = setup.witness;

    ChatConnection client;
    client.join(QStringLiteral("general"));
    client.connectToServer(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(relay.port())),
                           QStringLiteral("Aminah"));
    QTRY_VERIFY(client.isJoined(QStringLiteral("general")));

    // The server's answers stop reaching the client; the chat still reaches the server.
    relay.setServerToClientBlocked(true);
    const OutboxItem item
        = client.sendMessage(QStringLiteral("general"), QStringLiteral("exactly once"));
    QCOMPARE(witness.take(QStringLiteral("message")).value(QLatin1String("clientId")).toString(),
             item.clientId);
    QVERIFY(!client.outbox()->isEmpty()); // no echo yet: still pending
    relay.cutAll();
    relay.setServerToClientBlocked(false);
    QTRY_VERIFY_WITH_TIMEOUT(client.outbox()->isEmpty(), 20000);
    QVERIFY(witness.sync());
    const int broadcasts = 1 + int(witness.pending(QStringLiteral("message")).size());
    const StoreCheck store = inspect(db);
    qInfo("cut between chat and echo: sent 1, stored %d, broadcast %d, duplicates %d", store.rows,
          broadcasts, store.duplicates);
    QCOMPARE(store.rows, 1);
    QCOMPARE(broadcasts, 1);
    QCOMPARE(store.duplicates, 0);
}

void tst_DeliveryFaults::retriedClientIdThroughRelay()
{
    // The same at the protocol level: the client really sends the chat again.
    const QString db = m_dir.filePath(QStringLiteral("retry.sqlite"));
    RelayedServer setup;
    QVERIFY(setup.start(args(db)));
    TcpRelay &relay = *setup.relay;
    TestClient &witness = setup.witness;

    const QUrl viaRelay(QStringLiteral("ws://127.0.0.1:%1").arg(relay.port()));
    QString session;
    {
        TestClient first;
        QVERIFY(first.connectTo(viaRelay));
        first.send(Requests::hello(QStringLiteral("Aminah")));
        session
            = first.take(QStringLiteral("identified")).value(QLatin1String("session")).toString();
        QVERIFY(!first.join(QStringLiteral("general")).isEmpty());
        relay.setServerToClientBlocked(true);
        first.send(Requests::chat(QStringLiteral("general"), QStringLiteral("retry me"),
                                  QStringLiteral("cid-42")));
        QVERIFY(!witness.take(QStringLiteral("message")).isEmpty());
        relay.cutAll();
        relay.setServerToClientBlocked(false);
    }
    TestClient again;
    QVERIFY(again.connectTo(viaRelay));
    again.send(Requests::hello(QStringLiteral("Aminah"), {}, session));
    QCOMPARE(again.take(QStringLiteral("identified")).value(QLatin1String("session")).toString(),
             session);
    again.send(Requests::chat(QStringLiteral("general"), QStringLiteral("retry me"),
                              QStringLiteral("cid-42")));
    const QJsonObject echo = again.take(QStringLiteral("message"));
    QCOMPARE(echo.value(QLatin1String("clientId")).toString(), QStringLiteral("cid-42"));
    QCOMPARE(echo.value(QLatin1String("id")).toInt(), 1);
    QVERIFY(witness.sync());
    const int extraBroadcasts = int(witness.pending(QStringLiteral("message")).size());
    const StoreCheck store = inspect(db);
    qInfo("retried clientId: stored %d, extra broadcasts %d", store.rows, extraBroadcasts);
    QCOMPARE(store.rows, 1);
    QCOMPARE(extraBroadcasts, 0);
    QVERIFY(
        witness.pending(QStringLiteral("user-left")).isEmpty()); // resumed within the grace period
}

void tst_DeliveryFaults::shortDropIsSilentLongDropLeaves()
{
    const QString db = m_dir.filePath(QStringLiteral("grace.sqlite"));
    RelayedServer setup;
    QVERIFY(setup.start(args(db, 0, {QStringLiteral("--resume-grace"), QStringLiteral("3000")})));
    TcpRelay &relay = *setup.relay;
    TestClient &witness = setup.witness;

    ChatConnection client;
    QSignalSpy identified(&client, &ChatConnection::identified);
    client.join(QStringLiteral("general"));
    client.connectToServer(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(relay.port())),
                           QStringLiteral("Aminah"));
    QTRY_VERIFY(client.isJoined(QStringLiteral("general")));
    QVERIFY(!witness.take(QStringLiteral("user-joined"), 5000).isEmpty()); // Witness
    QVERIFY(!witness.take(QStringLiteral("user-joined"), 5000).isEmpty()); // Aminah

    // A blip: the client is back well within the grace period.
    relay.cutAll();
    QTRY_COMPARE_WITH_TIMEOUT(identified.count(), 2, 10000);
    QTRY_VERIFY(client.isJoined(QStringLiteral("general")));
    QVERIFY(witness.sync());
    QVERIFY(witness.pending(QStringLiteral("user-left")).isEmpty());
    QVERIFY(witness.pending(QStringLiteral("user-joined")).isEmpty());
    qInfo("short drop: no leave or join seen by others");

    // A long outage: the network refuses the client for longer than the grace period.
    relay.setRefusing(true);
    relay.cutAll();
    const QJsonObject left = witness.take(QStringLiteral("user-left"), 10000);
    QCOMPARE(left.value(QLatin1String("username")).toString(), QStringLiteral("Aminah"));
    relay.setRefusing(false);
    client.retryNow();
    QTRY_VERIFY_WITH_TIMEOUT(client.isJoined(QStringLiteral("general")), 40000);
    QCOMPARE(witness.take(QStringLiteral("user-joined"), 5000)
                 .value(QLatin1String("username"))
                 .toString(),
             QStringLiteral("Aminah"));
    qInfo("long drop: others saw a leave after the grace period, and a join when it came back");
}

void tst_DeliveryFaults::offlineOutboxIsDeliveredInOrder_data()
{
    QTest::addColumn<int>("count");
    QTest::newRow("30 (more than the burst)") << 30;
    QTest::newRow("80 (more than the flood close)") << 80;
}

void tst_DeliveryFaults::offlineOutboxIsDeliveredInOrder()
{
    // The server's default limits (10 messages/s, bursts of 20, closed after 40
    // refusals in a row). Before, the outbox sent everything at once: of 30, 10
    // stayed "sending" for good; of 80, the server closed with 1008 and 40 stuck.
    QFETCH(int, count);
    const QString db = m_dir.filePath(QStringLiteral("outbox-%1.sqlite").arg(count));
    RelayedServer setup;
    QVERIFY(setup.start(args(db)));
    TcpRelay &relay = *setup.relay;
    TestClient &witness = setup.witness;

    ChatClient client;
    QSignalSpy failed(client.connection(), &ChatConnection::sendFailed);
    QSignalSpy errors(client.connection(), &ChatConnection::serverError);
    QSignalSpy identified(client.connection(), &ChatConnection::identified);
    client.start(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(relay.port())),
                 QStringLiteral("Aminah"), {QStringLiteral("general")});
    QTRY_VERIFY(client.connection()->isJoined(QStringLiteral("general")));

    // Offline: the network refuses the client while the user types.
    relay.setRefusing(true);
    relay.cutAll();
    QTRY_COMPARE(client.connection()->state(), ChatConnection::State::Reconnecting);
    QStringList typed;
    for (int i = 1; i <= count; ++i) {
        typed.append(QStringLiteral("offline %1").arg(i));
        QVERIFY(client.sendText(typed.constLast()).isEmpty());
    }
    QCOMPARE(client.connection()->outbox()->size(), count);
    relay.setRefusing(false);
    client.connection()->retryNow();

    QElapsedTimer clock;
    clock.start();
    QTRY_VERIFY_WITH_TIMEOUT(client.connection()->outbox()->isEmpty(), 60000);
    const qint64 deliveryMs = clock.elapsed();
    QStringList seen;
    while (seen.size() < count) {
        const QJsonObject m = witness.take(QStringLiteral("message"), 10000);
        QVERIFY(!m.isEmpty());
        seen.append(m.value(QLatin1String("text")).toString());
    }
    QVERIFY(witness.sync());
    QVERIFY(witness.pending(QStringLiteral("message")).isEmpty());
    const StoreCheck store = inspect(db);
    qInfo("offline outbox of %d: delivered in %lld ms, stored %d, duplicates %d, "
          "reconnects %d, refusals %d",
          count, deliveryMs, store.rows, store.duplicates, int(identified.count()) - 1,
          int(errors.count()));
    QCOMPARE(seen, typed); // all, once, in the order typed
    QCOMPARE(store.rows, count);
    QCOMPARE(store.duplicates, 0);
    QCOMPARE(failed.count(), 0);
    // Paced to the limit, a refusal is rare (arrival jitter): it is sent again, first
    // in line (the order above), and never reported to the user.
    QCOMPARE(identified.count(), 2); // one reconnect, no flood close
    // The client's view: every row confirmed.
    const MessageModel *model = client.messages(QStringLiteral("general"));
    int confirmed = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row);
        if (index.data(MessageModel::KindRole).value<MessageModel::Kind>()
            == MessageModel::Kind::Message)
            confirmed += index.data(MessageModel::StatusRole).value<MessageModel::Status>()
                    == MessageModel::Status::Confirmed
                ? 1
                : 0;
    }
    QCOMPARE(confirmed, count);
}

QTEST_GUILESS_MAIN(tst_DeliveryFaults)
#include "tst_deliveryfaults.moc"
