// The Prometheus text writer and the histogram, on bytes: what promtool and a
// Prometheus server read.
#include "histogram.h"
#include "metricstext.h"
#include "processmetrics.h"

#include <QDateTime>
#include <QTest>

#include <cmath>
#include <limits>

using namespace Chat;

class tst_MetricsText : public QObject
{
    Q_OBJECT
private slots:
    void numbers_data();
    void numbers();
    void labelValuesEscaped();
    void familyAndSamples();
    void histogramBucketsAreCumulative();
    void histogramBoundaryGoesInItsBucket();
    void processFigures();
};

void tst_MetricsText::numbers_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("text");
    QTest::addRow("zero") << 0.0 << QByteArray("0");
    QTest::addRow("integer") << 42.0 << QByteArray("42");
    QTest::addRow("large counter") << 9007199254740991.0 << QByteArray("9007199254740991");
    QTest::addRow("negative") << -3.0 << QByteArray("-3");
    QTest::addRow("fraction") << 0.25 << QByteArray("0.25");
    QTest::addRow("small bound") << 0.0001 << QByteArray("0.0001");
    QTest::addRow("tiny") << 1e-05 << QByteArray("1e-05");
    QTest::addRow("shortest") << 0.1 + 0.2 << QByteArray("0.30000000000000004");
    QTest::addRow("+Inf") << std::numeric_limits<double>::infinity() << QByteArray("+Inf");
    QTest::addRow("-Inf") << -std::numeric_limits<double>::infinity() << QByteArray("-Inf");
    QTest::addRow("NaN") << std::numeric_limits<double>::quiet_NaN() << QByteArray("NaN");
}

void tst_MetricsText::numbers()
{
    QFETCH(double, value);
    QFETCH(QByteArray, text);
    QCOMPARE(MetricsText::number(value), text);
}

void tst_MetricsText::labelValuesEscaped()
{
    QCOMPARE(MetricsText::escapeLabelValue("plain"), QByteArray("plain"));
    QCOMPARE(MetricsText::escapeLabelValue("a\"b\\c\nd"), QByteArray("a\\\"b\\\\c\\nd"));
    QCOMPARE(MetricsText::escapeLabelValue("caf\xc3\xa9"),
             QByteArray("caf\xc3\xa9")); // UTF-8 as is
}

void tst_MetricsText::familyAndSamples()
{
    MetricsText out;
    out.family("chat_closes_total", MetricsText::Type::Counter, "Closes, by code.\nAnd side \\.");
    out.sample(3, {{"code", "1000"}, {"by", "client"}});
    out.sample(1, {{"code", "4002"}, {"by", "server"}});
    out.gauge("chat_rooms", "Rooms open.", 2);
    QCOMPARE(out.text(),
             QByteArray("# HELP chat_closes_total Closes, by code.\\nAnd side \\\\.\n"
                        "# TYPE chat_closes_total counter\n"
                        "chat_closes_total{code=\"1000\",by=\"client\"} 3\n"
                        "chat_closes_total{code=\"4002\",by=\"server\"} 1\n"
                        "# HELP chat_rooms Rooms open.\n"
                        "# TYPE chat_rooms gauge\n"
                        "chat_rooms 2\n"));
}

void tst_MetricsText::histogramBucketsAreCumulative()
{
    Histogram h({0.01, 0.1, 1});
    for (const double v : {0.005, 0.05, 0.05, 0.5, 5.0})
        h.observe(v);
    QCOMPARE(h.count(), quint64(5));
    QCOMPARE(h.counts(), (QList<quint64> {1, 2, 1, 1}));
    MetricsText out;
    out.histogram("commit_seconds", "Commit time.", h, {{"store", "sqlite"}});
    QCOMPARE(out.text(),
             QByteArray("# HELP commit_seconds Commit time.\n"
                        "# TYPE commit_seconds histogram\n"
                        "commit_seconds_bucket{store=\"sqlite\",le=\"0.01\"} 1\n"
                        "commit_seconds_bucket{store=\"sqlite\",le=\"0.1\"} 3\n"
                        "commit_seconds_bucket{store=\"sqlite\",le=\"1\"} 4\n"
                        "commit_seconds_bucket{store=\"sqlite\",le=\"+Inf\"} 5\n"
                        "commit_seconds_sum{store=\"sqlite\"} 5.605\n"
                        "commit_seconds_count{store=\"sqlite\"} 5\n"));
}

void tst_MetricsText::histogramBoundaryGoesInItsBucket()
{
    // "le": less than or equal.
    Histogram h({0.5, 1});
    h.observe(0.5);
    h.observe(1);
    h.observe(std::nextafter(1.0, 2.0));
    QCOMPARE(h.counts(), (QList<quint64> {1, 1, 1}));
}

void tst_MetricsText::processFigures()
{
    const ProcessMetrics m = ProcessMetrics::read();
    QVERIFY(m.residentBytes > 0);
    QVERIFY(m.virtualBytes >= m.residentBytes);
    QVERIFY(m.openFds >= 3); // stdin, stdout, stderr at least
    QVERIFY(m.cpuSeconds >= 0);
    const double now = double(QDateTime::currentSecsSinceEpoch());
    QVERIFY2(m.startTimeSeconds > now - 3600 && m.startTimeSeconds <= now + 1,
             QByteArray::number(m.startTimeSeconds).constData());
}

QTEST_GUILESS_MAIN(tst_MetricsText)
#include "tst_metricstext.moc"
