// Rooms: membership, the events they emit, and their lifetime in the registry.
#include "room.h"
#include "roomregistry.h"
#include "wireframe.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Chat;

class tst_RoomRegistry : public QObject
{
    Q_OBJECT
private slots:
    void findOrCreateReturnsSameRoom();
    void membershipAndEvents();
    void emptyRoomIsClosed();
    void publishEncodesOnce();
};

static QJsonObject parse(const QByteArray &frame)
{
    return QJsonDocument::fromJson(WireFrame::payloadOf(frame)).object();
}

void tst_RoomRegistry::findOrCreateReturnsSameRoom()
{
    RoomRegistry registry;
    QSignalSpy created(&registry, &RoomRegistry::roomCreated);
    Room *a = registry.findOrCreate(QStringLiteral("general"));
    QCOMPARE(registry.findOrCreate(QStringLiteral("general")), a);
    QVERIFY(registry.findOrCreate(QStringLiteral("General")) != a); // names are case-sensitive
    QCOMPARE(registry.count(), 2);
    QCOMPARE(created.count(), 2);
    QCOMPARE(registry.find(QStringLiteral("nope")), nullptr);
}

void tst_RoomRegistry::membershipAndEvents()
{
    Room room(QStringLiteral("general"));
    QSignalSpy joined(&room, &Room::memberJoined);
    QSignalSpy left(&room, &Room::memberLeft);
    room.addMember(QStringLiteral("bob"));
    room.addMember(QStringLiteral("Aminah"));
    QCOMPARE(room.memberCount(), 2);
    QCOMPARE(room.usernames(), (QStringList {QStringLiteral("Aminah"), QStringLiteral("bob")}));
    QVERIFY(room.hasMember(QStringLiteral("AMINAH")));
    QCOMPARE(joined.count(), 2);
    const QJsonObject second = parse(joined.at(1).at(1).toByteArray());
    QCOMPARE(second.value(QLatin1String("type")).toString(), QStringLiteral("user-joined"));
    QCOMPARE(second.value(QLatin1String("usersInRoom")).toInt(), 2);
    QCOMPARE(second.value(QLatin1String("room")).toString(), QStringLiteral("general"));

    room.removeMember(QStringLiteral("bob"));
    QCOMPARE(left.count(), 1);
    QCOMPARE(parse(left.at(0).at(1).toByteArray()).value(QLatin1String("usersInRoom")).toInt(), 1);
    room.removeMember(QStringLiteral("bob")); // not a member any more: nothing happens
    QCOMPARE(left.count(), 1);
}

void tst_RoomRegistry::emptyRoomIsClosed()
{
    RoomRegistry registry;
    QSignalSpy closed(&registry, &RoomRegistry::roomClosed);
    Room *room = registry.findOrCreate(QStringLiteral("tmp"));
    QPointer<Room> guard(room);
    room->addMember(QStringLiteral("a"));
    room->removeMember(QStringLiteral("a"));
    QCOMPARE(closed.count(), 1);
    QCOMPARE(registry.count(), 0);
    QTRY_VERIFY(guard.isNull());
}

void tst_RoomRegistry::publishEncodesOnce()
{
    Room room(QStringLiteral("general"));
    QSignalSpy posted(&room, &Room::messagePosted);
    ChatMessage m {QStringLiteral("general"), 1, QStringLiteral("a"), QStringLiteral("hi"), 0, {}};
    room.publish(m);
    QCOMPARE(posted.count(), 1);
    const QJsonObject frame = parse(posted.at(0).at(1).toByteArray());
    QCOMPARE(frame.value(QLatin1String("type")).toString(), QStringLiteral("message"));
    QCOMPARE(frame.value(QLatin1String("text")).toString(), QStringLiteral("hi"));
}

QTEST_GUILESS_MAIN(tst_RoomRegistry)
#include "tst_roomregistry.moc"
