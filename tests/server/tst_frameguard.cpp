// ClientFrameScanner: follows client frame headers across any split of the
// stream and finds the first unmasked frame.
#include "clientframe.h"
#include "frameguard.h"

#include <QRandomGenerator>
#include <QTest>

using Chat::ClientFrameScanner;

namespace {

using Chat::Testing::clientFrame;

QByteArray frame(int opcode, const QByteArray &payload, bool masked = true, bool fin = true)
{
    return clientFrame(opcode, payload, masked, fin);
}

// Feeds `stream` in pieces of at most `piece` bytes.
qint64 scan(const QByteArray &stream, int piece)
{
    ClientFrameScanner scanner;
    for (qsizetype i = 0; i < stream.size(); i += piece)
        scanner.feed(stream.constData() + i, qMin<qsizetype>(piece, stream.size() - i));
    return scanner.violationAt();
}

} // namespace

class TestFrameGuard : public QObject
{
    Q_OBJECT
private slots:
    void scanner_data();
    void scanner();
    void randomSplits();
};

void TestFrameGuard::scanner_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<qint64>("violation");

    const QByteArray small = frame(1, R"({"type":"rooms"})");
    const QByteArray empty = frame(1, {});
    const QByteArray medium = frame(1, QByteArray(300, 'a'));
    const QByteArray large = frame(2, QByteArray(70000, 'b'));
    const QByteArray ping = frame(9, "p");
    const QByteArray fragments = frame(1, "ab", true, false) + frame(0, "cd");
    const QByteArray unmasked = frame(1, "x", false);

    QTest::newRow("one masked frame") << small << qint64(-1);
    QTest::newRow("empty masked frame") << empty << qint64(-1);
    QTest::newRow("16-bit length") << medium << qint64(-1);
    QTest::newRow("64-bit length") << large << qint64(-1);
    QTest::newRow("all kinds in a row")
        << small + empty + medium + large + ping + fragments << qint64(-1);
    QTest::newRow("unmasked first") << unmasked + small << qint64(0);
    QTest::newRow("unmasked after masked")
        << small + medium + unmasked + small << qint64(small.size() + medium.size());
    QTest::newRow("unmasked after a 64-bit frame") << large + unmasked << qint64(large.size());
    QTest::newRow("unmasked 16-bit frame")
        << ping + frame(1, QByteArray(200, 'c'), false) << qint64(ping.size());
    QTest::newRow("unmasked continuation") << frame(1, "ab", true, false) + frame(0, "cd", false)
                                           << qint64(frame(1, "ab", true, false).size());
    QTest::newRow("unmasked close") << frame(8, QByteArray("\x03\xe8", 2), false) << qint64(0);
}

void TestFrameGuard::scanner()
{
    QFETCH(QByteArray, stream);
    QFETCH(qint64, violation);
    for (const int piece : {1, 2, 3, 7, 64, 4096, int(stream.size())})
        QCOMPARE(scan(stream, piece), violation);
}

void TestFrameGuard::randomSplits()
{
    // Many frames of random sizes, one unmasked one somewhere, random split points.
    auto *random = QRandomGenerator::global();
    for (int round = 0; round < 50; ++round) {
        QByteArray stream;
        const int count = 1 + int(random->bounded(40));
        const int bad = int(random->bounded(count + 1)); // == count: none
        qint64 expected = -1;
        for (int i = 0; i < count; ++i) {
            const int size = int(random->bounded(3)) == 0 ? int(random->bounded(70000))
                                                          : int(random->bounded(130));
            if (i == bad)
                expected = stream.size();
            stream += frame(1, QByteArray(size, 'r'), i != bad);
        }
        ClientFrameScanner scanner;
        qsizetype at = 0;
        while (at < stream.size()) {
            const qsizetype n = qMin<qsizetype>(1 + random->bounded(5000), stream.size() - at);
            scanner.feed(stream.constData() + at, n);
            at += n;
        }
        QCOMPARE(scanner.violationAt(), expected);
        if (expected < 0)
            QCOMPARE(scanner.scanned(), qint64(stream.size()));
    }
}

QTEST_GUILESS_MAIN(TestFrameGuard)
#include "tst_frameguard.moc"
