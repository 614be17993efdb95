// permessage-deflate without sockets: the answer to each kind of offer, the
// RFC 7692 examples inflated, round trips at every window size, the size limit
// while inflating, and compressFrame's rules (threshold, RSV1, frames that do
// not shrink, one compression per broadcast frame).
#include "permessagedeflate.h"
#include "wireframe.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Chat;
using namespace Chat::PerMessageDeflate;

namespace {
const QByteArray Agreed
    = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

QByteArray repetitive(qsizetype size)
{
    QByteArray text;
    while (text.size() < size)
        text += "{\"type\":\"message\",\"room\":\"general\",\"username\":\"Aminah\",\"text\":"
                "\"hello\"},";
    return text.left(size);
}
} // namespace

class tst_PerMessageDeflate : public QObject
{
    Q_OBJECT
private slots:
    void negotiates_data();
    void negotiates();
    void inflatesTheRfcExamples_data();
    void inflatesTheRfcExamples();
    void roundTripsAtEveryWindow();
    void stopsInflatingPastTheLimit();
    void refusesWhatIsNotDeflate();
    void compressesLargeFramesOnly();
    void compressesABroadcastFrameOnce();
    void leavesFramesThatDoNotShrink();
};

void tst_PerMessageDeflate::negotiates_data()
{
    QTest::addColumn<QByteArray>("offers");
    QTest::addColumn<QByteArray>("response"); // empty: declined
    QTest::addColumn<int>("windowBits");
    QTest::newRow("Chromium") << QByteArray("permessage-deflate; client_max_window_bits") << Agreed
                              << 15;
    QTest::newRow("bare") << QByteArray("permessage-deflate") << Agreed << 15;
    QTest::newRow("spaces and tabs")
        << QByteArray(" permessage-deflate ;\tclient_max_window_bits ") << Agreed << 15;
    QTest::newRow("server window echoed")
        << QByteArray("permessage-deflate; server_max_window_bits=10")
        << Agreed + "; server_max_window_bits=10" << 10;
    QTest::newRow("quoted value") << QByteArray("permessage-deflate; server_max_window_bits=\"9\"")
                                  << Agreed + "; server_max_window_bits=9" << 9;
    QTest::newRow("window 8 declined, fallback taken")
        << QByteArray("permessage-deflate; server_max_window_bits=8, permessage-deflate") << Agreed
        << 15;
    QTest::newRow("other extension first")
        << QByteArray("x-webkit-deflate-frame, permessage-deflate") << Agreed << 15;
    QTest::newRow("both no_context_takeover offered")
        << QByteArray("permessage-deflate; client_no_context_takeover; server_no_context_takeover")
        << Agreed << 15;
    QTest::newRow("client window with a value")
        << QByteArray("permessage-deflate; client_max_window_bits=12") << Agreed << 15;
    QTest::newRow("other extension only")
        << QByteArray("x-webkit-deflate-frame") << QByteArray() << 0;
    QTest::newRow("unknown parameter")
        << QByteArray("permessage-deflate; level=9") << QByteArray() << 0;
    QTest::newRow("repeated parameter")
        << QByteArray("permessage-deflate; client_max_window_bits; client_max_window_bits")
        << QByteArray() << 0;
    QTest::newRow("value on a flag")
        << QByteArray("permessage-deflate; server_no_context_takeover=1") << QByteArray() << 0;
    QTest::newRow("server window without a value")
        << QByteArray("permessage-deflate; server_max_window_bits") << QByteArray() << 0;
    QTest::newRow("window 16") << QByteArray("permessage-deflate; server_max_window_bits=16")
                               << QByteArray() << 0;
    QTest::newRow("leading zero") << QByteArray("permessage-deflate; server_max_window_bits=09")
                                  << QByteArray() << 0;
    QTest::newRow("window 8 alone")
        << QByteArray("permessage-deflate; server_max_window_bits=8") << QByteArray() << 0;
    QTest::newRow("unterminated quote")
        << QByteArray("permessage-deflate; server_max_window_bits=\"10") << QByteArray() << 0;
    QTest::newRow("junk between offers")
        << QByteArray("permessage-deflate @ foo") << QByteArray() << 0;
    QTest::newRow("empty elements") << QByteArray(", ,permessage-deflate,") << Agreed << 15;
    QTest::newRow("case matters") << QByteArray("Permessage-Deflate") << QByteArray() << 0;
}

void tst_PerMessageDeflate::negotiates()
{
    QFETCH(QByteArray, offers);
    QFETCH(QByteArray, response);
    QFETCH(int, windowBits);
    const std::optional<Agreement> agreement = negotiate(offers);
    QCOMPARE(agreement.has_value(), !response.isEmpty());
    if (agreement) {
        QCOMPARE(agreement->response, response);
        QCOMPARE(int(agreement->serverWindowBits), windowBits);
    }
}

void tst_PerMessageDeflate::inflatesTheRfcExamples_data()
{
    QTest::addColumn<QByteArray>("compressed");
    // RFC 7692 7.2.3.1, 7.2.3.3 (a stored block), 7.2.3.4 (BFINAL set).
    QTest::newRow("Hello") << QByteArray::fromHex("f248cdc9c90700");
    QTest::newRow("stored block") << QByteArray::fromHex("000500faff48656c6c6f");
    QTest::newRow("final block") << QByteArray::fromHex("f348cdc9c9070000");
}

void tst_PerMessageDeflate::inflatesTheRfcExamples()
{
    QFETCH(QByteArray, compressed);
    QByteArray out;
    QCOMPARE(Codec::forThisThread().inflate(compressed, 1000, out), Codec::Inflated::Ok);
    QCOMPARE(out, QByteArray("Hello"));
    // Twice in a row: nothing is carried from one message to the next.
    QCOMPARE(Codec::forThisThread().inflate(compressed, 1000, out), Codec::Inflated::Ok);
    QCOMPARE(out, QByteArray("Hello"));
}

void tst_PerMessageDeflate::roundTripsAtEveryWindow()
{
    Codec codec;
    const QByteArray text = repetitive(50000);
    for (int bits = 9; bits <= 15; ++bits) {
        const QByteArray compressed = codec.compress(text, bits);
        QVERIFY2(!compressed.isEmpty() && compressed.size() < text.size() / 5,
                 qPrintable(QString::number(bits)));
        QVERIFY(!compressed.endsWith(QByteArray::fromHex("0000ffff")));
        QByteArray back;
        QCOMPARE(codec.inflate(compressed, text.size(), back), Codec::Inflated::Ok);
        QCOMPARE(back, text);
    }
    QByteArray empty;
    QCOMPARE(codec.inflate(codec.compress(QByteArray(), 15), 10, empty), Codec::Inflated::Ok);
    QVERIFY(empty.isEmpty());
}

void tst_PerMessageDeflate::stopsInflatingPastTheLimit()
{
    Codec codec;
    const QByteArray text(100000, ' ');
    const QByteArray compressed = codec.compress(text, 15);
    QVERIFY(compressed.size() < 1000); // a bomb: 100 KB in a few hundred bytes
    QByteArray out;
    QCOMPARE(codec.inflate(compressed, text.size(), out), Codec::Inflated::Ok);
    QCOMPARE(out.size(), text.size());
    QCOMPARE(codec.inflate(compressed, text.size() - 1, out), Codec::Inflated::TooBig);
    QVERIFY(out.isEmpty());
    QCOMPARE(codec.inflate(compressed, 64, out), Codec::Inflated::TooBig);
}

void tst_PerMessageDeflate::refusesWhatIsNotDeflate()
{
    Codec codec;
    QByteArray out;
    // BTYPE 11 is reserved in DEFLATE.
    QCOMPARE(codec.inflate(QByteArray::fromHex("ffffffff"), 1000, out), Codec::Inflated::Corrupt);
    QVERIFY(out.isEmpty());
    // A stored block whose length and its complement disagree.
    QCOMPARE(codec.inflate(QByteArray::fromHex("00050000ff48656c6c6f"), 1000, out),
             Codec::Inflated::Corrupt);
    // And the codec still works afterwards.
    QCOMPARE(codec.inflate(QByteArray::fromHex("f248cdc9c90700"), 1000, out), Codec::Inflated::Ok);
    QCOMPARE(out, QByteArray("Hello"));
}

void tst_PerMessageDeflate::compressesLargeFramesOnly()
{
    Codec codec;
    const QByteArray small = WireFrame::text(repetitive(MinimumPayload - 1));
    const QByteArray same = codec.compressFrame(small, 15);
    QVERIFY(same.constData() == small.constData()); // the same bytes, not a copy
    const QByteArray ping = WireFrame::frame(0x9, QByteArray(100, 'p'));
    QCOMPARE(codec.compressFrame(ping, 15), ping);

    for (const qsizetype size : {MinimumPayload, qsizetype(60000), qsizetype(200000)}) {
        const QByteArray payload = repetitive(size);
        for (const quint8 opcode : {quint8(0x1), quint8(0x2)}) {
            const QByteArray frame = WireFrame::frame(opcode, payload);
            const QByteArray out = codec.compressFrame(frame, 15);
            QCOMPARE(quint8(out.at(0)), quint8(0xc0 | opcode)); // FIN, RSV1, the opcode
            QVERIFY(out.size() < frame.size());
            const QByteArray deflated = WireFrame::payloadOf(out);
            QByteArray back;
            QCOMPARE(codec.inflate(deflated, size, back), Codec::Inflated::Ok);
            QCOMPARE(back, payload);
        }
    }
}

void tst_PerMessageDeflate::compressesABroadcastFrameOnce()
{
    Codec codec;
    const QByteArray frame = WireFrame::text(repetitive(5000));
    const QByteArray first = codec.compressFrame(frame, 15);
    QCOMPARE(codec.counts().frames, quint64(1));
    QCOMPARE(codec.counts().bytesIn, quint64(5000));
    QCOMPARE(codec.counts().bytesOut, quint64(WireFrame::payloadOf(first).size()));
    // The next recipients of the same broadcast: the same bytes, no new work.
    for (int i = 0; i < 100; ++i) {
        const QByteArray again = codec.compressFrame(frame, 15);
        QVERIFY(again.constData() == first.constData());
    }
    QCOMPARE(codec.counts().frames, quint64(1));
    // Another encoding of the same event in between (a Socket.IO member) does not evict it.
    const QByteArray other = WireFrame::text(repetitive(4000));
    codec.compressFrame(other, 15);
    const QByteArray afterOther = codec.compressFrame(frame, 15);
    QVERIFY(afterOther.constData() == first.constData());
    QCOMPARE(codec.counts().frames, quint64(2));
    // Equal bytes in another buffer are another frame; another window is another compression.
    const QByteArray copy(frame.constData(), frame.size());
    QCOMPARE(codec.compressFrame(copy, 15), first);
    QCOMPARE(codec.counts().frames, quint64(3));
    codec.compressFrame(frame, 10);
    QCOMPARE(codec.counts().frames, quint64(4));
}

void tst_PerMessageDeflate::leavesFramesThatDoNotShrink()
{
    Codec codec;
    QByteArray noise(4000, Qt::Uninitialized);
    QRandomGenerator generator(7);
    for (char &c : noise)
        c = char(generator.bounded(256));
    const QByteArray frame = WireFrame::frame(0x2, noise);
    QCOMPARE(codec.compressFrame(frame, 15), frame);
    QCOMPARE(codec.counts().frames, quint64(0));
}

QTEST_GUILESS_MAIN(tst_PerMessageDeflate)
#include "tst_permessagedeflate.moc"
