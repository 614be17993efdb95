// Socket.IO v5 packets.
#include "socketiopacket.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Chat::SocketIo {

namespace {
constexpr qint64 MaxAckId = (qint64(1) << 53) - 1; // a JavaScript safe integer

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Digits from `at`, as a number up to `max`; advances `at`. Null if there are
// none or the number is over `max`.
std::optional<qint64> readNumber(QByteArrayView text, qsizetype &at, qint64 max)
{
    const qsizetype start = at;
    qint64 value = 0;
    while (at < text.size() && isDigit(text.at(at))) {
        value = value * 10 + (text.at(at) - '0');
        if (value > max)
            return std::nullopt;
        ++at;
    }
    if (at == start)
        return std::nullopt;
    return value;
}

bool payloadFits(const Packet &p)
{
    switch (p.type) {
    case PacketType::Connect:
        return p.data.isUndefined() || p.data.isObject();
    case PacketType::Disconnect:
        return p.data.isUndefined();
    case PacketType::ConnectError:
        return p.data.isObject() || p.data.isString();
    case PacketType::Event:
    case PacketType::BinaryEvent: {
        if (!p.data.isArray())
            return false;
        const QJsonArray args = p.data.toArray();
        return !args.isEmpty() && args.first().isString()
            && !isReservedEventName(args.first().toString());
    }
    case PacketType::Ack:
    case PacketType::BinaryAck:
        return p.data.isArray();
    }
    return false;
}
} // namespace

bool isReservedEventName(const QString &name)
{
    static const QStringList reserved {
        QStringLiteral("connect"),     QStringLiteral("connect_error"),
        QStringLiteral("disconnect"),  QStringLiteral("disconnecting"),
        QStringLiteral("newListener"), QStringLiteral("removeListener"),
    };
    return reserved.contains(name);
}

ParseResult parse(QByteArrayView text)
{
    if (text.isEmpty())
        return ParseError {"empty packet"};
    if (text.front() < '0' || text.front() > '6')
        return ParseError {"unknown packet type"};
    Packet p;
    p.type = PacketType(text.front() - '0');
    qsizetype at = 1;
    const bool binary = p.type == PacketType::BinaryEvent || p.type == PacketType::BinaryAck;
    if (binary) {
        const auto count = readNumber(text, at, MaxAttachments);
        if (!count || at >= text.size() || text.at(at) != '-')
            return ParseError {"bad attachment count"};
        p.attachments = int(*count);
        ++at;
    }
    if (at < text.size() && text.at(at) == '/') {
        const qsizetype comma = text.indexOf(',', at);
        const qsizetype end = comma < 0 ? text.size() : comma;
        p.nsp = QString::fromUtf8(text.sliced(at, end - at));
        at = comma < 0 ? end : comma + 1;
    }
    if (at < text.size() && isDigit(text.at(at))) {
        const auto id = readNumber(text, at, MaxAckId);
        if (!id)
            return ParseError {"ack id out of range"};
        p.id = *id;
    }
    if (at < text.size()) {
        QJsonParseError error {};
        const QJsonDocument doc = QJsonDocument::fromJson(text.sliced(at).toByteArray(), &error);
        if (error.error != QJsonParseError::NoError)
            return ParseError {"payload is not JSON"};
        p.data = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    }
    if (!payloadFits(p))
        return ParseError {"payload does not fit the packet type"};
    if ((p.type == PacketType::Ack || p.type == PacketType::BinaryAck) && !p.id)
        return ParseError {"ack without an id"};
    return p;
}

QByteArray encode(const Packet &p)
{
    QByteArray out;
    out.append(char('0' + int(p.type)));
    if (p.type == PacketType::BinaryEvent || p.type == PacketType::BinaryAck)
        out.append(QByteArray::number(p.attachments)).append('-');
    if (p.nsp != QLatin1String("/"))
        out.append(p.nsp.toUtf8()).append(',');
    if (p.id)
        out.append(QByteArray::number(*p.id));
    if (p.data.isObject())
        out.append(QJsonDocument(p.data.toObject()).toJson(QJsonDocument::Compact));
    else if (p.data.isArray())
        out.append(QJsonDocument(p.data.toArray()).toJson(QJsonDocument::Compact));
    else if (p.data.isString()) // CONNECT_ERROR may carry a bare message
        out.append(
            QJsonDocument(QJsonArray {p.data}).toJson(QJsonDocument::Compact).sliced(1).chopped(1));
    return out;
}

} // namespace Chat::SocketIo
