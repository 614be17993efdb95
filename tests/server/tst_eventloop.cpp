// The server's event loop (prepareServerEventLoop) keeps Qt's timer semantics:
// a timer fires no earlier than its interval, also when it was started from the
// handler of another timer due in the same pass, which stopped a third one
// (whose id the new timer may reuse). The cases follow Qt's own dispatcher tests.
#include "servermain.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTest>
#include <QTimer>

class tst_EventLoop : public QObject
{
    Q_OBJECT
private slots:
    void timerStartedFromHandlerWaitsItsInterval();
    void singleShotOrder();
    void zeroTimerDoesNotStarveOthers();
};

void tst_EventLoop::timerStartedFromHandlerWaitsItsInterval()
{
    for (int round = 0; round < 20; ++round) {
        // a and b are due in the same pass; a's handler stops b and starts a
        // long timer, which can take b's freed id.
        QTimer a;
        QTimer b;
        QTimer longOne;
        a.setSingleShot(true);
        b.setSingleShot(true);
        longOne.setSingleShot(true);
        bool longFired = false;
        bool bFired = false;
        connect(&longOne, &QTimer::timeout, this, [&] { longFired = true; });
        connect(&b, &QTimer::timeout, this, [&] { bFired = true; });
        connect(&a, &QTimer::timeout, this, [&] {
            b.stop();
            longOne.start(60000);
        });
        a.start(5);
        b.start(5);
        // A sentinel well after both were due: by then any early firing happened.
        bool sentinel = false;
        QTimer::singleShot(100, this, [&] { sentinel = true; });
        QTRY_VERIFY(sentinel);
        QVERIFY2(!longFired, "a 60 s timer fired within 100 ms");
        QVERIFY(!bFired);
        QVERIFY(longOne.isActive());
        QVERIFY(longOne.remainingTime() > 59000);
    }
}

void tst_EventLoop::singleShotOrder()
{
    QList<int> order;
    QTimer::singleShot(30, this, [&] { order.append(30); });
    QTimer::singleShot(10, this, [&] { order.append(10); });
    QTimer::singleShot(20, this, [&] { order.append(20); });
    QTRY_COMPARE(order.size(), 3);
    QCOMPARE(order, (QList<int> {10, 20, 30}));
}

void tst_EventLoop::zeroTimerDoesNotStarveOthers()
{
    QTimer busy;
    int spins = 0;
    connect(&busy, &QTimer::timeout, this, [&] { ++spins; });
    busy.start(0);
    QElapsedTimer clock;
    clock.start();
    bool fired = false;
    QTimer::singleShot(20, this, [&] { fired = true; });
    QTRY_VERIFY(fired);
    QVERIFY(clock.elapsed() >= 19);
    QVERIFY(spins > 0);
}

int main(int argc, char *argv[])
{
    Chat::prepareServerEventLoop(); // what chat-server's main() does
    QCoreApplication app(argc, argv);
    tst_EventLoop test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_eventloop.moc"
