// The Links: chat-server's own WebSocket framing, on a real TCP connection over
// loopback: on the descriptor (DirectLink), through a QTcpSocket (SocketLink),
// and over TLS (a TlsFront's handshake and relay to a QTcpSocket, then taken
// over by a DirectLink on the descriptor and its SSL, as the server does). The
// test plays the client with raw bytes (through a client SSL for TLS): frames
// whole, split at every byte, fragmented, and broken in each way RFC 6455
// forbids. Every test runs against every kind.
#include "clientframe.h"
#include "directlink.h"
#include "socketlink.h"
#include "tlscontext.h"
#include "tlsfront.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <QTcpSocket>
#include <QTest>

#include <memory>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using Chat::DirectLink;
using Chat::FramedLink;
using Chat::LinkListener;
using Chat::LinkPoller;
using Chat::SocketLink;
using Chat::Testing::clientFrame;

namespace {

struct Recorder final : LinkListener
{
    void onLinkText(const QByteArray &utf8) override { texts.append(utf8); }
    void onLinkBinary(const QByteArray &payload) override
    {
        ++binaries;
        lastBinary = payload;
    }
    void onLinkPong() override { ++pongs; }
    void onLinkClosing() override { ++closing; }
    void onLinkDisconnected(int code) override
    {
        ++disconnects;
        closeCode = code;
    }

    QList<QByteArray> texts;
    int binaries = 0;
    QByteArray lastBinary;
    int pongs = 0;
    int closing = 0;
    int disconnects = 0;
    int closeCode = 0;
};

struct ServerFrame
{
    int opcode = -1;
    QByteArray payload;
    int closeCode() const
    {
        return payload.size() >= 2
            ? (static_cast<quint8>(payload.at(0)) << 8) | static_cast<quint8>(payload.at(1))
            : -1;
    }
};

// A TCP connection over loopback: the client end stays with the test, the
// server end goes to a DirectLink.
class Connection
{
public:
    Connection()
    {
        const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof(address);
        ::bind(listener, reinterpret_cast<sockaddr *>(&address), size);
        ::listen(listener, 1);
        ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &size);
        client = ::socket(AF_INET, SOCK_STREAM, 0);
        ::connect(client, reinterpret_cast<sockaddr *>(&address), size);
        server = ::accept(listener, nullptr, nullptr);
        ::close(listener);
        const int one = 1;
        ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        ::fcntl(client, F_SETFL, ::fcntl(client, F_GETFL) | O_NONBLOCK);
    }
    ~Connection()
    {
        if (tls)
            SSL_free(tls);
        if (client >= 0)
            ::close(client);
    }
    Q_DISABLE_COPY_MOVE(Connection)

    // Through the client's SSL once there is one: > 0 bytes, 0 at the end of
    // the stream, -1 for none now.
    ssize_t sendSome(const char *data, size_t size) const
    {
        if (!tls)
            return ::send(client, data, size, MSG_NOSIGNAL);
        const int n = SSL_write(tls, data, int(size));
        return n > 0 ? n : -1;
    }
    ssize_t receiveSome(char *data, size_t size) const
    {
        if (!tls) {
            const ssize_t n = ::recv(client, data, size, 0);
            return n < 0 ? -1 : n;
        }
        const int n = SSL_read(tls, data, int(size));
        if (n > 0)
            return n;
        const int error = SSL_get_error(tls, n);
        return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE ? -1 : 0;
    }

    void write(const QByteArray &bytes) const
    {
        qsizetype sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = sendSome(bytes.constData() + sent, size_t(bytes.size() - sent));
            if (n > 0) {
                sent += n;
            } else {
                pollfd p {client, POLLOUT, 0};
                ::poll(&p, 1, 100);
                QCoreApplication::processEvents();
            }
        }
    }

    // Reads what the server sent, running the event loop meanwhile; true once
    // the server closed its end.
    bool pump(int ms = 50)
    {
        QElapsedTimer timer;
        timer.start();
        do {
            QCoreApplication::processEvents();
            char buffer[65536];
            const ssize_t n = receiveSome(buffer, sizeof(buffer));
            if (n > 0)
                received.append(buffer, n);
            else if (n == 0)
                return true;
            else
                QTest::qWait(1);
        } while (timer.elapsed() < ms);
        return false;
    }

    // Reads until the server shuts its end (at most 2 s).
    bool waitForServerEnd()
    {
        for (int i = 0; i < 100; ++i) {
            if (pump(20))
                return true;
        }
        return false;
    }

    QList<ServerFrame> frames()
    {
        QList<ServerFrame> out;
        qsizetype i = 0;
        while (received.size() - i >= 2) {
            const auto b0 = static_cast<quint8>(received.at(i));
            quint64 length = static_cast<quint8>(received.at(i + 1)) & 0x7f;
            qsizetype header = 2;
            if (length == 126) {
                length = (quint64(static_cast<quint8>(received.at(i + 2))) << 8)
                    | static_cast<quint8>(received.at(i + 3));
                header = 4;
            }
            if (received.size() - i < header + qsizetype(length))
                break;
            out.append({b0 & 0x0f, received.mid(i + header, qsizetype(length))});
            i += header + qsizetype(length);
        }
        return out;
    }

    int client = -1;
    int server = -1;
    SSL *tls = nullptr; // the client's, for the TLS kind
    QByteArray received;
};

enum class Kind { Descriptor, Socket, Tls };
Kind g_kind = Kind::Descriptor;

// A self-signed P-256 certificate and its key, as PEM.
std::shared_ptr<Chat::TlsContext> testTlsContext()
{
    static std::shared_ptr<Chat::TlsContext> context = [] {
        EVP_PKEY *key = EVP_EC_gen("P-256");
        X509 *certificate = X509_new();
        X509_set_version(certificate, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
        X509_gmtime_adj(X509_getm_notBefore(certificate), 0);
        X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
        X509_set_pubkey(certificate, key);
        X509_NAME *name = X509_get_subject_name(certificate);
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char *>("localhost"), -1, -1, 0);
        X509_set_issuer_name(certificate, name);
        X509_sign(certificate, key, EVP_sha256());
        const auto pem = [](auto write) {
            BIO *bio = BIO_new(BIO_s_mem());
            write(bio);
            char *data = nullptr;
            const long size = BIO_get_mem_data(bio, &data);
            QByteArray bytes(data, size);
            BIO_free(bio);
            return bytes;
        };
        const QByteArray chain = pem([&](BIO *b) { PEM_write_bio_X509(b, certificate); });
        const QByteArray keyPem = pem([&](BIO *b) {
            PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr);
        });
        X509_free(certificate);
        EVP_PKEY_free(key);
        QString error;
        auto made = Chat::TlsContext::fromPem(chain, keyPem, &error);
        if (!made)
            qFatal("TLS context: %s", qPrintable(error));
        return made;
    }();
    return context;
}

// The TLS kind: the handshake through a TlsFront, the plain end of its pair in
// a QTcpSocket that "answered the upgrade" (a few bytes not yet flushed), then
// taken over by a DirectLink, as the server's Handover does.
std::unique_ptr<FramedLink> makeTlsLink(Connection &c, LinkPoller *poller, qint64 maxMessageBytes,
                                        const QByteArray &received)
{
    static SSL_CTX *clientContext = SSL_CTX_new(TLS_client_method());
    auto *front = new Chat::TlsFront(c.server, *testTlsContext(), poller, 10000);
    QTcpSocket *plain = nullptr;
    QObject::connect(front, &Chat::TlsFront::secured, front, [&plain](int fd) {
        plain = new QTcpSocket;
        plain->setSocketDescriptor(fd);
    });
    c.tls = SSL_new(clientContext);
    SSL_set_fd(c.tls, c.client);
    int done = 0;
    for (int i = 0; i < 2000 && (done != 1 || !plain); ++i) {
        if (done != 1)
            done = SSL_connect(c.tls);
        QTest::qWait(1);
    }
    if (done != 1 || !plain)
        qFatal("TLS handshake with the front failed: %s",
               qPrintable(Chat::TlsContext::lastError()));
    if (!received.isEmpty()) {
        c.write(received);
        for (int i = 0; i < 2000 && plain->bytesAvailable() < received.size(); ++i)
            QTest::qWait(1);
    }
    const QByteArray answer = "HTTP/1.1 101 Switching Protocols\r\n\r\n";
    plain->write(answer); // still in the socket: the take-over flushes it
    std::unique_ptr<FramedLink> link = DirectLink::adoptTls(plain, front, poller, maxMessageBytes);
    if (!link)
        qFatal("the TLS connection was not taken over");
    for (int i = 0; i < 200 && c.received.size() < answer.size(); ++i)
        c.pump(5);
    if (!c.received.startsWith(answer))
        qFatal("the answer written before the take-over did not arrive first");
    c.received.remove(0, answer.size());
    return link;
}

// The server end of `c` as a link of the kind under test. `received`: what the
// client sent before the link existed.
std::unique_ptr<FramedLink> makeLink(Connection &c, LinkPoller *poller, qint64 maxMessageBytes,
                                     const QByteArray &received)
{
    if (g_kind == Kind::Descriptor)
        return std::make_unique<DirectLink>(c.server, received, poller, maxMessageBytes);
    if (g_kind == Kind::Tls)
        return makeTlsLink(c, poller, maxMessageBytes, received);
    auto *socket = new QTcpSocket;
    socket->setSocketDescriptor(c.server);
    if (!received.isEmpty()) {
        // Already read by the socket when the link takes it, as after a handshake.
        c.write(received);
        for (int i = 0; i < 200 && socket->bytesAvailable() < received.size(); ++i)
            socket->waitForReadyRead(10);
    }
    return std::make_unique<SocketLink>(socket, maxMessageBytes);
}

// A client connection and the link serving it, listened to by a Recorder.
struct Linked
{
    explicit Linked(LinkPoller *poller, qint64 maxMessageBytes = 65536,
                    const QByteArray &received = {})
        : link(makeLink(c, poller, maxMessageBytes, received))
    {
        link->setListener(&r);
    }

    Connection c;
    Recorder r;
    std::unique_ptr<FramedLink> link;
};

QByteArray closePayload(int code, const QByteArray &reason = {})
{
    QByteArray p;
    p.append(char(code >> 8));
    p.append(char(code & 0xff));
    return p + reason;
}

} // namespace

class TestLinks : public QObject
{
    Q_OBJECT

private slots:
    void validatesUtf8_data();
    void validatesUtf8();
    void validatesCloseCodes();
    void deliversTextSplitAtEveryByte();
    void reassemblesFragments();
    void handlesBytesSentWithTheHandshake();
    void answersPingsAndReportsPongs();
    void echoesTheClientsClose();
    void failsBrokenFrames_data();
    void failsBrokenFrames();
    void closesAndWaitsForTheAnswer();
    void queuesWhatTheKernelCannotTakeAndFreesItAfter();
    void reportsAHangUp();

private:
    LinkPoller m_poller;
};

void TestLinks::validatesUtf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ascii") << QByteArray("hello") << true;
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("two-byte") << QByteArray("\xc3\xa9") << true;
    QTest::newRow("three-byte") << QByteArray("\xe2\x82\xac") << true;
    QTest::newRow("four-byte") << QByteArray("\xf0\x9f\x98\x80") << true;
    QTest::newRow("U+10FFFF") << QByteArray("\xf4\x8f\xbf\xbf") << true;
    QTest::newRow("overlong 2") << QByteArray("\xc0\x80") << false;
    QTest::newRow("overlong 3") << QByteArray("\xe0\x80\x80") << false;
    QTest::newRow("overlong 4") << QByteArray("\xf0\x80\x80\x80") << false;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
    QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::newRow("F5") << QByteArray("\xf5\x80\x80\x80") << false;
    QTest::newRow("stray continuation") << QByteArray("a\x80") << false;
    QTest::newRow("truncated") << QByteArray("\xe2\x82") << false;
    QTest::newRow("bad continuation") << QByteArray("\xe2\x28\xa1") << false;
    QTest::newRow("FF") << QByteArray("\xff") << false;
}

void TestLinks::validatesUtf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(Chat::FrameParser::isValidUtf8(bytes.constData(), bytes.size()), valid);
}

void TestLinks::validatesCloseCodes()
{
    for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4000, 4999})
        QVERIFY2(Chat::FrameParser::isValidCloseCode(code), QByteArray::number(code));
    for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
        QVERIFY2(!Chat::FrameParser::isValidCloseCode(code), QByteArray::number(code));
}

void TestLinks::deliversTextSplitAtEveryByte()
{
    Linked l(&m_poller);
    auto &[c, r, link] = l;
    const QByteArray text = "{\"type\":\"chat\",\"text\":\"h\xc3\xa9llo\"}";
    const QByteArray bytes = clientFrame(1, text) + clientFrame(1, QByteArray(300, 'x'));
    for (char byte : bytes) {
        c.write(QByteArray(1, byte));
        c.pump(1);
    }
    QTRY_COMPARE(r.texts.size(), 2);
    QCOMPARE(r.texts.at(0), text);
    QCOMPARE(r.texts.at(1), QByteArray(300, 'x'));
    QCOMPARE(r.disconnects, 0);
}

void TestLinks::reassemblesFragments()
{
    Linked l(&m_poller);
    auto &[c, r, link] = l;
    // A text message in three fragments with a ping between them; a binary one.
    c.write(clientFrame(1, "{\"type\":", true, false) + clientFrame(9, "p")
            + clientFrame(0, "\"rooms\"", true, false) + clientFrame(0, "}")
            + clientFrame(2, "\x01\x02"));
    QTRY_COMPARE(r.binaries, 1);
    QCOMPARE(r.lastBinary, QByteArray("\x01\x02"));
    QCOMPARE(r.texts, QList<QByteArray> {"{\"type\":\"rooms\"}"});
    c.pump();
    const QList<ServerFrame> frames = c.frames();
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames.at(0).opcode, 0xA); // the pong
    QCOMPARE(frames.at(0).payload, QByteArray("p"));
}

void TestLinks::handlesBytesSentWithTheHandshake()
{
    // What the client sent before the link existed, cut in mid-frame.
    const QByteArray first = clientFrame(1, "one");
    const QByteArray second = clientFrame(1, "two");
    Linked l(&m_poller, 65536, first + second.left(3));
    auto &[c, r, link] = l;
    QCOMPARE(r.texts.size(), 0); // not before the listener is back in the event loop
    c.write(second.mid(3));
    QTRY_COMPARE(r.texts.size(), 2);
    QCOMPARE(r.texts, (QList<QByteArray> {"one", "two"}));
}

void TestLinks::answersPingsAndReportsPongs()
{
    Linked l(&m_poller);
    auto &[c, r, link] = l;
    link->ping();
    c.pump();
    QList<ServerFrame> frames = c.frames();
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames.at(0).opcode, 0x9);
    c.write(clientFrame(0xA, {}));
    QTRY_COMPARE(r.pongs, 1);
}

void TestLinks::echoesTheClientsClose()
{
    Linked l(&m_poller);
    auto &[c, r, link] = l;
    c.write(clientFrame(8, closePayload(4000, "bye")) + clientFrame(1, "after the close"));
    QVERIFY2(c.waitForServerEnd(), "the server shuts its end after the echo");
    const QList<ServerFrame> frames = c.frames();
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames.at(0).opcode, 0x8);
    QCOMPARE(frames.at(0).closeCode(), 4000);
    QCOMPARE(r.closing, 1);
    QVERIFY(r.texts.isEmpty()); // nothing after a close frame is read
    ::shutdown(c.client, SHUT_WR); // the client hangs up in turn
    QTRY_COMPARE(r.disconnects, 1);
    QCOMPARE(r.closeCode, 4000);
}

void TestLinks::failsBrokenFrames_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("code");
    auto with = [](int opcode, const QByteArray &payload, int flags) {
        QByteArray f = clientFrame(opcode, payload);
        f[0] = char(f.at(0) | flags);
        return f;
    };
    QTest::newRow("unmasked") << clientFrame(1, "x", false) << 1002;
    QTest::newRow("reserved bit") << with(1, "x", 0x40) << 1002;
    QTest::newRow("opcode 3") << clientFrame(3, "x") << 1002;
    QTest::newRow("opcode 11") << clientFrame(11, "x") << 1002;
    QTest::newRow("fragmented ping") << clientFrame(9, "x", true, false) << 1002;
    QTest::newRow("ping of 126 bytes") << clientFrame(9, QByteArray(126, 'x')) << 1002;
    QTest::newRow("lone continuation") << clientFrame(0, "x") << 1002;
    QTest::newRow("text inside a fragmented message")
        << clientFrame(1, "a", true, false) + clientFrame(1, "b") << 1002;
    QTest::newRow("invalid UTF-8") << clientFrame(1, "\xff") << 1007;
    QTest::newRow("invalid UTF-8 across fragments")
        << clientFrame(1, "\xe2\x82", true, false) + clientFrame(0, "x") << 1007;
    QTest::newRow("frame too big") << clientFrame(1, QByteArray(1001, 'x')) << 1009;
    QTest::newRow("message too big in fragments")
        << clientFrame(1, QByteArray(600, 'x'), true, false) + clientFrame(0, QByteArray(600, 'x'))
        << 1009;
    QTest::newRow("close code 1005") << clientFrame(8, closePayload(1005)) << 1002;
    QTest::newRow("close with one byte") << clientFrame(8, "\x03") << 1002;
    QTest::newRow("close reason not UTF-8") << clientFrame(8, closePayload(1000, "\xff")) << 1007;
}

void TestLinks::failsBrokenFrames()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, code);
    Linked l(&m_poller, 1000);
    auto &[c, r, link] = l;
    // A good message first: it is delivered; the broken frame and what follows are not.
    c.write(clientFrame(1, "fine") + bytes + clientFrame(1, "never"));
    QVERIFY2(c.waitForServerEnd(), "the server drops the connection");
    const QList<ServerFrame> frames = c.frames();
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames.at(0).opcode, 0x8);
    QCOMPARE(frames.at(0).closeCode(), code);
    QCOMPARE(r.texts, QList<QByteArray> {"fine"});
    QCOMPARE(r.closing, 1);
    ::close(std::exchange(c.client, -1));
    QTRY_COMPARE(r.disconnects, 1);
    QCOMPARE(r.closeCode, code);
}

void TestLinks::closesAndWaitsForTheAnswer()
{
    Linked l(&m_poller);
    auto &[c, r, link] = l;
    link->close(4005, QStringLiteral("too slow"));
    link->send("\x81\x01x"); // nothing after our close frame
    c.pump();
    QList<ServerFrame> frames = c.frames();
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames.at(0).closeCode(), 4005);
    QCOMPARE(frames.at(0).payload.mid(2), QByteArray("too slow"));
    QCOMPARE(r.closing, 1);
    QCOMPARE(r.disconnects, 0); // waiting for the client's answer
    c.write(clientFrame(8, closePayload(4005)));
    QVERIFY(c.waitForServerEnd());
    ::close(std::exchange(c.client, -1));
    QTRY_COMPARE(r.disconnects, 1);
    QCOMPARE(r.closeCode, 4005);
}

void TestLinks::queuesWhatTheKernelCannotTakeAndFreesItAfter()
{
    Linked l(&m_poller);
    auto &[c, r, link] = l;
    // The client reads nothing: frames pile up past what the kernel buffers.
    QByteArray payload(60000, 'm');
    QByteArray frame("\x81\x7e", 2);
    frame.append(char(60000 >> 8));
    frame.append(char(60000 & 0xff));
    frame.append(payload);
    for (int i = 0; i < 200; ++i)
        link->send(frame); // the same bytes every time: shared, not copied
    link->flush();
    const qint64 queued = link->queuedBytes();
    QVERIFY2(queued > 0, "the kernel took everything; the test needs a bigger backlog");
    QVERIFY(queued < 200 * frame.size());
    // Once the client reads, the link writes the rest by itself.
    QTRY_VERIFY_WITH_TIMEOUT((c.pump(5), link->queuedBytes() == 0), 20000);
    // What the kernel holds for the client is read as the client reads: pumped too.
    QTRY_COMPARE_WITH_TIMEOUT((c.pump(5), c.received.size()), qsizetype(200 * frame.size()), 20000);
    const QList<ServerFrame> frames = c.frames();
    QCOMPARE(frames.size(), 200);
    QCOMPARE(frames.last().payload, payload);
    QCOMPARE(r.disconnects, 0);
}

void TestLinks::reportsAHangUp()
{
    Linked l(&m_poller);
    auto &[c, r, link] = l;
    ::close(std::exchange(c.client, -1)); // no close frame: the connection just drops
    QTRY_COMPARE(r.disconnects, 1);
    QCOMPARE(r.closeCode, 1006);
    QCOMPARE(r.closing, 0);
    link->send("\x81\x01x"); // a frame for a gone connection goes nowhere
    link->flush();
    QCOMPARE(link->queuedBytes(), 0);
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int failures = 0;
    for (Kind kind : {Kind::Descriptor, Kind::Socket, Kind::Tls}) {
        g_kind = kind;
        qInfo("--- %s",
              kind == Kind::Descriptor ? "DirectLink (descriptor)"
                  : kind == Kind::Socket
                  ? "SocketLink (QTcpSocket)"
                  : "DirectLink over TLS (TlsFront, then SSL on the descriptor)");
        TestLinks test;
        failures += QTest::qExec(&test, argc, argv);
    }
    return failures;
}

#include "tst_links.moc"
