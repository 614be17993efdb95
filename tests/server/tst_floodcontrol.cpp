// FloodControl: what a connection over its rates gets, on an exact clock.
#include "floodcontrol.h"

#include <QTest>

using namespace Chat;
using Verdict = FloodControl::Verdict;

class tst_FloodControl : public QObject
{
    Q_OBJECT
private slots:
    void chatOverItsRate();
    void everyTenthRefusalExplainsAgain();
    void typingIsDroppedSilently();
    void requestsHaveTheirOwnBucket();
    void rateZeroTurnsItOff();
    void aReloadAppliesToOpenConnections();
};

namespace {
struct Fixture
{
    ProtocolLimits limits;
    FloodLimits flood;
    qint64 now = 0;
    TokenBucket::Clock clock = [this] { return now; };
    Fixture()
    {
        limits.ratePerSecond = 5;
        limits.rateBurst = 2;
        flood.requestsPerSecond = 1;
        flood.requestBurst = 3;
        flood.typingPerSecond = 1;
        flood.typingBurst = 1;
        flood.closeAfterRefused = 25;
    }
    FloodControl make() const { return FloodControl(limits, flood, &clock); }
};
} // namespace

void tst_FloodControl::chatOverItsRate()
{
    Fixture f;
    FloodControl flood = f.make();
    QCOMPARE(flood.admit(RequestType::Chat), Verdict::Admit);
    QCOMPARE(flood.admit(RequestType::Chat), Verdict::Admit); // the burst
    QCOMPARE(flood.admit(RequestType::Chat), Verdict::RefuseAndExplain);
    QCOMPARE(flood.admit(RequestType::Chat), Verdict::Refuse);
    QCOMPARE(flood.refusedInRow(), 2);
    f.now += 200; // one token at 5/s
    QCOMPARE(flood.admit(RequestType::Chat), Verdict::Admit);
    QCOMPARE(flood.refusedInRow(), 0); // an admitted request ends the row
    QCOMPARE(flood.admit(RequestType::Chat), Verdict::RefuseAndExplain);
}

void tst_FloodControl::everyTenthRefusalExplainsAgain()
{
    Fixture f;
    FloodControl flood = f.make();
    flood.admit(RequestType::Chat);
    flood.admit(RequestType::Chat);
    QList<int> explained;
    for (int i = 1; i <= 25; ++i) {
        const Verdict v = flood.admit(RequestType::Chat);
        QVERIFY(v == Verdict::Refuse || v == Verdict::RefuseAndExplain);
        if (v == Verdict::RefuseAndExplain)
            explained.append(i);
    }
    QCOMPARE(explained, (QList<int> {1, 10, 20}));
    QCOMPARE(flood.admit(RequestType::Chat), Verdict::Close); // the 26th in a row
}

void tst_FloodControl::typingIsDroppedSilently()
{
    Fixture f;
    FloodControl flood = f.make();
    QCOMPARE(flood.admit(RequestType::Typing), Verdict::Admit);
    for (int i = 0; i < 100; ++i)
        QCOMPARE(flood.admit(RequestType::Typing), Verdict::Drop);
    QCOMPARE(flood.refusedInRow(), 0); // dropped typing never closes a connection
    f.now += 1000;
    QCOMPARE(flood.admit(RequestType::Typing), Verdict::Admit);
}

void tst_FloodControl::requestsHaveTheirOwnBucket()
{
    Fixture f;
    FloodControl flood = f.make();
    for (int i = 0; i < 3; ++i)
        QCOMPARE(flood.admit(RequestType::Join), Verdict::Admit);
    QCOMPARE(flood.admit(RequestType::History), Verdict::RefuseAndExplain);
    QCOMPARE(flood.admit(RequestType::Chat), Verdict::Admit); // chat still has its tokens
}

void tst_FloodControl::rateZeroTurnsItOff()
{
    Fixture f;
    f.limits.ratePerSecond = 0; // the subject of this test: --rate-limit 0 turns every bucket off
    FloodControl flood = f.make();
    for (int i = 0; i < 1000; ++i) {
        QCOMPARE(flood.admit(RequestType::Chat), Verdict::Admit);
        QCOMPARE(flood.admit(RequestType::Rooms), Verdict::Admit);
        QCOMPARE(flood.admit(RequestType::Typing), Verdict::Admit);
    }
}

void tst_FloodControl::aReloadAppliesToOpenConnections()
{
    Fixture f;
    FloodControl flood = f.make();
    QCOMPARE(flood.admit(RequestType::Chat), Verdict::Admit);
    QCOMPARE(flood.admit(RequestType::Chat), Verdict::Admit);
    QCOMPARE(flood.admit(RequestType::Chat), Verdict::RefuseAndExplain);
    f.limits.rateBurst = 4; // the server's limits after a reload (SIGHUP)
    f.now += 1000; // 5 tokens at 5/s, up to the new burst of 4
    for (int i = 0; i < 4; ++i)
        QCOMPARE(flood.admit(RequestType::Chat), Verdict::Admit);
    QCOMPARE(flood.admit(RequestType::Chat), Verdict::RefuseAndExplain);
    f.limits.ratePerSecond = 0; // --rate-limit 0 on reload: every bucket off
    for (int i = 0; i < 100; ++i)
        QCOMPARE(flood.admit(RequestType::Join), Verdict::Admit);
}

QTEST_GUILESS_MAIN(tst_FloodControl)
#include "tst_floodcontrol.moc"
