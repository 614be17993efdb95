// A connection's place in the front door's counts (all its connections, and
// those of each address), given back when the ticket goes. Move-only, and a
// plain value: it moves with the connection wherever the connection is handed
// (the front-door socket holds it, then the Link that takes the connection
// over), so it costs no allocation of its own.
#pragma once

#include <QHash>
#include <QString>

#include <memory>

namespace Chat {

struct ConnectionCounts
{
    QHash<QString, int> perAddress;
    int total = 0;
};

class ConnectionTicket
{
public:
    ConnectionTicket() = default;
    // Counts one more connection from `address`.
    ConnectionTicket(std::shared_ptr<ConnectionCounts> counts, const QString &address);
    ConnectionTicket(ConnectionTicket &&other) noexcept = default;
    ConnectionTicket &operator=(ConnectionTicket &&other) noexcept;
    ~ConnectionTicket() { release(); }
    Q_DISABLE_COPY(ConnectionTicket)

    bool isValid() const { return m_counts != nullptr; }

private:
    void release();

    std::shared_ptr<ConnectionCounts> m_counts; // outlives the front door if need be
    QString m_address; // shares the counts' key
};

} // namespace Chat
