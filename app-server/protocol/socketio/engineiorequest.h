// What an HTTP request to /socket.io/ asks of Engine.IO v4, from its method
// and query (EIO, transport, sid), before any session is looked up: a new
// session, a request on an existing one, or the error the reference server
// answers (a JSON body {"code","message"} with status 400, or 403 for Forbidden).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <variant>

namespace Chat::EngineIo {

enum class Transport : quint8 { Polling, WebSocket };

struct Handshake // no sid: open a session on this transport
{
    Transport transport = Transport::Polling;
};
struct SessionRequest // a request on session `sid`
{
    QString sid;
    Transport transport = Transport::Polling;
};
struct RequestError
{
    enum Code : quint8 {
        TransportUnknown = 0,
        SessionIdUnknown = 1,
        BadHandshakeMethod = 2,
        BadRequest = 3,
        Forbidden = 4,
        UnsupportedProtocolVersion = 5,
    };
    Code code = BadRequest;

    int httpStatus() const { return code == Forbidden ? 403 : 400; }
    QString message() const;
    QByteArray body() const; // {"code":N,"message":"..."}
};

using RequestKind = std::variant<Handshake, SessionRequest, RequestError>;

// `method`: "GET", "POST", ...; `query`: what follows the "?" of the target.
// `upgrade`: the request asks for a WebSocket upgrade.
RequestKind classifyRequest(QByteArrayView method, QByteArrayView query, bool upgrade);

} // namespace Chat::EngineIo
