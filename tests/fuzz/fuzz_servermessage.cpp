// libFuzzer target: the client-side decoder of what a server sends (both
// clients trust nothing the server says either). Built by scripts/fuzz.sh.
#include "fuzzcheck.h"
#include "servermessages.h"

#include <climits>
#include <cstdint>
#include <cstdlib>

using namespace Chat;
using Chat::Fuzz::require;

namespace {
void checkMessage(const ChatMessage &m)
{
    require(m.id >= 1 && m.id <= 9007199254740991);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const ServerMessage::Event event = ServerMessage::decode(bytes);
    if (const auto *w = std::get_if<ServerMessage::Welcome>(&event)) {
        const ProtocolLimits &l = w->limits;
        require(l.maxMessageBytes > 0 && l.maxTextLength > 0 && l.maxUsernameLength > 0
                && l.maxRoomLength > 0 && l.rateBurst > 0 && l.ratePerSecond >= 0
                && l.historyPageMax > 0);
    } else if (const auto *j = std::get_if<ServerMessage::Joined>(&event)) {
        require(!j->room.isEmpty());
        for (const ChatMessage &m : j->history)
            checkMessage(m);
    } else if (const auto *m = std::get_if<ChatMessage>(&event)) {
        require(!m->room.isEmpty());
        checkMessage(*m);
    } else if (const auto *member = std::get_if<ServerMessage::Member>(&event)) {
        require(!member->room.isEmpty() && member->usersInRoom >= 0);
    } else if (const auto *h = std::get_if<ServerMessage::History>(&event)) {
        for (const ChatMessage &hm : h->messages)
            checkMessage(hm);
    } else if (const auto *r = std::get_if<ServerMessage::Rooms>(&event)) {
        for (const Reply::RoomInfo &info : r->rooms)
            require(!info.name.isEmpty() && info.usersInRoom >= 0);
    }
    return 0;
}
