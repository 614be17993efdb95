// The store's contract on both engines: SQLite on a real file, and PostgreSQL
// on a real server (tests/lib/with-postgres.mjs starts one and names it in
// CHAT_TEST_POSTGRES_URL): ids, paging, dedup, persistence, retention,
// recovery records, and writers on several connections at once.
#include "accountstore.h"
#include "postgresmessagestore.h"
#include "sqlitemessagestore.h"
#include "sqlmessagestore.h"
#include "storeworker.h"

#include <QDateTime>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace Chat;

class tst_MessageStore : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void init();
    void cleanup();
    void idsIncreasePerRoom();
    void pagingBackwards();
    void recoveryAfter();
    void duplicateClientIdStoresOnce();
    void survivesReopen();
    void usesWal();
    void listsRooms();
    void pruneByCountAndAge();
    void socketIoRecoveryOutlivesTheProcess();
    void writersOnSeveralConnections();
    void siblingSeesTheSameData();
    void accountChangesAreNumbered();
    void aWriteHoldsTheLockFromItsStart();

private:
    MessageStore::NewMessage post(const QString &room, const QString &text,
                                  const QString &clientId = {},
                                  const QString &user = QStringLiteral("Aminah"))
    {
        return {room, user, text, clientId, 1795303164762};
    }
    // A new connection to this row's store, open.
    std::unique_ptr<MessageStore> openStore()
    {
        std::unique_ptr<MessageStore> store;
        if (m_postgres)
            store = std::make_unique<PostgresMessageStore>(m_url);
        else
            store = std::make_unique<SqliteMessageStore>(m_path);
        QString error;
        if (!store->open(&error)) {
            qWarning().noquote() << "cannot open the store:" << error;
            return nullptr;
        }
        return store;
    }
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    bool m_postgres = false;
    QUrl m_url;
};

void tst_MessageStore::initTestCase_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::newRow("sqlite") << false;
    QTest::newRow("postgresql") << true;
}

void tst_MessageStore::socketIoRecoveryOutlivesTheProcess()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    {
        auto opened = openStore();
        QVERIFY(opened);
        MessageStore &store = *opened;
        QVERIFY(store.saveRecovery({QStringLiteral("pid-1"), QStringLiteral("sid-1"),
                                    QStringLiteral("Aminah"), QStringLiteral("tok"), false,
                                    now + 1000}));
        QVERIFY(store.saveRecovery({QStringLiteral("pid-2"), QStringLiteral("sid-2"),
                                    QStringLiteral("guest-1234"), QStringLiteral("tok2"), true,
                                    now - 1}));
        // Saved again (a drop after the identify): the newer record wins.
        QVERIFY(store.saveRecovery({QStringLiteral("pid-1"), QStringLiteral("sid-1"),
                                    QStringLiteral("Aminah"), QStringLiteral("tok"), false,
                                    now + 2000}));
    }
    auto opened = openStore(); // another process, later
    QVERIFY(opened);
    MessageStore &store = *opened;
    const auto found = store.takeRecovery(QStringLiteral("pid-1"), now);
    QVERIFY(found);
    QCOMPARE(found->sid, QStringLiteral("sid-1"));
    QCOMPARE(found->username, QStringLiteral("Aminah"));
    QCOMPARE(found->resumeToken, QStringLiteral("tok"));
    QCOMPARE(found->expiresMs, now + 2000);
    QVERIFY(!store.takeRecovery(QStringLiteral("pid-1"), now)); // taken: once only
    QVERIFY(!store.takeRecovery(QStringLiteral("pid-2"), now)); // expired
    QVERIFY(!store.takeRecovery(QStringLiteral("no such pid"), now));
}

void tst_MessageStore::init()
{
    QFETCH_GLOBAL(bool, postgres);
    m_postgres = postgres;
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("chat.sqlite"));
    if (!m_postgres)
        return;
    const QByteArray url = qgetenv("CHAT_TEST_POSTGRES_URL");
    if (url.isEmpty())
        QSKIP("no PostgreSQL: run through tests/lib/with-postgres.mjs (ctest does)");
    m_url = QUrl(QString::fromUtf8(url));
    // Each test on an empty database.
    auto store = openStore();
    QVERIFY(store);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("wipe"));
    {
        const QUrlQuery query(m_url);
        db.setHostName(query.queryItemValue(QStringLiteral("host"), QUrl::FullyDecoded));
        db.setPort(m_url.port());
        db.setDatabaseName(m_url.path().mid(1));
        db.setUserName(m_url.userName());
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        QVERIFY(q.exec(
            QStringLiteral("TRUNCATE messages, rooms, socketio_recovery, accounts, account_tokens,"
                           " account_changes, counters")));
        db.close();
    }
    db = {};
    QSqlDatabase::removeDatabase(QStringLiteral("wipe"));
}

void tst_MessageStore::cleanup()
{
    m_dir.reset();
}

void tst_MessageStore::idsIncreasePerRoom()
{
    auto opened = openStore();
    QVERIFY(opened);
    MessageStore &store = *opened;
    const auto a = store.append({post(QStringLiteral("a"), QStringLiteral("1")),
                                 post(QStringLiteral("b"), QStringLiteral("1")),
                                 post(QStringLiteral("a"), QStringLiteral("2"))});
    QVERIFY(a);
    QCOMPARE(a->at(0).message.id, 1);
    QCOMPARE(a->at(1).message.id, 1);
    QCOMPARE(a->at(2).message.id, 2);
    const auto b = store.append({post(QStringLiteral("a"), QStringLiteral("3"))});
    QCOMPARE(b->at(0).message.id, 3);
    QCOMPARE(store.lastId(QStringLiteral("a")), 3);
    QCOMPARE(store.firstId(QStringLiteral("a")), 1);
    QCOMPARE(store.lastId(QStringLiteral("none")), 0);
}

void tst_MessageStore::pagingBackwards()
{
    auto opened = openStore();
    QVERIFY(opened);
    MessageStore &store = *opened;
    QList<MessageStore::NewMessage> batch;
    for (int i = 1; i <= 120; ++i)
        batch.append(post(QStringLiteral("r"), QString::number(i)));
    QVERIFY(store.append(batch));
    const auto newest = store.before(QStringLiteral("r"), 0, 50);
    QCOMPARE(newest.messages.size(), 50);
    QCOMPARE(newest.messages.first().id, 71);
    QCOMPARE(newest.messages.last().id, 120);
    QVERIFY(newest.more);
    const auto older = store.before(QStringLiteral("r"), 71, 50);
    QCOMPARE(older.messages.first().id, 21);
    QCOMPARE(older.messages.last().id, 70);
    QVERIFY(older.more);
    const auto oldest = store.before(QStringLiteral("r"), 21, 50);
    QCOMPARE(oldest.messages.size(), 20);
    QCOMPARE(oldest.messages.first().id, 1);
    QVERIFY(!oldest.more);
}

void tst_MessageStore::recoveryAfter()
{
    auto opened = openStore();
    QVERIFY(opened);
    MessageStore &store = *opened;
    QList<MessageStore::NewMessage> batch;
    for (int i = 1; i <= 30; ++i)
        batch.append(post(QStringLiteral("r"), QString::number(i)));
    QVERIFY(store.append(batch));
    const auto few = store.after(QStringLiteral("r"), 25, 50);
    QCOMPARE(few.messages.size(), 5);
    QCOMPARE(few.messages.first().id, 26);
    QVERIFY(!few.more);
    const auto many = store.after(QStringLiteral("r"), 5, 10);
    QCOMPARE(many.messages.size(), 10);
    QCOMPARE(many.messages.first().id, 21); // the newest page; older ones by paging
    QCOMPARE(many.messages.last().id, 30);
    QVERIFY(many.more);
}

void tst_MessageStore::duplicateClientIdStoresOnce()
{
    auto opened = openStore();
    QVERIFY(opened);
    MessageStore &store = *opened;
    const auto first
        = store.append({post(QStringLiteral("r"), QStringLiteral("hi"), QStringLiteral("c1"))});
    QVERIFY(first && !first->at(0).duplicate);
    // Same user (any case), same clientId: the original comes back.
    const auto again = store.append({post(QStringLiteral("r"), QStringLiteral("hi"),
                                          QStringLiteral("c1"), QStringLiteral("AMINAH"))});
    QVERIFY(again->at(0).duplicate);
    QCOMPARE(again->at(0).message, first->at(0).message);
    // Another user may use the same clientId.
    const auto other = store.append({post(QStringLiteral("r"), QStringLiteral("hi"),
                                          QStringLiteral("c1"), QStringLiteral("Bob"))});
    QVERIFY(!other->at(0).duplicate);
    // Within one batch, too.
    const auto batch
        = store.append({post(QStringLiteral("r"), QStringLiteral("x"), QStringLiteral("c2")),
                        post(QStringLiteral("r"), QStringLiteral("x"), QStringLiteral("c2"))});
    QVERIFY(!batch->at(0).duplicate);
    QVERIFY(batch->at(1).duplicate);
    QCOMPARE(store.lastId(QStringLiteral("r")), 3);
}

void tst_MessageStore::survivesReopen()
{
    {
        auto opened = openStore();
        QVERIFY(opened);
        MessageStore &store = *opened;
        QVERIFY(
            store.append({post(QStringLiteral("r"), QStringLiteral("one"), QStringLiteral("c1")),
                          post(QStringLiteral("r"), QStringLiteral("two"))}));
    }
    auto opened = openStore();
    QVERIFY(opened);
    MessageStore &store = *opened;
    const auto page = store.before(QStringLiteral("r"), 0, 50);
    QCOMPARE(page.messages.size(), 2);
    QCOMPARE(page.messages.at(1).text, QStringLiteral("two"));
    QCOMPARE(page.messages.at(0).clientId, QStringLiteral("c1"));
    QCOMPARE(store.append({post(QStringLiteral("r"), QStringLiteral("three"))})->at(0).message.id,
             3);
    QVERIFY(store.append({post(QStringLiteral("r"), QStringLiteral("one"), QStringLiteral("c1"))})
                ->at(0)
                .duplicate);
}

void tst_MessageStore::usesWal()
{
    if (m_postgres)
        QSKIP("SQLite's journal mode");
    auto opened = openStore();
    QVERIFY(opened);
    MessageStore &store = *opened;
    QVERIFY(store.append({post(QStringLiteral("r"), QStringLiteral("x"))}));
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe"));
        db.setDatabaseName(m_path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        QVERIFY(q.exec(QStringLiteral("PRAGMA integrity_check")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("ok"));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("probe"));
}

void tst_MessageStore::listsRooms()
{
    auto opened = openStore();
    QVERIFY(opened);
    MessageStore &store = *opened;
    QVERIFY(store.append({post(QStringLiteral("zeta"), QStringLiteral("x")),
                          post(QStringLiteral("alpha"), QStringLiteral("x"))}));
    QCOMPARE(store.rooms(), (QStringList {QStringLiteral("alpha"), QStringLiteral("zeta")}));
    QVERIFY(store.append({post(QStringLiteral("zeta"), QStringLiteral("y"))}));
    const QHash<QString, qint64> expected {{QStringLiteral("alpha"), 1},
                                           {QStringLiteral("zeta"), 2}};
    QCOMPARE(store.lastIds(), expected);
}

void tst_MessageStore::pruneByCountAndAge()
{
    auto opened = openStore();
    QVERIFY(opened);
    MessageStore &store = *opened;
    QList<MessageStore::NewMessage> batch;
    for (int i = 1; i <= 30; ++i) {
        auto m = post(QStringLiteral("r"), QString::number(i));
        m.timestampMs = 1000 * i;
        batch.append(m);
    }
    QVERIFY(store.append(batch));
    // Keep the newest 20, at most 4 deletions per call.
    QCOMPARE(store.prune(QStringLiteral("r"), 20, 0, 4), 4);
    QCOMPARE(store.firstId(QStringLiteral("r")), 5);
    QCOMPARE(store.prune(QStringLiteral("r"), 20, 0, 100), 6);
    QCOMPARE(store.prune(QStringLiteral("r"), 20, 0, 100), 0);
    QCOMPARE(store.firstId(QStringLiteral("r")), 11);
    // By age: everything older than t=15000 goes.
    QCOMPARE(store.prune(QStringLiteral("r"), 0, 15000, 100), 4);
    QCOMPARE(store.firstId(QStringLiteral("r")), 15);
    QCOMPARE(store.lastId(QStringLiteral("r")), 30);
    QCOMPARE(store.append({post(QStringLiteral("r"), QStringLiteral("next"))})->at(0).message.id,
             31);
}

void tst_MessageStore::writersOnSeveralConnections()
{
    // What several servers on one PostgreSQL database do: writers on their own
    // connections post to the same rooms at once. Ids stay unique, without a
    // gap, and increasing in each writer's commit order.
    if (!m_postgres)
        QSKIP("SQLite has one writer per file: the server's StoreWorker");
    auto reader = openStore();
    QVERIFY(reader);
    constexpr int Writers = 3, Batches = 60, PerBatch = 4;
    std::vector<std::unique_ptr<StoreWorker>> writers;
    QList<QList<qint64>> ids(Writers);
    int completed = 0, failed = 0;
    for (int w = 0; w < Writers; ++w) {
        writers.push_back(std::make_unique<StoreWorker>());
        QVERIFY(writers.back()->start(reader->sibling()));
    }
    for (int b = 0; b < Batches; ++b) {
        for (int w = 0; w < Writers; ++w) {
            QList<MessageStore::NewMessage> batch;
            for (int i = 0; i < PerBatch; ++i) {
                // Two rooms in every batch, in both orders: rows locked in name
                // order never wait for each other in a cycle.
                const QString room = (i + w) % 2 ? QStringLiteral("a") : QStringLiteral("b");
                batch.append(post(room, QStringLiteral("w%1 b%2 i%3").arg(w).arg(b).arg(i),
                                  QStringLiteral("w%1-%2-%3").arg(w).arg(b).arg(i)));
            }
            writers[w]->run(
                [batch](MessageStore &store) {
                    const auto stored = store.append(batch);
                    return stored ? *stored : QList<MessageStore::Appended> {};
                },
                [&, w](const QList<MessageStore::Appended> &stored) {
                    ++completed;
                    if (stored.isEmpty())
                        ++failed;
                    for (const auto &a : stored) {
                        if (a.message.room == QLatin1String("a"))
                            ids[w].append(a.message.id);
                    }
                });
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(completed, Writers * Batches, 60000);
    QCOMPARE(failed, 0);
    QSet<qint64> all;
    for (const QList<qint64> &mine : std::as_const(ids)) {
        QVERIFY(std::is_sorted(mine.cbegin(), mine.cend()));
        for (qint64 id : mine)
            all.insert(id);
    }
    const int expected = Writers * Batches * PerBatch / 2;
    QCOMPARE(all.size(), expected);
    QCOMPARE(*std::min_element(all.cbegin(), all.cend()), 1);
    QCOMPARE(*std::max_element(all.cbegin(), all.cend()), expected);
    QCOMPARE(reader->lastId(QStringLiteral("a")), expected);
    const auto page = reader->before(QStringLiteral("a"), 0, expected);
    QCOMPARE(page.messages.size(), expected);
    for (qsizetype i = 0; i < page.messages.size(); ++i)
        QCOMPARE(page.messages.at(i).id, qint64(i + 1));
    for (auto &writer : writers)
        writer->stop();
}

void tst_MessageStore::siblingSeesTheSameData()
{
    auto opened = openStore();
    QVERIFY(opened);
    StoreWorker writer;
    QVERIFY(writer.start(opened->sibling()));
    bool done = false;
    writer.run(
        [this](MessageStore &store) {
            return store.append({post(QStringLiteral("r"), QStringLiteral("from the writer"))})
                .has_value();
        },
        [&done](bool ok) { done = ok; });
    QTRY_VERIFY(done);
    const auto page = opened->before(QStringLiteral("r"), 0, 10);
    QCOMPARE(page.messages.size(), 1);
    QCOMPARE(page.messages.first().text, QStringLiteral("from the writer"));
    QCOMPARE(opened->lastId(QStringLiteral("r")), 1);
    writer.stop();
}

// What `chat-server user ...` and a revoke change is numbered, so that a server
// holding the account's connections (another process) finds it and acts.
void tst_MessageStore::accountChangesAreNumbered()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto opened = openStore();
    QVERIFY(opened);
    AccountStore accounts(*opened);
    QCOMPARE(accounts.lastChange(), std::optional<qint64>(0));
    for (const char *name : {"Aminah", "Bob"}) {
        Account a;
        a.name = QString::fromLatin1(name);
        a.key = a.name.toLower();
        a.passwordHash = QStringLiteral("$argon2id$not-a-real-hash");
        a.createdMs = now;
        QCOMPARE(accounts.create(a), AccountStore::Result::Done);
    }
    QVERIFY(accounts.addToken(QStringLiteral("aminah"), QStringLiteral("t-laptop"),
                              QStringLiteral("d1"), QStringLiteral("laptop"), now, now + 60000));
    QVERIFY(accounts.addToken(QStringLiteral("aminah"), QStringLiteral("t-phone"),
                              QStringLiteral("d2"), QStringLiteral("phone"), now, now + 60000));
    QVERIFY(accounts.addToken(QStringLiteral("aminah"), QStringLiteral("t-old"),
                              QStringLiteral("d3"), QStringLiteral("old"), now - 2, now - 1));
    QCOMPARE(accounts.lastChange(), std::optional<qint64>(0)); // a sign-in is not a change

    QCOMPARE(accounts.setRole(QStringLiteral("aminah"), Role::Moderator),
             AccountStore::Result::Done);
    QCOMPARE(accounts.setRole(QStringLiteral("nobody"), Role::Moderator),
             AccountStore::Result::NotFound);
    auto changes = accounts.changesSince(0, now, 100);
    QVERIFY(changes);
    QCOMPARE(changes->size(), 1);
    QCOMPARE(changes->at(0).seq, 1);
    QCOMPARE(changes->at(0).key, QStringLiteral("aminah"));
    QVERIFY(changes->at(0).exists);
    QCOMPARE(changes->at(0).role, Role::Moderator);
    QCOMPARE(changes->at(0).tokenHashes.size(), 2); // the expired one is not a sign-in
    QVERIFY(changes->at(0).tokenHashes.contains(QStringLiteral("t-phone")));

    QCOMPARE(accounts.revokeDevice(QStringLiteral("aminah"), QStringLiteral("d2")), 1);
    QCOMPARE(accounts.revokeDevice(QStringLiteral("aminah"), QStringLiteral("d2")), 0);
    QCOMPARE(accounts.setDisabled(QStringLiteral("bob"), true), AccountStore::Result::Done);
    QCOMPARE(accounts.lastChange(), std::optional<qint64>(3)); // a revoke of nothing is none
    changes = accounts.changesSince(1, now, 100);
    QVERIFY(changes);
    QCOMPARE(changes->size(), 2);
    QCOMPARE(changes->at(0).key, QStringLiteral("aminah"));
    QCOMPARE(changes->at(0).tokenHashes, QStringList {QStringLiteral("t-laptop")});
    QCOMPARE(changes->at(1).key, QStringLiteral("bob"));
    QCOMPARE(changes->at(1).seq, 3);
    QVERIFY(changes->at(1).disabled);
    QVERIFY(changes->at(1).tokenHashes.isEmpty());

    // Another connection (another process: the shell) numbers on from there.
    auto other = opened->sibling();
    QVERIFY(other->open());
    QCOMPARE(AccountStore(*other).setPassword(QStringLiteral("aminah"), QStringLiteral("$new")),
             AccountStore::Result::Done);
    changes = accounts.changesSince(3, now, 100);
    QVERIFY(changes);
    QCOMPARE(changes->size(), 1);
    QCOMPARE(changes->at(0).seq, 4);
    QVERIFY(changes->at(0).tokenHashes.isEmpty()); // a new password ends every sign-in
    QCOMPARE(accounts.changesSince(4, now, 100)->size(), 0);
}

// The writer and the accounts worker write the same SQLite file on two
// connections. A transaction that read first and wrote later failed at once
// ("database is locked", no busy wait) when the other connection committed in
// between: once in CI a post was refused that way. beginWrite() takes the lock
// at its start, so the other connection waits (its busy timeout) instead.
void tst_MessageStore::aWriteHoldsTheLockFromItsStart()
{
    if (m_postgres)
        QSKIP("SQLite's locking");
    auto opened = openStore();
    QVERIFY(opened);
    auto *writer = dynamic_cast<SqlMessageStore *>(opened.get());
    QVERIFY(writer);
    QSqlDatabase other
        = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("other"));
    {
        other.setDatabaseName(m_path);
        other.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=50"));
        QVERIFY(other.open());
        QVERIFY(writer->beginWrite());
        QSqlQuery read(writer->database());
        QVERIFY(read.exec(QStringLiteral("SELECT count(*) FROM messages")));
        read.finish();
        // Another connection cannot write meanwhile: it waits, then gives up.
        QSqlQuery q(other);
        QVERIFY(!q.exec(QStringLiteral("INSERT INTO counters (name, value) VALUES ('x', 1)")));
        QVERIFY(writer->database().commit());
        // Once it is committed, it can.
        QVERIFY2(q.exec(QStringLiteral("INSERT INTO counters (name, value) VALUES ('x', 1)")),
                 qPrintable(q.lastError().text()));
        // And the writer's own read-then-write transaction never fails for a
        // commit made on the other connection before it began.
        QVERIFY(opened->append(
            {post(QStringLiteral("r"), QStringLiteral("after the other"), QStringLiteral("c1"))}));
        other.close();
    }
    other = {};
    QSqlDatabase::removeDatabase(QStringLiteral("other"));
}

QTEST_GUILESS_MAIN(tst_MessageStore)
#include "tst_messagestore.moc"
