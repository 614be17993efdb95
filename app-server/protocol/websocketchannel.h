// A Channel on a transport Link: WebSocket text messages carry one protocol
// (today v1 JSON, V1Codec). The one place the chat core and the transport meet.
#pragma once

#include "channel.h"
#include "link.h"

#include <memory>

namespace Chat {

class WebSocketChannel final : public Channel, private LinkListener
{
public:
    WebSocketChannel(std::unique_ptr<Link> link, const WireCodec &codec);
    ~WebSocketChannel() override;
    Q_DISABLE_COPY_MOVE(WebSocketChannel)

    const WireCodec &codec() const override { return m_codec; }
    void setListener(ChannelListener *listener) override;
    QString peer() const override { return m_link->peer(); }
    void send(const QByteArray &bytes) override { m_link->send(bytes); }
    void flush() override { m_link->flush(); }
    qint64 queuedBytes() const override { return m_link->queuedBytes(); }
    void ping() override { m_link->ping(); }
    void close(int code, const QString &reason) override { m_link->close(code, reason); }
    void abort() override { m_link->abort(); }

private:
    void onLinkText(const QByteArray &utf8) override { m_listener->onChannelMessage(utf8); }
    void onLinkBinary(const QByteArray &) override { m_listener->onChannelUnsupported(); }
    void onLinkPong() override { m_listener->onChannelAlive(); }
    void onLinkClosing() override { m_listener->onChannelClosing(); }
    void onLinkDisconnected(int closeCode) override { m_listener->onChannelGone(closeCode); }

    std::unique_ptr<Link> m_link;
    const WireCodec &m_codec;
    ChannelListener *m_listener = nullptr;
};

} // namespace Chat
