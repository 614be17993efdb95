// In-process bus.
#include "inprocessbus.h"

namespace Chat {

InProcessBus::~InProcessBus() = default;

void InProcessBus::publish(const ChatMessage &message)
{
    ++m_published;
    emit delivered(message);
}

} // namespace Chat
