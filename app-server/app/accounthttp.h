// The browser's sign-in over HTTP (--auth accounts): POST /api/login,
// /api/register and /api/logout. A sign-in answers with the account token in a
// cookie the page's script cannot read (HttpOnly; SameSite=Strict; Secure with
// TLS); the same-origin WebSocket upgrade carries it, and `hello` with
// `cookie: true` signs in with it. JSON bodies only, from the server's own
// origin only: a page elsewhere cannot post a form here (docs/security.md).
#pragma once

#include <QByteArray>
#include <QString>

namespace Chat {

class AccountService;
class HostPolicy;
class HttpConnection;
struct HttpRequest;

struct AccountHttp
{
    static constexpr const char *CookieName = "lanchat_session";
    // The account token in a Cookie header; empty if none.
    static QString tokenFromCookie(const QByteArray &cookieHeader);
    static void serve(HttpConnection *connection, const HttpRequest &request,
                      AccountService *accounts, const HostPolicy &hosts, bool tls);
};

} // namespace Chat
