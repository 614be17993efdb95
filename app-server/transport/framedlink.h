// The RFC 6455 side of a connection after the handshake, whatever carries its
// bytes: reads through the FrameParser (frameparser.h), writes with WireFrame,
// answers pings, runs the close handshake, and fails a client that breaks a rule
// (close frame with the code, then the connection is dropped).
//
// A subclass is one kind of byte stream. It feeds what arrives to received(),
// reports the end of the stream with streamEnded(), calls deadlineReached()
// when a timer it was asked for runs out, and implements the stream hooks below.
#pragma once

#include "connectionticket.h"
#include "frameparser.h"
#include "link.h"

#include <QByteArray>

namespace Chat {

class FramedLink : public Link, private FrameParser::Sink
{
public:
    explicit FramedLink(qint64 maxMessageBytes);
    ~FramedLink() override;
    Q_DISABLE_COPY_MOVE(FramedLink)

    void setListener(LinkListener *listener) override;
    void send(const QByteArray &frame) override;
    void ping() override;
    void close(int code, const QString &reason) override;
    void abort() override;
    // The connection counts against the front door's limits while the link lives.
    void holdTicket(ConnectionTicket ticket) { m_ticket = std::move(ticket); }
    // permessage-deflate was agreed in the handshake (permessagedeflate.h): large
    // messages go out compressed with a window of 2^windowBits, and compressed
    // messages from the client are inflated.
    void enableDeflate(quint8 windowBits);

protected:
    enum class State : quint8 {
        Open,
        Closing, // our close frame is out; waiting for the client's
        Draining, // close frames exchanged (or the client failed): writes shut, input ignored
        Gone,
    };

    // --- the byte stream, implemented by the subclass ---
    // Appends bytes to the output; flush() hands them over.
    virtual void queueBytes(const QByteArray &bytes) = 0;
    // No more output after what is queued: our FIN once it is out.
    virtual void shutdownWrites() = 0;
    // Drops the connection now (called once, from finish()).
    virtual void closeStream() = 0;
    // deadlineReached() in `ms`, unless the link is gone by then.
    virtual void startDeadline(int ms) = 0;
    // received() of the bytes kept by setListener(), from the event loop.
    virtual void schedulePending() = 0;

    // --- for the subclass ---
    // Bytes from the client, in order.
    void received(const char *data, qsizetype size);
    // The client hung up, or the connection broke.
    void streamEnded() { finish(); }
    void deadlineReached();
    // Feeds the bytes that came with the handshake (kept until the listener is set).
    void receivePending();
    bool hasPending() const { return !m_pending.isEmpty(); }
    State state() const { return m_state; }
    // Our FIN is out (shutdownWrites() was called): nothing more is written.
    bool writesShut() const { return m_writesShut; }
    // Input is read only to find the end of the stream once draining.
    bool readsInput() const { return m_state == State::Open || m_state == State::Closing; }
    // Everything queued is out: in Draining, writes are shut now.
    void outputDrained();
    // Called by the subclass constructor with what the client sent right after
    // its handshake, before anything else.
    void keepPending(const QByteArray &bytes) { m_pending = bytes; }

private:
    bool onFrame(FrameParser::Opcode opcode, const QByteArray &payload) override;
    void fail(int code, const char *reason);
    void queueControl(quint8 opcode, const QByteArray &payload);
    void sendClose(int code, const QByteArray &reason);
    void drain();
    void finish();

    LinkListener *m_listener = nullptr;
    ConnectionTicket m_ticket;
    QByteArray m_pending; // received before the listener was set
    FrameParser m_parser;
    quint16 m_closeCode = 1006; // received, or sent; 1006: the connection just dropped
    State m_state = State::Open;
    bool m_closeSent = false;
    bool m_writesShut = false;
    quint8 m_deflateBits = 0; // 0: no permessage-deflate
};

} // namespace Chat
