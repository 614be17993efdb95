// Token bucket: burst, refill rate, cap, unlimited.
#include "tokenbucket.h"

#include <QTest>

using namespace Chat;

class tst_TokenBucket : public QObject
{
    Q_OBJECT
private slots:
    void burstThenRate();
    void refillIsCapped();
    void unlimited();
    void giveBackIsCapped();
};

void tst_TokenBucket::burstThenRate()
{
    qint64 now = 0;
    TokenBucket bucket(10, 20, [&now] { return now; });
    int allowed = 0;
    for (int i = 0; i < 100; ++i)
        allowed += bucket.take() ? 1 : 0;
    QCOMPARE(allowed, 20); // the burst
    now += 1000; // one second: ten more
    allowed = 0;
    for (int i = 0; i < 100; ++i)
        allowed += bucket.take() ? 1 : 0;
    QCOMPARE(allowed, 10);
    now += 150; // 1.5 tokens
    QVERIFY(bucket.take());
    QVERIFY(!bucket.take());
}

void tst_TokenBucket::refillIsCapped()
{
    qint64 now = 0;
    TokenBucket bucket(10, 5, [&now] { return now; });
    now += 3600 * 1000;
    QCOMPARE(bucket.available(), 5.0);
}

void tst_TokenBucket::unlimited()
{
    TokenBucket bucket(0, 1);
    for (int i = 0; i < 10000; ++i)
        QVERIFY(bucket.take());
}

void tst_TokenBucket::giveBackIsCapped()
{
    qint64 now = 0;
    TokenBucket bucket(1, 2, [&now] { return now; });
    QVERIFY(bucket.take());
    QVERIFY(bucket.take());
    QVERIFY(!bucket.take());
    bucket.giveBack();
    QVERIFY(bucket.take()); // the one given back
    QVERIFY(!bucket.take());
    bucket.giveBack();
    bucket.giveBack();
    bucket.giveBack();
    QCOMPARE(bucket.available(), 2.0); // never above the burst
}

QTEST_GUILESS_MAIN(tst_TokenBucket)
#include "tst_tokenbucket.moc"
