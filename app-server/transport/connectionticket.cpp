// A connection's place in the front door's counts.
#include "connectionticket.h"

namespace Chat {

ConnectionTicket::ConnectionTicket(std::shared_ptr<ConnectionCounts> counts, const QString &address)
    : m_counts(std::move(counts))
{
    auto it = m_counts->perAddress.find(address);
    if (it == m_counts->perAddress.end())
        it = m_counts->perAddress.insert(address, 0);
    ++*it;
    ++m_counts->total;
    m_address = it.key();
}

ConnectionTicket &ConnectionTicket::operator=(ConnectionTicket &&other) noexcept
{
    if (this != &other) {
        release();
        m_counts = std::move(other.m_counts);
        m_address = std::move(other.m_address);
    }
    return *this;
}

void ConnectionTicket::release()
{
    if (!m_counts)
        return;
    --m_counts->total;
    const auto it = m_counts->perAddress.find(m_address);
    if (it != m_counts->perAddress.end() && --*it <= 0)
        m_counts->perAddress.erase(it);
    m_counts.reset();
    m_address.clear();
}

} // namespace Chat
