// The request head the front door peeks at before handing a connection on: the
// request line and headers, parsed without sockets (pure, fuzzed), and the
// policy for whom the server answers.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Chat {

class RequestHead
{
public:
    // The head up to (not including) the blank line. Nullopt if the request
    // line is not "METHOD SP target SP HTTP/1.x" or a header line has no name.
    static std::optional<RequestHead> parse(const QByteArray &head);
    static bool isValidRequestLine(QByteArrayView line);

    QByteArray method() const { return m_method.toByteArray(); }
    QByteArray target() const { return m_target.toByteArray(); }
    // The first header of this name (case-insensitive), trimmed; empty if absent.
    QByteArray header(const QByteArray &name) const;
    // Every header of this name, trimmed, joined with ", " (a list header sent
    // on several lines is one list, RFC 7230 3.2.2).
    QByteArray headerList(const QByteArray &name) const;
    bool isWebSocketUpgrade() const;
    // Host without the port, lower case, an IPv6 literal without brackets.
    // Empty if there is no Host header; nullopt if it is malformed.
    std::optional<QByteArray> hostName() const;

private:
    // Views into m_head (shared, never changed): one allocation for the list,
    // none per header, at every connection the front door sees.
    QByteArray m_head;
    QByteArrayView m_method;
    QByteArrayView m_target;
    QList<std::pair<QByteArrayView, QByteArrayView>> m_headers;
};

// Which Host names the server answers to, and which browser origins may open a
// WebSocket. DNS rebinding points a name the attacker owns at this server: the
// browser then sends that name as Host (and the matching Origin), so comparing
// Origin with Host proves nothing. Only the server's own names and addresses
// are answered (as qBittorrent's web UI does).
class HostPolicy
{
public:
    // ownNames: this machine's names (host name, host name.local, ...);
    // extra: --allow-host values ("*" turns the check off, for a reverse proxy).
    HostPolicy(const QStringList &ownNames = {}, const QStringList &extraHosts = {},
               const QStringList &extraOrigins = {});
    // The names of the machine this runs on.
    static QStringList localNames();

    bool allowsHost(const RequestHead &head) const;
    // Browsers send Origin; other clients do not. Allowed: none, our own, the list.
    bool allowsOrigin(const RequestHead &head, bool tls) const;

private:
    bool isOwnName(const QByteArray &host) const;

    QList<QByteArray> m_names;
    QStringList m_origins;
    bool m_anyHost = false;
};

} // namespace Chat
