// Engine.IO v4 request classification.
#include "engineiorequest.h"

#include <QUrlQuery>

namespace Chat::EngineIo {

namespace {
constexpr qsizetype MaxSidLength = 64;

bool isSidCharacter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
        || c == u'-' || c == u'_';
}
} // namespace

QString RequestError::message() const
{
    switch (code) {
    case TransportUnknown:
        return QStringLiteral("Transport unknown");
    case SessionIdUnknown:
        return QStringLiteral("Session ID unknown");
    case BadHandshakeMethod:
        return QStringLiteral("Bad handshake method");
    case BadRequest:
        return QStringLiteral("Bad request");
    case Forbidden:
        return QStringLiteral("Forbidden");
    case UnsupportedProtocolVersion:
        return QStringLiteral("Unsupported protocol version");
    }
    return QStringLiteral("Bad request");
}

QByteArray RequestError::body() const
{
    return "{\"code\":" + QByteArray::number(int(code)) + ",\"message\":\"" + message().toLatin1()
        + "\"}";
}

RequestKind classifyRequest(QByteArrayView method, QByteArrayView query, bool upgrade)
{
    const QUrlQuery q(QString::fromUtf8(query));
    const QString transportName = q.queryItemValue(QStringLiteral("transport"));
    Transport transport = Transport::Polling;
    if (transportName == QLatin1String("polling"))
        transport = Transport::Polling;
    else if (transportName == QLatin1String("websocket"))
        transport = Transport::WebSocket;
    else
        return RequestError {RequestError::TransportUnknown};
    if (q.queryItemValue(QStringLiteral("EIO")) != QLatin1String("4"))
        return RequestError {RequestError::UnsupportedProtocolVersion};
    // A WebSocket transport arrives as an upgrade, a polling one never does.
    if ((transport == Transport::WebSocket) != upgrade)
        return RequestError {RequestError::BadRequest};
    if (!q.hasQueryItem(QStringLiteral("sid"))) {
        if (method != "GET")
            return RequestError {RequestError::BadHandshakeMethod};
        return Handshake {transport};
    }
    const QString sid = q.queryItemValue(QStringLiteral("sid"));
    if (sid.isEmpty() || sid.size() > MaxSidLength
        || !std::all_of(sid.cbegin(), sid.cend(), isSidCharacter))
        return RequestError {RequestError::SessionIdUnknown};
    if (transport == Transport::Polling && method != "GET" && method != "POST")
        return RequestError {RequestError::BadRequest};
    return SessionRequest {sid, transport};
}

} // namespace Chat::EngineIo
