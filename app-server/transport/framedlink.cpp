// RFC 6455 after the handshake: the state machine every Link shares.
#include "framedlink.h"

#include "permessagedeflate.h"
#include "serverlogging.h"
#include "wireframe.h"

namespace Chat {

namespace {
using Opcode = FrameParser::Opcode;

constexpr int CloseReplyMs = 3000; // our close frame sent: how long the client has to answer
constexpr int DrainMs = 2000; // writes shut: how long to wait for the client to hang up
} // namespace

FramedLink::FramedLink(qint64 maxMessageBytes) : m_parser(maxMessageBytes) { }

FramedLink::~FramedLink() = default;

void FramedLink::setListener(LinkListener *listener)
{
    m_listener = listener;
    if (!m_pending.isEmpty())
        schedulePending(); // handled from the event loop, after the listener's setup
}

void FramedLink::receivePending()
{
    if (m_pending.isEmpty())
        return;
    const QByteArray pending = std::exchange(m_pending, {});
    received(pending.constData(), pending.size());
}

// --- writing ----------------------------------------------------------------

void FramedLink::enableDeflate(quint8 windowBits)
{
    Q_ASSERT(windowBits >= 9 && windowBits <= 15);
    m_deflateBits = windowBits;
    m_parser.setInflating(true);
}

void FramedLink::send(const QByteArray &frame)
{
    if (m_state != State::Open || m_closeSent)
        return;
    if (m_deflateBits)
        queueBytes(PerMessageDeflate::Codec::forThisThread().compressFrame(frame, m_deflateBits));
    else
        queueBytes(frame);
}

void FramedLink::queueControl(quint8 opcode, const QByteArray &payload)
{
    queueBytes(WireFrame::frame(opcode, payload.left(125))); // never masked
}

void FramedLink::ping()
{
    if (m_state != State::Open || m_closeSent)
        return;
    queueControl(quint8(Opcode::Ping), {});
    flush();
}

void FramedLink::sendClose(int code, const QByteArray &reason)
{
    m_closeSent = true;
    queueBytes(WireFrame::close(code, reason));
}

void FramedLink::close(int code, const QString &reason)
{
    if (m_state != State::Open || m_closeSent)
        return;
    m_closeCode = quint16(code);
    if (m_listener)
        m_listener->onLinkClosing();
    sendClose(code, reason.toUtf8());
    m_state = State::Closing;
    flush();
    if (m_state == State::Closing)
        startDeadline(CloseReplyMs);
}

void FramedLink::abort()
{
    finish();
}

void FramedLink::outputDrained()
{
    if (m_state == State::Draining && !m_writesShut) {
        m_writesShut = true;
        shutdownWrites(); // our FIN after the close frame
    }
}

void FramedLink::drain()
{
    m_state = State::Draining;
    flush(); // shuts writes once the close frame is out
    if (m_state == State::Draining)
        startDeadline(DrainMs);
}

void FramedLink::deadlineReached()
{
    if (m_state == State::Closing || m_state == State::Draining)
        finish();
}

void FramedLink::finish()
{
    if (m_state == State::Gone)
        return;
    m_state = State::Gone;
    m_pending = {};
    closeStream();
    if (m_listener)
        m_listener->onLinkDisconnected(m_closeCode);
}

// --- reading ----------------------------------------------------------------

void FramedLink::received(const char *data, qsizetype size)
{
    if (!readsInput())
        return;
    if (m_parser.feed(data, size, *this) == FrameParser::Status::Failed)
        fail(m_parser.failureCode(), m_parser.failureReason());
}

bool FramedLink::onFrame(Opcode opcode, const QByteArray &payload)
{
    switch (opcode) {
    case Opcode::Close:
        if (!m_closeSent) {
            const int code = FrameParser::closeCodeOf(payload);
            m_closeCode = quint16(code);
            m_listener->onLinkClosing();
            sendClose(code == 1005 ? 1000 : code, {}); // the echo (RFC 6455 5.5.1)
        }
        drain();
        return false; // nothing after a close frame is read
    case Opcode::Ping:
        if (m_state == State::Open && !m_closeSent) {
            queueControl(quint8(Opcode::Pong), payload);
            flush();
        }
        break;
    case Opcode::Pong:
        m_listener->onLinkPong();
        break;
    case Opcode::Text:
    case Opcode::Binary:
        // After our close frame, what the client still sends is not read.
        if (m_state == State::Open && !m_closeSent) {
            if (opcode == Opcode::Text)
                m_listener->onLinkText(payload);
            else
                m_listener->onLinkBinary(payload);
        }
        break;
    case Opcode::Continuation:
        break;
    }
    return readsInput();
}

void FramedLink::fail(int code, const char *reason)
{
    qCInfo(lcSession).noquote() << "failing the connection of" << peer() << ":" << reason;
    if (!m_closeSent) {
        m_closeCode = quint16(code);
        if (m_listener)
            m_listener->onLinkClosing();
        sendClose(code, reason);
    }
    drain();
}

} // namespace Chat
