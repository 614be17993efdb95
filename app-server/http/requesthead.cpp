// Request-head parsing and the Host/Origin policy.
#include "requesthead.h"

#include <QHostAddress>
#include <QHostInfo>

namespace Chat {

namespace {
QByteArrayView trimmed(QByteArrayView v)
{
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!v.isEmpty() && space(v.front()))
        v = v.sliced(1);
    while (!v.isEmpty() && space(v.back()))
        v.chop(1);
    return v;
}
} // namespace

bool RequestHead::isValidRequestLine(QByteArrayView line)
{
    // METHOD SP request-target SP HTTP/1.x, nothing else (RFC 9112, section 3).
    const qsizetype first = line.indexOf(' ');
    const qsizetype second = first < 0 ? -1 : line.indexOf(' ', first + 1);
    if (second < 0 || line.indexOf(' ', second + 1) >= 0)
        return false;
    const QByteArrayView method = line.first(first);
    const QByteArrayView target = line.sliced(first + 1, second - first - 1);
    const QByteArrayView version = line.sliced(second + 1);
    if (version != "HTTP/1.1" && version != "HTTP/1.0")
        return false;
    if (method.isEmpty() || method.size() > 16)
        return false;
    for (const char c : method) {
        if (c < 'A' || c > 'Z')
            return false;
    }
    if (target.isEmpty()
        || (target.front() != '/' && target != "*" && !target.startsWith("http://")
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
    RequestHead h;
    h.m_head = head;
    const QByteArrayView all(h.m_head);
    qsizetype end = all.indexOf('\n');
    QByteArrayView requestLine = end < 0 ? all : all.first(end);
    if (requestLine.endsWith('\r'))
        requestLine.chop(1);
    if (!isValidRequestLine(requestLine))
        return std::nullopt;
    const qsizetype first = requestLine.indexOf(' ');
    h.m_method = requestLine.first(first);
    h.m_target = requestLine.sliced(first + 1, requestLine.lastIndexOf(' ') - first - 1);
    while (end >= 0) {
        const qsizetype start = end + 1;
        end = all.indexOf('\n', start);
        const QByteArrayView line
            = trimmed(end < 0 ? all.sliced(start) : all.sliced(start, end - start));
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return std::nullopt;
        h.m_headers.append({trimmed(line.first(colon)), trimmed(line.sliced(colon + 1))});
    }
    return h;
}

namespace {
bool sameName(QByteArrayView a, const QByteArray &b)
{
    return a.size() == b.size() && qstrnicmp(a.data(), a.size(), b.data(), b.size()) == 0;
}
} // namespace

QByteArray RequestHead::header(const QByteArray &name) const
{
    for (const auto &[n, value] : m_headers) {
        if (sameName(n, name))
            return value.toByteArray();
    }
    return {};
}

QByteArray RequestHead::headerList(const QByteArray &name) const
{
    QByteArray list;
    for (const auto &[n, value] : m_headers) {
        if (!sameName(n, name))
            continue;
        if (!list.isEmpty())
            list += ", ";
        list += value;
    }
    return list;
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
    return m_origins.contains(QString::fromLatin1(origin))
        || m_origins.contains(QStringLiteral("*"));
}

} // namespace Chat
