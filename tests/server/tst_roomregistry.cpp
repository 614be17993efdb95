// Rooms: membership, the events they emit, and their lifetime in the registry.
#include "outputflusher.h"
#include "room.h"
#include "roomregistry.h"
#include "v1codec.h"
#include "wireframe.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <functional>
#include <utility>

using namespace Chat;

class tst_RoomRegistry : public QObject
{
    Q_OBJECT
private slots:
    void findOrCreateReturnsSameRoom();
    void membershipAndEvents();
    void emptyRoomIsClosed();
    void publishEncodesOnce();
    void broadcastEncodesOncePerEncoding();
    void deliversInIdOrder();
    void gapIsFilledFromTheStore();
    void deletedIdsAreNotWaitedFor();
    void neverCommittedIsDropped();
    void membersElsewhereAreCounted();
    void subscribersInOrderOnce();
    void subscriptionsChangeDuringADelivery();
    void presenceIsBatchedPerPass();
    void presenceBatchesComeFirst();
};

namespace {
// A codec that counts what it encodes.
class CountingCodec final : public WireCodec
{
public:
    explicit CountingCodec(int encoding) : m_encoding(encoding) { }
    int encoding() const override { return m_encoding; }
    const char *protocol() const override { return "counting"; }
    DecodeResult decode(const QByteArray &, const ProtocolLimits &) const override
    {
        return ProtocolError {};
    }
    QByteArray encode(const ServerEvent &event) const override
    {
        ++encoded;
        return QByteArray::number(m_encoding) + ':' + QByteArray::number(int(event.index()));
    }
    mutable int encoded = 0;

private:
    int m_encoding;
};

// What members of a room receive, each in its codec's encoding.
struct Member
{
    const WireCodec *codec;
    QString username;
    QList<QByteArray> received;
};

void listen(Room &room, QList<Member> &members, QObject *context)
{
    QObject::connect(&room, &Room::broadcast, context,
                     [&members](const Broadcast &event, const QString &skip) {
                         for (Member &m : members) {
                             if (m.username != skip)
                                 m.received.append(event.bytesFor(*m.codec));
                         }
                     });
}
} // namespace

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
    QCOMPARE(joined.at(1).at(0).toString(), QStringLiteral("Aminah"));
    QCOMPARE(joined.at(1).at(1).toInt(), 2);

    // What a v1 member receives for the same events.
    QList<Member> members {{&V1Codec::instance(), QStringLiteral("Aminah"), {}}};
    listen(room, members, this);
    room.removeMember(QStringLiteral("bob"));
    QCOMPARE(left.count(), 1);
    QCOMPARE(left.at(0).at(1).toInt(), 1);
    QCOMPARE(members.at(0).received.size(), 1);
    const QJsonObject frame = parse(members.at(0).received.at(0));
    QCOMPARE(frame.value(QLatin1String("type")).toString(), QStringLiteral("user-left"));
    QCOMPARE(frame.value(QLatin1String("username")).toString(), QStringLiteral("bob"));
    QCOMPARE(frame.value(QLatin1String("usersInRoom")).toInt(), 1);
    QCOMPARE(frame.value(QLatin1String("room")).toString(), QStringLiteral("general"));
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
    QList<Member> members {{&V1Codec::instance(), QStringLiteral("a"), {}},
                           {&V1Codec::instance(), QStringLiteral("b"), {}}};
    listen(room, members, this);
    ChatMessage m {QStringLiteral("general"), 1, QStringLiteral("a"), QStringLiteral("hi"), 0, {}};
    room.publish(m);
    QCOMPARE(posted.count(), 1);
    QCOMPARE(posted.at(0).at(0).value<ChatMessage>(), m);
    const QJsonObject frame = parse(members.at(0).received.at(0));
    QCOMPARE(frame.value(QLatin1String("type")).toString(), QStringLiteral("message"));
    QCOMPARE(frame.value(QLatin1String("text")).toString(), QStringLiteral("hi"));
    // Both members got the very same bytes, not a copy each.
    QCOMPARE(members.at(1).received.at(0).constData(), members.at(0).received.at(0).constData());
}

void tst_RoomRegistry::broadcastEncodesOncePerEncoding()
{
    // Five members in two encodings: each event is encoded twice, whatever the
    // number of members, and members of one encoding share the bytes.
    Room room(QStringLiteral("general"));
    CountingCodec first(0);
    CountingCodec second(1);
    QList<Member> members {{&first, QStringLiteral("a"), {}},
                           {&second, QStringLiteral("b"), {}},
                           {&first, QStringLiteral("c"), {}},
                           {&first, QStringLiteral("d"), {}},
                           {&second, QStringLiteral("e"), {}}};
    listen(room, members, this);
    room.publish({QStringLiteral("general"), 1, QStringLiteral("a"), QStringLiteral("hi"), 0, {}});
    QCOMPARE(first.encoded, 1);
    QCOMPARE(second.encoded, 1);
    room.addMember(QStringLiteral("f"));
    QCOMPARE(first.encoded, 2);
    QCOMPARE(second.encoded, 2);
    for (const Member &m : members)
        QCOMPARE(m.received.size(), 2);
    QCOMPARE(members.at(2).received.at(0).constData(), members.at(0).received.at(0).constData());
    QCOMPARE(members.at(4).received.at(0).constData(), members.at(1).received.at(0).constData());
    QCOMPARE(members.at(0).received.at(0), QByteArray("0:3")); // a ChatMessage
    QCOMPARE(members.at(1).received.at(1), QByteArray("1:4")); // an Event::Member
    // A typing event skips the typist and is encoded only for who gets it.
    room.setTyping(QStringLiteral("b"), true);
    QCOMPARE(members.at(1).received.size(), 2);
    QCOMPARE(members.at(4).received.size(), 3);
    QCOMPARE(second.encoded, 3);
}

namespace {
ChatMessage numbered(qint64 id)
{
    return {QStringLiteral("r"), id, QStringLiteral("a"), QStringLiteral("m%1").arg(id), 0, {}};
}
QList<qint64> ids(const QSignalSpy &spy)
{
    QList<qint64> out;
    for (const QList<QVariant> &args : spy)
        out.append(args.at(0).value<ChatMessage>().id);
    return out;
}

// Room "r" with a member, what it publishes, and (for several servers) a gap
// filler that records what it is asked for.
struct OrderedRoom
{
    explicit OrderedRoom(bool withFiller)
        : room(registry.findOrCreate(QStringLiteral("r"))), posted(room, &Room::messagePosted)
    {
        room->addMember(QStringLiteral("a"));
        if (withFiller)
            registry.setGapFiller([this](const QString &name, qint64 after) {
                asked.append({name, after});
            });
    }
    RoomRegistry registry;
    Room *room;
    QSignalSpy posted;
    QList<std::pair<QString, qint64>> asked;
};
} // namespace

void tst_RoomRegistry::deliversInIdOrder()
{
    // One server (no gap filler): what the bus brings is published as it comes,
    // a repeat is dropped, and the watermark follows.
    OrderedRoom r(false);
    RoomRegistry &registry = r.registry;
    QSignalSpy &posted = r.posted;
    registry.deliver(numbered(1));
    registry.deliver(numbered(2));
    registry.deliver(numbered(2));
    QCOMPARE(ids(posted), (QList<qint64> {1, 2}));
    QCOMPARE(registry.delivered(QStringLiteral("r")), 2);
}

void tst_RoomRegistry::gapIsFilledFromTheStore()
{
    // Several servers: 3 and 4 (this server's) come before 2 (another's); they
    // wait, the filler is asked once for what follows 1, and its answer
    // releases everything in order.
    OrderedRoom r(true);
    RoomRegistry &registry = r.registry;
    QSignalSpy &posted = r.posted;
    QList<std::pair<QString, qint64>> &asked = r.asked;
    registry.deliver(numbered(1));
    registry.deliver(numbered(3));
    registry.deliver(numbered(4));
    QCOMPARE(ids(posted), (QList<qint64> {1}));
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.first(), std::make_pair(QStringLiteral("r"), qint64(1)));
    registry.caughtUp(QStringLiteral("r"), {numbered(2), numbered(3)}, 3, true);
    QCOMPARE(ids(posted), (QList<qint64> {1, 2, 3, 4}));
    QCOMPARE(registry.delivered(QStringLiteral("r")), 4);
    QCOMPARE(asked.size(), 1); // nothing left to ask for
    // An answer that stops short of what waits: the filler is asked again.
    registry.deliver(numbered(9));
    QCOMPARE(asked.size(), 2);
    registry.caughtUp(QStringLiteral("r"), {numbered(5), numbered(6)}, 6, false);
    QCOMPARE(ids(posted), (QList<qint64> {1, 2, 3, 4, 5, 6}));
    QCOMPARE(asked.size(), 3);
    QCOMPARE(asked.last().second, 6);
    registry.caughtUp(QStringLiteral("r"), {numbered(7), numbered(8), numbered(9)}, 9, true);
    QCOMPARE(ids(posted), (QList<qint64> {1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

void tst_RoomRegistry::deletedIdsAreNotWaitedFor()
{
    // The store holds nothing between 1 and 5 any more (retention): its answer,
    // complete up to 4, lets 5 through.
    OrderedRoom r(true);
    RoomRegistry &registry = r.registry;
    QSignalSpy &posted = r.posted;
    registry.deliver(numbered(1));
    registry.deliver(numbered(5));
    QCOMPARE(r.asked.size(), 1);
    registry.caughtUp(QStringLiteral("r"), {}, 4, true);
    QCOMPARE(ids(posted), (QList<qint64> {1, 5}));
    QCOMPARE(r.asked.size(), 1);
}

void tst_RoomRegistry::neverCommittedIsDropped()
{
    // A bad bus message (id 100, the store's last id is 1): asked for once more
    // after a complete answer, then dropped; the room goes on with 2.
    OrderedRoom r(true);
    RoomRegistry &registry = r.registry;
    QSignalSpy &posted = r.posted;
    registry.deliver(numbered(1));
    registry.deliver(numbered(100));
    QCOMPARE(r.asked.size(), 1);
    registry.caughtUp(QStringLiteral("r"), {}, 1, true);
    QCOMPARE(r.asked.size(), 2);
    registry.caughtUp(QStringLiteral("r"), {}, 1, true);
    QCOMPARE(r.asked.size(), 2);
    registry.deliver(numbered(2));
    QCOMPARE(ids(posted), (QList<qint64> {1, 2}));
    QCOMPARE(r.asked.size(), 2);
}

void tst_RoomRegistry::membersElsewhereAreCounted()
{
    // Members on other servers: announced once with running counts; someone in
    // the room both here and elsewhere counts once and is never announced as
    // gone while still in it somewhere.
    Room room(QStringLiteral("r"));
    room.addMember(QStringLiteral("Aminah"));
    QList<Event::Member> events;
    connect(&room, &Room::broadcast, this, [&events](const Broadcast &event, const QString &) {
        if (const auto *m = std::get_if<Event::Member>(&event.event()))
            events.append(*m);
    });
    const auto member = [&events](int i) { return events.at(i); };
    room.setElsewhere({{QStringLiteral("bob"), QStringLiteral("Bob")},
                       {QStringLiteral("cara"), QStringLiteral("Cara")},
                       {QStringLiteral("aminah"), QStringLiteral("Aminah")}});
    QCOMPARE(events.size(), 2); // Bob and Cara; Aminah is here already
    QCOMPARE(member(0).usersInRoom, 2);
    QCOMPARE(member(1).usersInRoom, 3);
    QCOMPARE(room.usersInRoom(), 3);
    QCOMPARE(
        room.usernames(),
        (QStringList {QStringLiteral("Aminah"), QStringLiteral("Bob"), QStringLiteral("Cara")}));
    room.removeMember(QStringLiteral("Aminah")); // still elsewhere
    QCOMPARE(events.size(), 2);
    QCOMPARE(room.usersInRoom(), 3);
    room.setElsewhere({{QStringLiteral("bob"), QStringLiteral("Bob")}});
    QCOMPARE(events.size(), 4); // Aminah and Cara gone
    QCOMPARE(member(2).joined, false);
    QCOMPARE(member(2).usersInRoom, 2);
    QCOMPARE(member(3).usersInRoom, 1);
    QCOMPARE(room.usersInRoom(), 1);
}

namespace {
// A room subscriber that records what it got and can act during a delivery.
class Recorder final : public QObject, public RoomSubscriber
{
public:
    Recorder(const QString &name, QStringList *log) : m_name(name), m_log(log) { }
    std::function<void()> during; // run once, at the next event
    void onRoomEvent(const Broadcast &event, const QString &skipUsername) override
    {
        if (skipUsername == m_name)
            return;
        if (const auto *m = std::get_if<Event::Member>(&event.event())) {
            m_log->append(m_name + QLatin1Char(':') + m->username);
        } else if (const auto *p = std::get_if<Event::Presence>(&event.event())) {
            QStringList changes;
            for (const QString &u : p->joined)
                changes.append(QLatin1Char('+') + u);
            for (const QString &u : p->left)
                changes.append(QLatin1Char('-') + u);
            m_log->append(m_name + QLatin1Char(':') + changes.join(QLatin1Char(' '))
                          + QLatin1Char('=') + QString::number(p->usersInRoom));
        } else
            m_log->append(m_name + QStringLiteral(":other"));
        if (during)
            std::exchange(during, {})();
    }

    bool batching = false;
    bool batchesPresence() const override { return batching; }

private:
    QString m_name;
    QStringList *m_log;
};
} // namespace

void tst_RoomRegistry::subscribersInOrderOnce()
{
    Room room(QStringLiteral("r"));
    QStringList log;
    Recorder a(QStringLiteral("a"), &log), b(QStringLiteral("b"), &log);
    room.subscribe(&b, &b);
    room.subscribe(&a, &a);
    room.subscribe(&b, &b); // a second device of the same session: once
    QCOMPARE(room.subscriberCount(), 2);
    room.addMember(QStringLiteral("Zoe"));
    QCOMPARE(log, (QStringList {QStringLiteral("b:Zoe"), QStringLiteral("a:Zoe")}));
    log.clear();
    room.setTyping(QStringLiteral("a"), true); // a skips its own typing
    QCOMPARE(log, (QStringList {QStringLiteral("b:other")}));
    log.clear();
    room.unsubscribe(&b);
    QVERIFY(!room.isSubscribed(&b));
    room.addMember(QStringLiteral("Yan"));
    QCOMPARE(log, (QStringList {QStringLiteral("a:Yan")}));
}

void tst_RoomRegistry::subscriptionsChangeDuringADelivery()
{
    // A session closing while it is being delivered to (its owner destroyed),
    // one leaving, one joining: the others still get the event, the leaver and
    // the destroyed get nothing more, the joiner gets the next event only.
    Room room(QStringLiteral("r"));
    QStringList log;
    Recorder first(QStringLiteral("first"), &log), leaver(QStringLiteral("leaver"), &log),
        last(QStringLiteral("last"), &log), joiner(QStringLiteral("joiner"), &log);
    auto *doomed = new Recorder(QStringLiteral("doomed"), &log);
    room.subscribe(&first, &first);
    room.subscribe(doomed, doomed);
    room.subscribe(&leaver, &leaver);
    room.subscribe(&last, &last);
    first.during = [&] {
        delete doomed;
        room.unsubscribe(&leaver);
        room.subscribe(&joiner, &joiner);
    };
    room.addMember(QStringLiteral("Zoe"));
    QCOMPARE(log, (QStringList {QStringLiteral("first:Zoe"), QStringLiteral("last:Zoe")}));
    QCOMPARE(room.subscriberCount(), 3);
    log.clear();
    // A nested delivery (a member leaves while another event is delivered).
    first.during = [&] { room.removeMember(QStringLiteral("Zoe")); };
    room.addMember(QStringLiteral("Yan"));
    QCOMPARE(log,
             (QStringList {QStringLiteral("first:Yan"), QStringLiteral("first:Zoe"),
                           QStringLiteral("last:Zoe"), QStringLiteral("joiner:Zoe"),
                           QStringLiteral("last:Yan"), QStringLiteral("joiner:Yan")}));
    QCOMPARE(room.subscriberCount(), 3);
}

void tst_RoomRegistry::presenceIsBatchedPerPass()
{
    // A subscriber that batches presence gets the joins and leaves of one pass
    // as one event at its end, net of who came and went within it; the others
    // get each one at once, as before.
    OutputFlusher flusher;
    Room room(QStringLiteral("r"));
    room.setFlusher(&flusher);
    QStringList log;
    Recorder plain(QStringLiteral("plain"), &log), ours(QStringLiteral("ours"), &log);
    ours.batching = true;
    room.subscribe(&plain, &plain);
    room.subscribe(&ours, &ours);
    room.addMember(QStringLiteral("Aminah"));
    room.addMember(QStringLiteral("Ben"));
    room.addMember(QStringLiteral("Cik"));
    room.removeMember(QStringLiteral("Cik")); // came and went: nothing for ours
    QCOMPARE(log,
             (QStringList {QStringLiteral("plain:Aminah"), QStringLiteral("plain:Ben"),
                           QStringLiteral("plain:Cik"), QStringLiteral("plain:Cik")}));
    log.clear();
    flusher.flushAll();
    QCOMPARE(log, (QStringList {QStringLiteral("ours:+Aminah +Ben=2")}));
    log.clear();

    // The event loop's pass ends by itself: the flusher's timer.
    room.removeMember(QStringLiteral("Ben"));
    room.addMember(QStringLiteral("Dan"));
    room.removeMember(QStringLiteral("Aminah"));
    room.addMember(QStringLiteral("aminah")); // back, spelt otherwise
    QCOMPARE(log.size(), 4);
    QTRY_COMPARE(log.size(), 5);
    QCOMPARE(log.last(), QStringLiteral("ours:+aminah +Dan -Ben=2"));
    log.clear();
    flusher.flushAll(); // nothing left over
    QVERIFY(log.isEmpty());

    // Without a flusher each join is a batch of one, sent at once.
    Room alone(QStringLiteral("alone"));
    alone.subscribe(&ours, &ours);
    alone.addMember(QStringLiteral("Eve"));
    QCOMPARE(log, (QStringList {QStringLiteral("ours:+Eve=1")}));
}

void tst_RoomRegistry::presenceBatchesComeFirst()
{
    // Whatever happens in the room after a join, a batching subscriber hears
    // of the join first; and one that leaves (another device of someone who
    // just left) hears what happened before it went.
    OutputFlusher flusher;
    Room room(QStringLiteral("r"));
    room.setFlusher(&flusher);
    QStringList log;
    Recorder ours(QStringLiteral("ours"), &log), device(QStringLiteral("device"), &log);
    ours.batching = device.batching = true;
    room.subscribe(&ours, &ours);
    room.subscribe(&device, &device);
    room.addMember(QStringLiteral("Aminah"));
    room.addMember(QStringLiteral("Ben"));
    room.setTyping(QStringLiteral("Ben"), true);
    QCOMPARE(log,
             (QStringList {QStringLiteral("ours:+Aminah +Ben=2"),
                           QStringLiteral("device:+Aminah +Ben=2"), QStringLiteral("ours:other"),
                           QStringLiteral("device:other")}));
    log.clear();
    room.removeMember(QStringLiteral("Aminah"));
    room.unsubscribe(&device);
    QCOMPARE(log,
             (QStringList {QStringLiteral("ours:-Aminah=1"), QStringLiteral("device:-Aminah=1")}));
    log.clear();
    ChatMessage message;
    message.room = QStringLiteral("r");
    message.username = QStringLiteral("Ben");
    message.text = QStringLiteral("hi");
    room.addMember(QStringLiteral("Cik"));
    room.publish(message);
    QCOMPARE(log, (QStringList {QStringLiteral("ours:+Cik=2"), QStringLiteral("ours:other")}));
}

QTEST_GUILESS_MAIN(tst_RoomRegistry)
#include "tst_roomregistry.moc"
