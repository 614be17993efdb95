// The bus of a single server: what is published is delivered at once, in order.
#pragma once

#include "bus.h"

namespace Chat {

class InProcessBus final : public Bus
{
    Q_OBJECT
public:
    using Bus::Bus;
    ~InProcessBus() override;
    Q_DISABLE_COPY_MOVE(InProcessBus)

    void publish(const ChatMessage &message) override;
    qint64 publishedCount() const { return m_published; }

private:
    qint64 m_published = 0;
};

} // namespace Chat
