// Sign-in throttling on an exact clock: the burst, the refill, per account and
// per address, the attempt given back on success, and the bounded maps.
#include "loginthrottle.h"

#include <QTest>

using namespace Chat;

class tst_LoginThrottle : public QObject
{
    Q_OBJECT
private slots:
    void accountBurstThenOnePerTenSeconds();
    void addressesAreCountedApart();
    void successGivesTheAttemptBack();
    void thousandGuessesTakeHours();
    void mapsStayBounded();
};

void tst_LoginThrottle::accountBurstThenOnePerTenSeconds()
{
    qint64 now = 0;
    LoginThrottle throttle({}, [&now] { return now; });
    for (int i = 0; i < 10; ++i)
        QCOMPARE(throttle.begin(QStringLiteral("bob"), QStringLiteral("10.0.0.%1").arg(i)), 0);
    // Another address: the account is out of attempts.
    const qint64 wait = throttle.begin(QStringLiteral("bob"), QStringLiteral("10.0.0.99"));
    QVERIFY(wait > 9000 && wait <= 10000);
    now += 10000;
    QCOMPARE(throttle.begin(QStringLiteral("bob"), QStringLiteral("10.0.0.99")), 0);
    QVERIFY(throttle.begin(QStringLiteral("bob"), QStringLiteral("10.0.0.99")) > 0);
    // Other accounts are not affected by Bob's.
    QCOMPARE(throttle.begin(QStringLiteral("cara"), QStringLiteral("10.0.0.50")), 0);
}

void tst_LoginThrottle::addressesAreCountedApart()
{
    qint64 now = 0;
    LoginThrottle throttle({}, [&now] { return now; });
    // One address trying many names: 10, then one per 6 s.
    for (int i = 0; i < 10; ++i)
        QCOMPARE(throttle.begin(QStringLiteral("user%1").arg(i), QStringLiteral("10.0.0.1")), 0);
    QVERIFY(throttle.begin(QStringLiteral("user99"), QStringLiteral("10.0.0.1")) > 0);
    QCOMPARE(throttle.begin(QStringLiteral("user99"), QStringLiteral("10.0.0.2")), 0);
    now += 6000;
    QCOMPARE(throttle.begin(QStringLiteral("user98"), QStringLiteral("10.0.0.1")), 0);
}

void tst_LoginThrottle::successGivesTheAttemptBack()
{
    qint64 now = 0;
    LoginThrottle throttle({}, [&now] { return now; });
    // A user who types the password right every time is never slowed down.
    for (int i = 0; i < 100; ++i) {
        QCOMPARE(throttle.begin(QStringLiteral("aminah"), QStringLiteral("10.0.0.1")), 0);
        throttle.succeeded(QStringLiteral("aminah"), QStringLiteral("10.0.0.1"));
    }
}

void tst_LoginThrottle::thousandGuessesTakeHours()
{
    qint64 now = 0;
    LoginThrottle throttle({}, [&now] { return now; });
    int guesses = 0;
    int address = 0;
    // An attacker with a new address for every guess, trying as soon as allowed.
    while (guesses < 1000) {
        const qint64 wait
            = throttle.begin(QStringLiteral("bob"), QStringLiteral("10.1.%1").arg(++address));
        if (wait == 0)
            ++guesses;
        else
            now += wait;
    }
    QVERIFY2(now >= qint64(2.7 * 3600 * 1000), qPrintable(QString::number(now)));
}

void tst_LoginThrottle::mapsStayBounded()
{
    qint64 now = 0;
    LoginLimits limits;
    limits.maxEntries = 100;
    LoginThrottle throttle(limits, [&now] { return now; });
    for (int i = 0; i < 5000; ++i)
        throttle.begin(QStringLiteral("name%1").arg(i), QStringLiteral("10.2.%1").arg(i));
    QVERIFY(throttle.trackedAccounts() <= 101);
    QVERIFY(throttle.trackedAddresses() <= 101);
    // The flood's unknown keys share one bucket: it is empty now.
    QVERIFY(throttle.begin(QStringLiteral("fresh"), QStringLiteral("10.3.1")) > 0);
    // Once the buckets refill they are forgotten, and a new key has its own again.
    now += 3600 * 1000;
    QCOMPARE(throttle.begin(QStringLiteral("fresh"), QStringLiteral("10.3.1")), 0);
}

QTEST_GUILESS_MAIN(tst_LoginThrottle)
#include "tst_loginthrottle.moc"
