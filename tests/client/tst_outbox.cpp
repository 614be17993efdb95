// The outbox: order, confirmation, and surviving a restart of the client.
#include "outbox.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Chat;

class tst_Outbox : public QObject
{
    Q_OBJECT
private slots:
    void keepsOrderAndConfirms();
    void survivesRestart();
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

QTEST_GUILESS_MAIN(tst_Outbox)
#include "tst_outbox.moc"
