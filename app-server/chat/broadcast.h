// One room event on its way to every member: encoded once per encoding present
// among the recipients (not once per recipient), on first use.
#pragma once

#include "serverevent.h"
#include "wirecodec.h"

#include <QByteArray>

#include <array>

namespace Chat {

class Broadcast
{
public:
    explicit Broadcast(ServerEvent event) : m_event(std::move(event)) { }
    Q_DISABLE_COPY_MOVE(Broadcast)

    const ServerEvent &event() const { return m_event; }
    // The event in `codec`'s encoding; the bytes are shared by every recipient.
    const QByteArray &bytesFor(const WireCodec &codec) const
    {
        const int encoding = codec.encoding();
        Q_ASSERT(encoding >= 0 && encoding < WireCodec::MaxEncodings);
        QByteArray &bytes = m_bytes[size_t(encoding)];
        if (bytes.isNull())
            bytes = codec.encode(m_event);
        return bytes;
    }

private:
    ServerEvent m_event;
    mutable std::array<QByteArray, WireCodec::MaxEncodings> m_bytes;
};

} // namespace Chat
