// Protocol v1 over WebSocket.
#include "v1codec.h"

#include "wireframe.h"

namespace Chat {

namespace {
template<class... Ts> struct Overloaded : Ts...
{
    using Ts::operator()...;
};
template<class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;
} // namespace

const V1Codec &V1Codec::instance()
{
    static const V1Codec codec;
    return codec;
}

DecodeResult V1Codec::decode(const QByteArray &message, const ProtocolLimits &limits) const
{
    return decodeRequest(message, limits);
}

QJsonObject V1Codec::toJson(const ServerEvent &event)
{
    return std::visit(
        Overloaded {
            [](const Event::Welcome &e) {
                return Reply::welcome(e.server, e.limits, e.auth, e.accounts);
            },
            [](const Event::Identified &e) {
                return Reply::identified(e.username, e.session, e.rooms);
            },
            [](const Event::Joined &e) {
                return Reply::joined(e.room, e.users, e.history, e.more, e.reset);
            },
            [](const Event::Member &e) {
                return e.joined ? Reply::userJoined(e.room, e.username, e.usersInRoom)
                                : Reply::userLeft(e.room, e.username, e.usersInRoom);
            },
            [](const Event::Presence &e) {
                return Reply::presence(e.room, e.joined, e.left, e.usersInRoom);
            },
            [](const Event::Typing &e) { return Reply::userTyping(e.room, e.username, e.active); },
            [](const ChatMessage &e) { return e.toJson(); },
            [](const Event::History &e) { return Reply::history(e.room, e.messages, e.more); },
            [](const Event::RoomList &e) { return Reply::rooms(e.rooms); },
            [](const Event::AccountReply &e) { return e.body; },
            [](const ProtocolError &e) { return e.toJson(); },
        },
        event);
}

QByteArray V1Codec::encode(const ServerEvent &event) const
{
    if (const auto *joined = std::get_if<Event::Joined>(&event)) {
        // A big room's users are most of the reply: written straight to JSON,
        // not through a QJsonArray (two thirds of a 5,000-member room's filling
        // went there), and spliced in before the object's closing brace.
        QByteArray json = Chat::encode(
            Reply::joined(joined->room, {}, joined->history, joined->more, joined->reset));
        static constexpr char emptyUsers[] = "\"users\":[]";
        const qsizetype at = json.lastIndexOf(emptyUsers); // keys are sorted: users is last
        Q_ASSERT(at > 0);
        json.replace(at + qsizetype(sizeof emptyUsers) - 3, 2, encodeStringArray(joined->users));
        return WireFrame::text(json);
    }
    return WireFrame::text(Chat::encode(toJson(event)));
}

} // namespace Chat
