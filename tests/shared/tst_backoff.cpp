// Reconnect backoff: sequence, cap, jitter bounds, countdown and reset, with an
// injected clock and random source.
#include "backoff.h"

#include <QTest>

using namespace Chat;

class tst_Backoff : public QObject
{
    Q_OBJECT
private slots:
    void doublesFromHalfASecond();
    void capsAtThirtySeconds();
    void jitterStaysInBounds();
    void countsDown();
    void resetStartsOver();
};

void tst_Backoff::doublesFromHalfASecond()
{
    Backoff backoff(
        {}, [] { return qint64(0); }, [] { return 0.5; }); // 0.5: no jitter
    const QList<qint64> expected = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
    for (const qint64 delay : expected)
        QCOMPARE(backoff.nextDelay(), delay);
}

void tst_Backoff::capsAtThirtySeconds()
{
    Backoff backoff(
        {}, [] { return qint64(0); }, [] { return 0.999999; });
    qint64 delay = 0;
    for (int i = 0; i < 1000; ++i)
        delay = backoff.nextDelay();
    QCOMPARE(delay, qint64(30000)); // jitter never pushes past the cap
    QCOMPARE(backoff.baseDelay(10000), qint64(30000));
}

void tst_Backoff::jitterStaysInBounds()
{
    double r = 0.0;
    Backoff backoff(
        {}, [] { return qint64(0); }, [&r] { return r; });
    QCOMPARE(backoff.nextDelay(), qint64(400)); // 500 * 0.8
    r = 0.999999;
    QCOMPARE(backoff.nextDelay(), qint64(1200)); // 1000 * 1.2
    // Real randomness: every delay within +-20% of its base.
    Backoff real;
    for (int attempt = 0; attempt < 12; ++attempt) {
        const qint64 base = real.baseDelay(attempt);
        const qint64 delay = real.nextDelay();
        QVERIFY2(
            delay >= base * 0.8 - 1 && delay <= std::min<qint64>(30000, base * 1.2 + 1),
            qPrintable(
                QStringLiteral("attempt %1: %2 vs base %3").arg(attempt).arg(delay).arg(base)));
    }
}

void tst_Backoff::countsDown()
{
    qint64 now = 1000;
    Backoff backoff(
        {}, [&now] { return now; }, [] { return 0.5; });
    QCOMPARE(backoff.remainingMs(), qint64(0));
    backoff.nextDelay();
    QCOMPARE(backoff.remainingMs(), qint64(500));
    now += 200;
    QCOMPARE(backoff.remainingMs(), qint64(300));
    now += 1000;
    QCOMPARE(backoff.remainingMs(), qint64(0));
}

void tst_Backoff::resetStartsOver()
{
    Backoff backoff(
        {}, [] { return qint64(0); }, [] { return 0.5; });
    backoff.nextDelay();
    backoff.nextDelay();
    backoff.nextDelay();
    QCOMPARE(backoff.attempts(), 3);
    backoff.reset();
    QCOMPARE(backoff.attempts(), 0);
    QCOMPARE(backoff.remainingMs(), qint64(0));
    QCOMPARE(backoff.nextDelay(), qint64(500));
}

QTEST_GUILESS_MAIN(tst_Backoff)
#include "tst_backoff.moc"
