// Room list: unread and mention counts, mute.
#include "roomlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Chat;

class tst_RoomListModel : public QObject
{
    Q_OBJECT
private slots:
    void unreadCounts();
    void muteAndRemove();
};

void tst_RoomListModel::unreadCounts()
{
    RoomListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy total(&model, &RoomListModel::totalUnreadChanged);
    model.addRoom(QStringLiteral("general"));
    model.addRoom(QStringLiteral("random"));
    model.addRoom(QStringLiteral("general")); // once
    QCOMPARE(model.rowCount(), 2);
    model.addUnread(QStringLiteral("random"), false);
    model.addUnread(QStringLiteral("random"), true);
    QCOMPARE(model.unread(QStringLiteral("random")), 2);
    QCOMPARE(model.index(1).data(RoomListModel::MentionsRole).toInt(), 1);
    QCOMPARE(model.index(1).data(Qt::DisplayRole).toString(), QStringLiteral("random (2)"));
    QCOMPARE(model.totalUnread(), 2);
    QCOMPARE(total.count(), 2);
    model.clearUnread(QStringLiteral("random"));
    QCOMPARE(model.totalUnread(), 0);
    QCOMPARE(total.last().at(0).toInt(), 0);
    QCOMPARE(model.index(1).data(Qt::DisplayRole).toString(), QStringLiteral("random"));
}

void tst_RoomListModel::muteAndRemove()
{
    RoomListModel model;
    model.addRoom(QStringLiteral("general"));
    model.setMuted(QStringLiteral("general"), true);
    QVERIFY(model.isMuted(QStringLiteral("general")));
    QCOMPARE(model.index(0).data(RoomListModel::MutedRole).toBool(), true);
    model.addUnread(QStringLiteral("general"), false);
    model.removeRoom(QStringLiteral("general"));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.totalUnread(), 0);
}

QTEST_GUILESS_MAIN(tst_RoomListModel)
#include "tst_roomlistmodel.moc"
