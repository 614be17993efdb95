// What a Session talks through: one client connection, in its own protocol.
// The chat core sees messages and bytes its codec made; how they are framed and
// carried (WebSocket frames on a descriptor or a TLS socket, ...) is the
// channel's business (app-server/protocol/).
#pragma once

#include "broadcast.h"
#include "wirecodec.h"

#include <QByteArray>
#include <QString>

namespace Chat {

class ChannelListener
{
public:
    // One complete client message, for the channel's codec to decode.
    virtual void onChannelMessage(const QByteArray &message) = 0;
    // A message the protocol does not carry (a binary WebSocket frame).
    virtual void onChannelUnsupported() = 0;
    // The client answered a ping.
    virtual void onChannelAlive() = 0;
    // A close handshake started, by either side. Called once.
    virtual void onChannelClosing() = 0;
    // The connection is gone. Called once, last.
    virtual void onChannelGone(int closeCode) = 0;

protected:
    ~ChannelListener() = default;
};

class Channel
{
public:
    virtual ~Channel() = default;

    virtual const WireCodec &codec() const = 0;
    // Called once, before anything else; the listener outlives the channel.
    virtual void setListener(ChannelListener *listener) = 0;
    virtual QString peer() const = 0; // "address:port"
    // Queues bytes made by codec(); shared, not copied.
    virtual void send(const QByteArray &bytes) = 0;
    // An event for this client alone (a reply, an error): a protocol with
    // replies of its own (Socket.IO acknowledgements) may answer a request with it.
    virtual void sendEvent(const ServerEvent &event) { send(codec().encode(event)); }
    // A room event, encoded once for every recipient of this encoding.
    virtual void sendBroadcast(const Broadcast &event) { send(event.bytesFor(codec())); }
    // Hands what is queued to the kernel.
    virtual void flush() = 0;
    // Bytes queued and not yet taken by the kernel.
    virtual qint64 queuedBytes() const = 0;
    virtual void ping() = 0;
    // Starts the close handshake: a WebSocket close code (application codes 4000-4999 included).
    virtual void close(int code, const QString &reason) = 0;
    // Drops the connection without a word.
    virtual void abort() = 0;

    // The message being delivered (onChannelMessage) is kept for later: the
    // session waits for an answer from elsewhere first. A protocol that pairs
    // replies with requests (Socket.IO acks) keeps the pair. Later the session
    // takes the kept messages up in order, each between begin and end.
    virtual void messageDeferred() { }
    virtual void beginDeferred() { }
    virtual void endDeferred() { }
};

} // namespace Chat
