// The browser's sign-in over HTTP (accounthttp.h).
#include "accounthttp.h"

#include "accountservice.h"
#include "httpconnection.h"
#include "passwords.h"
#include "protocol.h"
#include "requesthead.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

namespace Chat {

namespace {
int statusFor(ErrorCode code)
{
    switch (code) {
    case ErrorCode::BadCredentials:
    case ErrorCode::BadInvite:
        return 401;
    case ErrorCode::AccountDisabled:
    case ErrorCode::Banned:
    case ErrorCode::RegistrationClosed:
    case ErrorCode::AccountsOff:
        return 403;
    case ErrorCode::NameTaken:
        return 409;
    case ErrorCode::Throttled:
        return 429;
    case ErrorCode::ServerBusy:
        return 503;
    default:
        return 400;
    }
}

HttpResponse json(int status, const QJsonObject &body)
{
    HttpResponse r;
    r.status = status;
    r.contentType = "application/json";
    r.headers.emplaceBack("Cache-Control", "no-store");
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return r;
}

HttpResponse failure(const ProtocolError &e)
{
    return json(statusFor(e.code), {{QStringLiteral("code"), errorCodeName(e.code)},
                                    {QStringLiteral("message"), e.message}});
}

QByteArray cookie(const QString &token, qint64 maxAgeSeconds, bool tls)
{
    QByteArray c = QByteArray(AccountHttp::CookieName) + '=' + token.toLatin1()
        + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + QByteArray::number(maxAgeSeconds);
    if (tls)
        c += "; Secure";
    return c;
}
} // namespace

QString AccountHttp::tokenFromCookie(const QByteArray &cookieHeader)
{
    const QByteArray name = QByteArray(CookieName) + '=';
    for (QByteArray part : cookieHeader.split(';')) {
        part = part.trimmed();
        if (part.startsWith(name)) {
            const QByteArray value = part.mid(name.size());
            // A token is base64url; anything else is not ours.
            const bool ok = !value.isEmpty() && value.size() <= 128
                && std::all_of(value.cbegin(), value.cend(), [](char c) {
                       return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                           || (c >= '0' && c <= '9') || c == '-' || c == '_';
                   });
            return ok ? QString::fromLatin1(value) : QString();
        }
    }
    return {};
}

void AccountHttp::serve(HttpConnection *connection, const HttpRequest &request,
                        AccountService *accounts, const HostPolicy &hosts, bool tls)
{
    const QByteArray path = request.path;
    if (path != "/api/login" && path != "/api/register" && path != "/api/logout") {
        connection->respond(json(404, {{QStringLiteral("code"), QStringLiteral("not-found")}}));
        return;
    }
    if (request.method() != "POST") {
        HttpResponse r = json(405, {{QStringLiteral("code"), QStringLiteral("method")}});
        r.headers.emplaceBack("Allow", "POST");
        connection->respond(r);
        return;
    }
    // Only the server's own pages (or scripts, which send no Origin), and only
    // JSON, which a form on another site cannot send without asking first.
    if (!hosts.allowsOrigin(request.head, tls)) {
        connection->respond(json(403, {{QStringLiteral("code"), QStringLiteral("origin")}}));
        return;
    }
    if (!request.head.header("content-type").toLower().startsWith("application/json")) {
        connection->respond(json(415, {{QStringLiteral("code"), QStringLiteral("content-type")}}));
        return;
    }
    if (!accounts || !accounts->options().passwords) {
        connection->respond(
            failure({ErrorCode::AccountsOff,
                     QStringLiteral("This server has no accounts with passwords."), {}}));
        return;
    }
    const QString address = QString::fromLatin1(connection->peerAddress());
    QPointer<HttpConnection> guard(connection);
    if (path == "/api/logout") {
        const QString token = tokenFromCookie(request.head.header("cookie"));
        auto done = [guard, tls](int) {
            if (!guard)
                return;
            HttpResponse r = json(200, {{QStringLiteral("type"), QStringLiteral("signed-out")}});
            r.headers.emplaceBack("Set-Cookie", cookie(QString(), 0, tls));
            guard->respond(r);
        };
        if (token.isEmpty())
            done(0);
        else
            accounts->revokeToken(Passwords::tokenHash(token), done);
        return;
    }
    QJsonParseError e;
    QJsonObject body = QJsonDocument::fromJson(request.body, &e).object();
    if (e.error != QJsonParseError::NoError) {
        connection->respond(failure({ErrorCode::InvalidJson, QStringLiteral("Not JSON."), {}}));
        return;
    }
    // The same checks as the WebSocket's requests.
    body.insert(QStringLiteral("type"),
                path == "/api/login" ? QStringLiteral("login") : QStringLiteral("register"));
    const DecodeResult decoded = decodeRequest(QJsonDocument(body).toJson(), ProtocolLimits {});
    body = {};
    if (const auto *error = std::get_if<ProtocolError>(&decoded)) {
        connection->respond(failure(*error));
        return;
    }
    Request r = std::get<Request>(decoded);
    const qint64 lifetimeSeconds = accounts->options().tokenLifetimeMs / 1000;
    auto done = [guard, tls, lifetimeSeconds](AccountService::Outcome out) {
        if (!guard)
            return;
        if (out.error) {
            guard->respond(failure(*out.error));
            return;
        }
        HttpResponse resp = json(200, {{QStringLiteral("type"), QStringLiteral("signed-in")},
                                       {QStringLiteral("username"), out.signedIn.account.name},
                                       {QStringLiteral("role"), roleName(out.signedIn.account.role)},
                                       {QStringLiteral("device"), out.signedIn.deviceId}});
        resp.headers.emplaceBack("Set-Cookie", cookie(out.signedIn.token, lifetimeSeconds, tls));
        guard->respond(resp);
    };
    if (r.type == RequestType::Login)
        accounts->login(r.username, r.password, r.device, address, done);
    else
        accounts->registerAccount(r.username, r.password, r.invite, r.device, address, done);
    Passwords::wipe(r.password);
}

} // namespace Chat
