// FrameParser on raw bytes, as qtwebsockets tests its data processor: tables of
// every length form, control frames, fragments, masking, UTF-8 and close rules,
// each stream fed whole, split at every byte, and one byte at a time.
#include "clientframe.h"
#include "frameparser.h"
#include "permessagedeflate.h"

#include <QTest>

using namespace Chat;
using Chat::Testing::clientFrame;
using Opcode = FrameParser::Opcode;

namespace {
constexpr qint64 MaxMessage = 1000;

QByteArray closePayload(int code, const QByteArray &reason = {})
{
    QByteArray p;
    p.append(char(code >> 8));
    p.append(char(code & 0xff));
    return p + reason;
}

// What one parse produced, printable for QCOMPARE.
// A list of UTF-8 literals (the project builds with QT_NO_CAST_FROM_ASCII).
QStringList L(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out.append(QString::fromUtf8(item));
    return out;
}

struct Outcome
{
    QStringList frames; // "text:hello", "ping:", ...
    FrameParser::Status status = FrameParser::Status::Reading;
    int code = 0;
    bool operator==(const Outcome &o) const
    {
        return frames == o.frames && status == o.status && code == o.code;
    }
};

QString describe(Opcode opcode, const QByteArray &payload)
{
    static const char *const names[]
        = {"cont", "text", "binary", "", "", "", "", "", "close", "ping", "pong"};
    const QString body = opcode == Opcode::Text ? QString::fromUtf8(payload)
                                                : QString::fromLatin1(payload.toHex());
    return QLatin1String(names[int(opcode)]) + QLatin1Char(':') + body;
}

struct Recorder final : FrameParser::Sink
{
    QStringList frames;
    int stopAfter = -1; // stop reading after this many frames
    bool onFrame(Opcode opcode, const QByteArray &payload) override
    {
        frames.append(describe(opcode, payload));
        return stopAfter < 0 || frames.size() < stopAfter;
    }
};

// Feeds `bytes` in the pieces that `cuts` (ascending offsets) make.
Outcome parse(const QByteArray &bytes, const QList<qsizetype> &cuts = {}, int stopAfter = -1,
              bool inflating = false)
{
    FrameParser parser(MaxMessage);
    parser.setInflating(inflating);
    Recorder recorder;
    recorder.stopAfter = stopAfter;
    qsizetype at = 0;
    for (const qsizetype cut : cuts) {
        parser.feed(bytes.constData() + at, cut - at, recorder);
        at = cut;
    }
    parser.feed(bytes.constData() + at, bytes.size() - at, recorder);
    return {recorder.frames, parser.status(), parser.failureCode()};
}
} // namespace

namespace QTest {
template<> char *toString(const Outcome &o)
{
    return qstrdup(QStringLiteral("frames [%1] status %2 code %3")
                       .arg(o.frames.join(QLatin1String(", ")))
                       .arg(int(o.status))
                       .arg(o.code)
                       .toUtf8()
                       .constData());
}
} // namespace QTest

class tst_FrameParser : public QObject
{
    Q_OBJECT
private slots:
    void parses_data();
    void parses();
    void stopsWhenTheSinkSaysSo();
    void refusesOversizeFromTheHeader();
    void keepsNothingBetweenWholeFrames();
    void utf8_data();
    void utf8();
    void closeCodes();
    void inflates_data();
    void inflates();
};

void tst_FrameParser::parses_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QStringList>("frames");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("code");
    const int reading = int(FrameParser::Status::Reading);
    const int closed = int(FrameParser::Status::Closed);
    const int failed = int(FrameParser::Status::Failed);
    auto with = [](int opcode, const QByteArray &payload, int flags) {
        QByteArray f = clientFrame(opcode, payload);
        f[0] = char(f.at(0) | flags);
        return f;
    };
    const QByteArray b125(125, 'a'), b126(126, 'b'), b1000(1000, 'c');

    // Lengths: 7-bit, 16-bit and 64-bit forms, and their edges.
    QTest::newRow("empty text") << clientFrame(1, "") << L({"text:"}) << reading << 0;
    QTest::newRow("text 125 (7-bit)")
        << clientFrame(1, b125) << QStringList {QStringLiteral("text:") + QString::fromLatin1(b125)}
        << reading << 0;
    QTest::newRow("text 126 (16-bit)")
        << clientFrame(1, b126) << QStringList {QStringLiteral("text:") + QString::fromLatin1(b126)}
        << reading << 0;
    QTest::newRow("text at the limit")
        << clientFrame(1, b1000)
        << QStringList {QStringLiteral("text:") + QString::fromLatin1(b1000)} << reading << 0;
    QByteArray long64 = clientFrame(1, "hey");
    long64 = QByteArray("\x81\xff\0\0\0\0\0\0\0\x03", 10) + long64.mid(2); // 64-bit form of 3
    QTest::newRow("64-bit length form") << long64 << L({"text:hey"}) << reading << 0;
    QTest::newRow("binary") << clientFrame(2, "\x01\x02") << L({"binary:0102"}) << reading << 0;
    QTest::newRow("two texts") << clientFrame(1, "a") + clientFrame(1, "b")
                               << L({"text:a", "text:b"}) << reading << 0;
    QTest::newRow("incomplete frame waits")
        << clientFrame(1, "hello").left(5) << L({}) << reading << 0;

    // Control frames.
    QTest::newRow("ping") << clientFrame(9, "p") << L({"ping:70"}) << reading << 0;
    QTest::newRow("pong, empty") << clientFrame(10, "") << L({"pong:"}) << reading << 0;
    QTest::newRow("ping of 125") << clientFrame(
        9, b125) << QStringList {QStringLiteral("ping:") + QString::fromLatin1(b125.toHex())}
                                 << reading << 0;
    QTest::newRow("ping of 126") << clientFrame(9, b126) << L({}) << failed << 1002;
    QTest::newRow("fragmented ping") << clientFrame(9, "x", true, false) << L({}) << failed << 1002;
    QTest::newRow("close, no payload")
        << clientFrame(8, "") + clientFrame(1, "after") << L({"close:"}) << closed << 0;
    QTest::newRow("close 1000 with reason")
        << clientFrame(8, closePayload(1000, "bye")) << L({"close:03e8627965"}) << closed << 0;
    QTest::newRow("close 4001") << clientFrame(8, closePayload(4001)) << L({"close:0fa1"}) << closed
                                << 0;
    QTest::newRow("close code 1005")
        << clientFrame(8, closePayload(1005)) << L({}) << failed << 1002;
    QTest::newRow("close code 999") << clientFrame(8, closePayload(999)) << L({}) << failed << 1002;
    QTest::newRow("close code 2000")
        << clientFrame(8, closePayload(2000)) << L({}) << failed << 1002;
    QTest::newRow("close with one byte") << clientFrame(8, "\x03") << L({}) << failed << 1002;
    QTest::newRow("close reason not UTF-8")
        << clientFrame(8, closePayload(1000, "\xff")) << L({}) << failed << 1007;

    // Fragments.
    QTest::newRow("three fragments") << clientFrame(1, "he", true, false)
            + clientFrame(0, "l", true, false) + clientFrame(0, "lo")
                                     << L({"text:hello"}) << reading << 0;
    QTest::newRow("ping between fragments")
        << clientFrame(1, "he", true, false) + clientFrame(9, "") + clientFrame(0, "llo")
        << L({"ping:", "text:hello"}) << reading << 0;
    QTest::newRow("binary fragments")
        << clientFrame(2, "\x01", true, false) + clientFrame(0, "\x02") << L({"binary:0102"})
        << reading << 0;
    QTest::newRow("lone continuation") << clientFrame(0, "x") << L({}) << failed << 1002;
    QTest::newRow("text inside a fragmented message")
        << clientFrame(1, "a", true, false) + clientFrame(1, "b") << L({}) << failed << 1002;
    QTest::newRow("message too big in fragments")
        << clientFrame(1, QByteArray(600, 'x'), true, false) + clientFrame(0, QByteArray(600, 'x'))
        << L({}) << failed << 1009;

    // Masking, reserved bits, opcodes, size.
    QTest::newRow("unmasked") << clientFrame(1, "x", false) << L({}) << failed << 1002;
    QTest::newRow("reserved bit 1") << with(1, "x", 0x40) << L({}) << failed << 1002;
    QTest::newRow("reserved bit 3") << with(1, "x", 0x10) << L({}) << failed << 1002;
    QTest::newRow("opcode 3") << clientFrame(3, "x") << L({}) << failed << 1002;
    QTest::newRow("opcode 11") << clientFrame(11, "x") << L({}) << failed << 1002;
    QTest::newRow("frame too big")
        << clientFrame(1, QByteArray(1001, 'x')) << L({}) << failed << 1009;
    QTest::newRow("64-bit length with the top bit")
        << QByteArray("\x81\xff\x80\0\0\0\0\0\0\x01", 10) << L({}) << failed << 1002;
    QTest::newRow("frames before a bad one are delivered")
        << clientFrame(1, "ok") + clientFrame(1, "x", false) << L({"text:ok"}) << failed << 1002;

    // UTF-8.
    QTest::newRow("valid UTF-8") << clientFrame(1, "caf\xc3\xa9 \xf0\x9f\x98\x80")
                                 << QStringList {QStringLiteral("text:café 😀")} << reading << 0;
    QTest::newRow("UTF-8 split across fragments")
        << clientFrame(1, "\xe2\x82", true, false) + clientFrame(0, "\xac")
        << QStringList {QStringLiteral("text:€")} << reading << 0;
    QTest::newRow("invalid UTF-8") << clientFrame(1, "\xff") << L({}) << failed << 1007;
    QTest::newRow("surrogate in UTF-8")
        << clientFrame(1, "\xed\xa0\x80") << L({}) << failed << 1007;
    QTest::newRow("invalid UTF-8 across fragments")
        << clientFrame(1, "\xe2\x82", true, false) + clientFrame(0, "x") << L({}) << failed << 1007;
    QTest::newRow("binary is not checked")
        << clientFrame(2, "\xff") << L({"binary:ff"}) << reading << 0;
}

void tst_FrameParser::parses()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QStringList, frames);
    QFETCH(int, status);
    QFETCH(int, code);
    const Outcome expected {frames, FrameParser::Status(status), code};
    QCOMPARE(parse(bytes), expected);
    for (qsizetype cut = 1; cut < bytes.size(); ++cut)
        QCOMPARE(parse(bytes, {cut}), expected);
    QList<qsizetype> everyByte;
    for (qsizetype cut = 1; cut < bytes.size(); ++cut)
        everyByte.append(cut);
    QCOMPARE(parse(bytes, everyByte), expected);
}

void tst_FrameParser::stopsWhenTheSinkSaysSo()
{
    const QByteArray bytes = clientFrame(1, "a") + clientFrame(1, "b") + clientFrame(1, "c");
    const Outcome o = parse(bytes, {}, 2);
    QCOMPARE(o.frames, (L({"text:a", "text:b"})));
    QCOMPARE(o.status, FrameParser::Status::Stopped);
}

void tst_FrameParser::refusesOversizeFromTheHeader()
{
    // Only the header of a 10 MB frame: refused before any payload is buffered.
    FrameParser parser(MaxMessage);
    Recorder recorder;
    const QByteArray header = clientFrame(2, QByteArray(10 * 1024 * 1024, 'x')).left(14);
    QCOMPARE(parser.feed(header.constData(), header.size(), recorder), FrameParser::Status::Failed);
    QCOMPARE(parser.failureCode(), 1009);
    QCOMPARE(parser.bufferedBytes(), 0);
}

void tst_FrameParser::keepsNothingBetweenWholeFrames()
{
    FrameParser parser(MaxMessage);
    Recorder recorder;
    const QByteArray frame = clientFrame(1, "hello");
    parser.feed(frame.constData(), 3, recorder);
    QCOMPARE(parser.bufferedBytes(), 3);
    parser.feed(frame.constData() + 3, frame.size() - 3, recorder);
    QCOMPARE(parser.bufferedBytes(), 0);
    QCOMPARE(recorder.frames, L({"text:hello"}));
}

void tst_FrameParser::utf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ascii") << QByteArray("hello") << true;
    QTest::newRow("2-byte") << QByteArray("\xc3\xa9") << true;
    QTest::newRow("3-byte") << QByteArray("\xe2\x82\xac") << true;
    QTest::newRow("4-byte") << QByteArray("\xf0\x9f\x98\x80") << true;
    QTest::newRow("U+10FFFF") << QByteArray("\xf4\x8f\xbf\xbf") << true;
    QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::newRow("overlong 2-byte") << QByteArray("\xc0\xaf") << false;
    QTest::newRow("overlong 3-byte") << QByteArray("\xe0\x80\xaf") << false;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
    QTest::newRow("truncated") << QByteArray("\xe2\x82") << false;
    QTest::newRow("lone continuation") << QByteArray("\x80") << false;
    QTest::newRow("0xff") << QByteArray("\xff") << false;
}

void tst_FrameParser::utf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(FrameParser::isValidUtf8(bytes.constData(), bytes.size()), valid);
}

void tst_FrameParser::closeCodes()
{
    for (const int code : {1000, 1001, 1002, 1003, 1007, 1011, 1014, 3000, 4001, 4999})
        QVERIFY2(FrameParser::isValidCloseCode(code), QByteArray::number(code));
    for (const int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000})
        QVERIFY2(!FrameParser::isValidCloseCode(code), QByteArray::number(code));
    QCOMPARE(FrameParser::closeCodeOf({}), 1005);
    QCOMPARE(FrameParser::closeCodeOf(closePayload(4001, "x")), 4001);
}

void tst_FrameParser::inflates_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QStringList>("frames");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("code");
    const int reading = int(FrameParser::Status::Reading);
    const int failed = int(FrameParser::Status::Failed);
    auto compressed = [](int opcode, const QByteArray &payload, bool fin = true) {
        QByteArray f = clientFrame(opcode, payload, true, fin);
        f[0] = char(f.at(0) | 0x40); // RSV1
        return f;
    };
    const QByteArray hello = QByteArray::fromHex("f248cdc9c90700"); // RFC 7692 7.2.3.1
    PerMessageDeflate::Codec codec;
    const QByteArray atLimit(MaxMessage, 'z'), overLimit(MaxMessage + 1, 'z');

    QTest::newRow("compressed Hello") << compressed(1, hello) << L({"text:Hello"}) << reading << 0;
    QTest::newRow("twice: no context carried") << compressed(1, hello) + compressed(1, hello)
                                               << L({"text:Hello", "text:Hello"}) << reading << 0;
    QTest::newRow("compressed in two fragments (RFC 7692 7.2.3.2)")
        << compressed(1, hello.left(3), false) + clientFrame(0, hello.mid(3)) << L({"text:Hello"})
        << reading << 0;
    QTest::newRow("a control frame between fragments")
        << compressed(1, hello.left(3), false) + clientFrame(9, "") + clientFrame(0, hello.mid(3))
        << L({"ping:", "text:Hello"}) << reading << 0;
    QTest::newRow("plain and compressed mixed")
        << clientFrame(1, "a") + compressed(1, hello) + clientFrame(1, "b")
        << L({"text:a", "text:Hello", "text:b"}) << reading << 0;
    QTest::newRow("compressed binary")
        << compressed(2, hello) << L({"binary:48656c6c6f"}) << reading << 0;
    QTest::newRow("inflates to the limit")
        << compressed(1, codec.compress(atLimit, 15))
        << QStringList {QStringLiteral("text:") + QString::fromLatin1(atLimit)} << reading << 0;
    QTest::newRow("inflates past the limit")
        << compressed(1, codec.compress(overLimit, 15)) << L({}) << failed << 1009;
    QTest::newRow("inflates to invalid UTF-8")
        << compressed(1, codec.compress("\xc3\x28", 15)) << L({}) << failed << 1007;
    QTest::newRow("not DEFLATE") << compressed(1, QByteArray::fromHex("ffffffff")) << L({})
                                 << failed << 1007;
    QTest::newRow("RSV1 on a continuation")
        << compressed(1, hello.left(3), false) + compressed(0, hello.mid(3)) << L({}) << failed
        << 1002;
    QTest::newRow("RSV1 on a ping") << compressed(9, "") << L({}) << failed << 1002;
    QTest::newRow("RSV1 on a close") << compressed(8, "") << L({}) << failed << 1002;
}

void tst_FrameParser::inflates()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QStringList, frames);
    QFETCH(int, status);
    QFETCH(int, code);
    const Outcome expected {frames, FrameParser::Status(status), code};
    QCOMPARE(parse(bytes, {}, -1, true), expected);
    for (qsizetype cut = 1; cut < bytes.size(); ++cut)
        QCOMPARE(parse(bytes, {cut}, -1, true), expected);
    // Without the extension, RSV1 anywhere is a protocol error.
    if (bytes.at(0) & 0x40)
        QCOMPARE(parse(bytes).code, 1002);
}

QTEST_GUILESS_MAIN(tst_FrameParser)
#include "tst_frameparser.moc"
