// Request-head parsing and the Host/Origin policy.
#include "requesthead.h"

#include <QHostAddress>
#include <QHostInfo>

namespace Chat {

bool RequestHead::isValidRequestLine(const QByteArray &line)
{
    // METHOD SP request-target SP HTTP/1.x, nothing else (RFC 9112, section 3).
    const QList<QByteArray> parts = line.split(' ');
    if (parts.size() != 3 || (parts.at(2) != "HTTP/1.1" && parts.at(2) != "HTTP/1.0"))
        return false;
    const QByteArray &method = parts.at(0);
    if (method.isEmpty() || method.size() > 16)
        return false;
    for (const char c : method) {
        if (c < 'A' || c > 'Z')
            return false;
    }
    const QByteArray &target = parts.at(1);
    if (target.isEmpty()
        || (target.at(0) != '/' && target != "*" && !target.startsWith("http://")
            && !target.startsWith("https://")))
        return false;
    for (const char c : target) {
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
            return false;
    }
    return true;
}

std::optional<RequestHead> RequestHead::parse(const QByteArray &head)
{
    const QList<QByteArray> lines = head.split('\n');
    QByteArray requestLine = lines.value(0);
    if (requestLine.endsWith('\r'))
        requestLine.chop(1);
    if (!isValidRequestLine(requestLine))
        return std::nullopt;
    RequestHead h;
    const QList<QByteArray> parts = requestLine.split(' ');
    h.m_method = parts.at(0);
    h.m_target = parts.at(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return std::nullopt;
        h.m_headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }
    return h;
}

QByteArray RequestHead::header(const QByteArray &name) const
{
    const QByteArray key = name.toLower();
    for (const auto &[n, value] : m_headers) {
        if (n == key)
            return value;
    }
    return {};
}

bool RequestHead::isWebSocketUpgrade() const
{
    return header("upgrade").toLower().contains("websocket");
}

std::optional<QByteArray> RequestHead::hostName() const
{
    const QByteArray host = header("host").toLower();
    if (host.isEmpty())
        return QByteArray();
    if (host.startsWith('[')) { // [IPv6]:port
        const qsizetype close = host.indexOf(']');
        if (close < 0 || (close + 1 < host.size() && host.at(close + 1) != ':'))
            return std::nullopt;
        return host.mid(1, close - 1);
    }
    const qsizetype colon = host.indexOf(':');
    const QByteArray name = colon < 0 ? host : host.left(colon);
    if (name.isEmpty())
        return std::nullopt;
    for (const char c : name) {
        const bool ok
            = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
        if (!ok)
            return std::nullopt;
    }
    return name;
}

HostPolicy::HostPolicy(const QStringList &ownNames, const QStringList &extraHosts,
                       const QStringList &extraOrigins)
{
    for (const QStringList *list : {&ownNames, &extraHosts}) {
        for (const QString &name : *list) {
            const QString n = name.trimmed().toLower();
            if (n == QLatin1String("*"))
                m_anyHost = true;
            else if (!n.isEmpty())
                m_names.append(n.toUtf8());
        }
    }
    for (const QString &origin : extraOrigins) {
        QString o = origin.trimmed().toLower();
        while (o.endsWith(QLatin1Char('/')))
            o.chop(1);
        if (!o.isEmpty())
            m_origins.append(o);
    }
}

QStringList HostPolicy::localNames()
{
    QStringList names;
    const QString host = QHostInfo::localHostName().toLower();
    if (!host.isEmpty()) {
        names << host << host + QStringLiteral(".local");
        if (const QString domain = QHostInfo::localDomainName().toLower(); !domain.isEmpty())
            names << host + QLatin1Char('.') + domain;
    }
    return names;
}

bool HostPolicy::isOwnName(const QByteArray &host) const
{
    // An address literal cannot be rebound: the browser talks to that address.
    if (!QHostAddress(QString::fromLatin1(host)).isNull())
        return true;
    if (host == "localhost" || host.endsWith(".localhost"))
        return true;
    return m_names.contains(host);
}

bool HostPolicy::allowsHost(const RequestHead &head) const
{
    if (m_anyHost)
        return true;
    const std::optional<QByteArray> host = head.hostName();
    if (!host)
        return false;
    return host->isEmpty() || isOwnName(*host); // no Host: not a browser (HTTP/1.0)
}

bool HostPolicy::allowsOrigin(const RequestHead &head, bool tls) const
{
    const QByteArray origin = head.header("origin").toLower();
    if (origin.isEmpty())
        return true; // not a browser: desktop client, Node, scripts
    const QByteArray host = head.header("host").toLower();
    const QByteArray own = (tls ? "https://" : "http://") + host;
    if (!host.isEmpty() && origin == own && allowsHost(head))
        return true;
    return m_origins.contains(QString::fromLatin1(origin));
}

} // namespace Chat
