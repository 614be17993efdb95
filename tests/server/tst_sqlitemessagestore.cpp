// The SQLite store on a real file: ids, paging, dedup, persistence.
#include "sqlitemessagestore.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Chat;

class tst_SqliteMessageStore : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void idsIncreasePerRoom();
    void pagingBackwards();
    void recoveryAfter();
    void duplicateClientIdStoresOnce();
    void survivesReopen();
    void usesWal();
    void listsRooms();
    void pruneByCountAndAge();
    void socketIoRecoveryOutlivesTheProcess();

private:
    MessageStore::NewMessage post(const QString &room, const QString &text,
                                  const QString &clientId = {},
                                  const QString &user = QStringLiteral("Aminah"))
    {
        return {room, user, text, clientId, 1795303164762};
    }
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void tst_SqliteMessageStore::socketIoRecoveryOutlivesTheProcess()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    {
        SqliteMessageStore store(m_path);
        QVERIFY(store.open());
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
    SqliteMessageStore store(m_path); // another process, later
    QVERIFY(store.open());
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

void tst_SqliteMessageStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("chat.sqlite"));
}

void tst_SqliteMessageStore::idsIncreasePerRoom()
{
    SqliteMessageStore store(m_path);
    QVERIFY(store.open());
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

void tst_SqliteMessageStore::pagingBackwards()
{
    SqliteMessageStore store(m_path);
    QVERIFY(store.open());
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

void tst_SqliteMessageStore::recoveryAfter()
{
    SqliteMessageStore store(m_path);
    QVERIFY(store.open());
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

void tst_SqliteMessageStore::duplicateClientIdStoresOnce()
{
    SqliteMessageStore store(m_path);
    QVERIFY(store.open());
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

void tst_SqliteMessageStore::survivesReopen()
{
    {
        SqliteMessageStore store(m_path);
        QVERIFY(store.open());
        QVERIFY(
            store.append({post(QStringLiteral("r"), QStringLiteral("one"), QStringLiteral("c1")),
                          post(QStringLiteral("r"), QStringLiteral("two"))}));
    }
    SqliteMessageStore store(m_path);
    QVERIFY(store.open());
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

void tst_SqliteMessageStore::usesWal()
{
    SqliteMessageStore store(m_path);
    QVERIFY(store.open());
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

void tst_SqliteMessageStore::listsRooms()
{
    SqliteMessageStore store(m_path);
    QVERIFY(store.open());
    QVERIFY(store.append({post(QStringLiteral("zeta"), QStringLiteral("x")),
                          post(QStringLiteral("alpha"), QStringLiteral("x"))}));
    QCOMPARE(store.rooms(), (QStringList {QStringLiteral("alpha"), QStringLiteral("zeta")}));
}

void tst_SqliteMessageStore::pruneByCountAndAge()
{
    SqliteMessageStore store(m_path);
    QVERIFY(store.open());
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

QTEST_GUILESS_MAIN(tst_SqliteMessageStore)
#include "tst_sqlitemessagestore.moc"
