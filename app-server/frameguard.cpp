// Client frame scanning under QWebSocket.
#include "frameguard.h"

#include <QMetaObject>
#include <QVarLengthArray>

namespace Chat {

void ClientFrameScanner::feed(const char *data, qint64 size)
{
    qint64 i = 0;
    while (i < size && m_violation < 0) {
        if (m_state == State::Payload) {
            const qint64 skip = qint64(qMin<quint64>(m_length, quint64(size - i)));
            i += skip;
            m_offset += skip;
            m_length -= quint64(skip);
            if (m_length == 0)
                m_state = State::Opcode;
            continue;
        }
        const auto byte = static_cast<unsigned char>(data[i]);
        switch (m_state) {
        case State::Opcode:
            m_frameStart = m_offset;
            m_state = State::Length;
            break;
        case State::Length:
            if ((byte & 0x80) == 0) {
                m_violation = m_frameStart;
                return;
            }
            m_length = byte & 0x7f;
            if (m_length >= 126) {
                m_needed = m_length == 126 ? 2 : 8;
                m_length = 0;
                m_state = State::ExtendedLength;
            } else {
                m_needed = 4;
                m_state = State::Mask;
            }
            break;
        case State::ExtendedLength:
            m_length = (m_length << 8) | byte;
            if (--m_needed == 0) {
                m_needed = 4;
                m_state = State::Mask;
            }
            break;
        case State::Mask:
            if (--m_needed == 0)
                m_state = m_length > 0 ? State::Payload : State::Opcode;
            break;
        case State::Payload:
            break; // handled above
        }
        ++i;
        ++m_offset;
    }
}

void FrameGuard::start(QObject *context, std::function<void()> onViolation)
{
    m_context = context;
    m_onViolation = std::move(onViolation);
    m_active = true;
    m_seen = 0; // whatever is buffered now counts as arrived
}

qint64 FrameGuard::visible(qint64 buffered, QIODevice *device) const
{
    if (!m_active || m_peeking)
        return buffered;
    if (buffered < m_seen) {
        m_consumed += m_seen - buffered;
    } else if (buffered > m_seen && m_scanner.violationAt() < 0) {
        // New bytes at the end of the buffer: look at them without taking them.
        const qint64 fresh = buffered - m_seen;
        QVarLengthArray<char, 4096> bytes(buffered);
        m_peeking = true;
        const qint64 peeked = device->peek(bytes.data(), buffered);
        m_peeking = false;
        if (peeked != buffered) {
            m_active = false; // cannot follow the stream any more: leave it to Qt
            return buffered;
        }
        m_scanner.feed(bytes.constData() + (buffered - fresh), fresh);
        if (m_scanner.violationAt() >= 0 && !m_reported) {
            m_reported = true;
            QMetaObject::invokeMethod(m_context, m_onViolation, Qt::QueuedConnection);
        }
    }
    m_seen = buffered;
    const qint64 bad = m_scanner.violationAt();
    return bad < 0 ? buffered : qBound<qint64>(0, bad - m_consumed, buffered);
}

FrameGuard *frameGuardOf(QTcpSocket *socket)
{
    if (auto *plain = dynamic_cast<GuardedTcpSocket *>(socket))
        return &plain->guard;
    if (auto *tls = dynamic_cast<GuardedSslSocket *>(socket))
        return &tls->guard;
    return nullptr;
}

} // namespace Chat
