// The outbox: order, confirmation, and surviving a restart of the client; and
// what the client builds on it after a restart (rooms, pending rows, names).
#include "chatclient.h"
#include "messagemodel.h"
#include "outbox.h"
#include "roomlistmodel.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Chat;

class tst_Outbox : public QObject
{
    Q_OBJECT
private slots:
    void keepsOrderAndConfirms();
    void survivesRestart();
    void anotherFileReplacesTheItems();
    void leftRoomStaysLeftAfterRestart();
    void restoredPendingRowsShowTheSender();
    void newNameSendsOnlyItsOwnMessages();

private:
    // A server address nothing listens on: the client stays offline.
    static QUrl nowhere() { return QUrl(QStringLiteral("ws://127.0.0.1:9/")); }
};

void tst_Outbox::keepsOrderAndConfirms()
{
    Outbox outbox;
    const OutboxItem a = outbox.add(QStringLiteral("general"), QStringLiteral("one"));
    const OutboxItem b = outbox.add(QStringLiteral("general"), QStringLiteral("two"));
    outbox.add(QStringLiteral("other"), QStringLiteral("three"));
    QVERIFY(a.clientId != b.clientId);
    QCOMPARE(outbox.unsentFor(QStringLiteral("general")).size(), 2);
    QCOMPARE(outbox.unsentFor(QStringLiteral("general")).at(0).text, QStringLiteral("one"));
    outbox.markSent(a.clientId);
    QCOMPARE(outbox.unsentFor(QStringLiteral("general")).size(), 1);
    outbox.markAllUnsent();
    QCOMPARE(outbox.unsentFor(QStringLiteral("general")).size(), 2);
    QVERIFY(outbox.confirm(a.clientId));
    QVERIFY(!outbox.confirm(a.clientId));
    QCOMPARE(outbox.size(), 2);
}

void tst_Outbox::survivesRestart()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("outbox.json"));
    QString id;
    {
        Outbox outbox;
        outbox.setStorageFile(file);
        id = outbox.add(QStringLiteral("general"), QStringLiteral("unsent 1")).clientId;
        outbox.add(QStringLiteral("general"), QStringLiteral("unsent 2"));
        const OutboxItem done = outbox.add(QStringLiteral("general"), QStringLiteral("confirmed"));
        outbox.confirm(done.clientId);
    }
    Outbox again;
    again.setStorageFile(file);
    QCOMPARE(again.size(), 2);
    QCOMPARE(again.items().at(0).clientId, id);
    QCOMPARE(again.items().at(1).text, QStringLiteral("unsent 2"));
    QVERIFY(!again.items().at(0).sent);
}

void tst_Outbox::anotherFileReplacesTheItems()
{
    // Another name (or server) has its own outbox file; switching does not mix them.
    QTemporaryDir dir;
    const QString ali = dir.filePath(QStringLiteral("ali.json"));
    const QString bob = dir.filePath(QStringLiteral("bob.json"));
    Outbox outbox;
    outbox.setStorageFile(ali);
    outbox.add(QStringLiteral("general"), QStringLiteral("typed as ali"));
    outbox.setStorageFile(bob);
    QCOMPARE(outbox.size(), 0);
    outbox.add(QStringLiteral("general"), QStringLiteral("typed as bob"));
    outbox.setStorageFile(ali);
    QCOMPARE(outbox.size(), 1);
    QCOMPARE(outbox.items().at(0).text, QStringLiteral("typed as ali"));
    Outbox reread;
    reread.setStorageFile(bob);
    QCOMPARE(reread.size(), 1);
    QCOMPARE(reread.items().at(0).text, QStringLiteral("typed as bob"));
}

void tst_Outbox::leftRoomStaysLeftAfterRestart()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("outbox.json"));
    {
        ChatClient client;
        client.connection()->outbox()->setStorageFile(file);
        client.start(nowhere(), QStringLiteral("Aminah"),
                     {QStringLiteral("general"), QStringLiteral("side")});
        client.setCurrentRoom(QStringLiteral("side"));
        QVERIFY(client.sendText(QStringLiteral("never sent")).isEmpty());
        client.leaveRoom(QStringLiteral("side"));
    }
    ChatClient again;
    again.connection()->outbox()->setStorageFile(file);
    again.start(nowhere(), QStringLiteral("Aminah"), {QStringLiteral("general")});
    QCOMPARE(again.rooms()->names(), QStringList {QStringLiteral("general")});
    QVERIFY(again.connection()->outbox()->isEmpty());
}

void tst_Outbox::restoredPendingRowsShowTheSender()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("outbox.json"));
    {
        ChatClient client;
        client.connection()->outbox()->setStorageFile(file);
        client.start(nowhere(), QStringLiteral("Aminah"), {QStringLiteral("general")});
        QVERIFY(client.sendText(QStringLiteral("waiting")).isEmpty());
    }
    ChatClient again;
    again.connection()->outbox()->setStorageFile(file);
    again.start(nowhere(), QStringLiteral("Aminah"), {QStringLiteral("general")});
    const MessageModel *model = again.messages(QStringLiteral("general"));
    QVERIFY(model);
    QCOMPARE(model->rowCount(), 1);
    const QModelIndex row = model->index(0);
    QCOMPARE(row.data(MessageModel::TextRole).toString(), QStringLiteral("waiting"));
    QCOMPARE(row.data(MessageModel::SenderRole).toString(), QStringLiteral("Aminah"));
    QCOMPARE(row.data(MessageModel::StatusRole).value<MessageModel::Status>(),
             MessageModel::Status::Pending);
}

void tst_Outbox::newNameSendsOnlyItsOwnMessages()
{
    // The name was taken; the user picks another at the login dialog, which
    // switches to that name's outbox. What was typed as the old name stays there.
    QTemporaryDir dir;
    ChatClient client;
    Outbox *outbox = client.connection()->outbox();
    outbox->setStorageFile(dir.filePath(QStringLiteral("ali.json")));
    client.start(nowhere(), QStringLiteral("Ali"), {QStringLiteral("general")});
    QVERIFY(client.sendText(QStringLiteral("typed as Ali")).isEmpty());
    MessageModel *model = client.messages(QStringLiteral("general"));
    QCOMPARE(model->rowCount(), 1);
    outbox->setStorageFile(dir.filePath(QStringLiteral("ali2.json")));
    QVERIFY(outbox->isEmpty()); // nothing of Ali's is sent as Ali2
    QCOMPARE(model->rowCount(), 0); // and the pending row went with it
    Outbox old;
    old.setStorageFile(dir.filePath(QStringLiteral("ali.json")));
    QCOMPARE(old.size(), 1);
    QCOMPARE(old.items().at(0).text, QStringLiteral("typed as Ali"));
}

QTEST_GUILESS_MAIN(tst_Outbox)
#include "tst_outbox.moc"
