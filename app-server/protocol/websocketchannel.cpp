// WebSocket channel.
#include "websocketchannel.h"

namespace Chat {

WebSocketChannel::WebSocketChannel(std::unique_ptr<Link> link, const WireCodec &codec)
    : m_link(std::move(link)), m_codec(codec)
{ }

WebSocketChannel::~WebSocketChannel() = default;

void WebSocketChannel::setListener(ChannelListener *listener)
{
    m_listener = listener;
    m_link->setListener(this);
}

} // namespace Chat
