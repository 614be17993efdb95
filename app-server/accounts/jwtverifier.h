// JSON Web Tokens from the organisation's single sign-on (--auth jwt): the
// documents' "verify users with JWT tokens". One algorithm, fixed by the key the
// admin configured, never by the token: HS256 with a shared secret, RS256 with
// an RSA public key, ES256 with a P-256 public key (OpenSSL). `alg: none`, any
// other algorithm, and a token that names HS256 against a public key (the
// classic confusion: the public key used as an HMAC secret) are refused.
// `exp` is required; `nbf`, `iss` and `aud` are checked; 60 s of clock skew.
#pragma once

#include "role.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

namespace Chat {

class JwtVerifier final
{
public:
    struct Options
    {
        QByteArray secret; // HS256
        QByteArray publicKeyPem; // RS256 or ES256, by the key's type
        QString issuer; // empty: not checked
        QString audience; // empty: not checked
        QString nameClaim = QStringLiteral("preferred_username"); // then "sub"
    };
    // Null, with the reason, if the key does not load.
    static std::unique_ptr<JwtVerifier> create(const Options &options, QString *error);
    ~JwtVerifier();
    Q_DISABLE_COPY_MOVE(JwtVerifier)

    QString algorithm() const { return m_algorithm; }

    struct Identity
    {
        QString name; // the name claim, a valid username
        Role role = Role::Member; // the "role" claim if it is one of ours
        qint64 expiresMs = 0;
    };
    // The user the token names, or nullopt and why (a sentence for the log
    // and the client; never the token).
    std::optional<Identity> verify(const QString &token, qint64 nowMs, QString *why) const;

private:
    JwtVerifier() = default;
    bool checkSignature(const QByteArray &signedPart, const QByteArray &signature) const;

    Options m_options;
    QString m_algorithm; // HS256, RS256 or ES256
    void *m_key = nullptr; // EVP_PKEY for RS256 and ES256
};

} // namespace Chat
