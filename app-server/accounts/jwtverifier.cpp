// JWT verification with OpenSSL (jwtverifier.h).
#include "jwtverifier.h"

#include "validation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <cmath>

namespace Chat {

namespace {
constexpr qint64 SkewMs = 60 * 1000;
constexpr qsizetype MaxTokenBytes = 8 * 1024;

std::optional<QByteArray> fromBase64Url(const QByteArray &part)
{
    for (const char c : part) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
            || c == '-' || c == '_';
        if (!ok)
            return std::nullopt; // padding, whitespace, another alphabet
    }
    const auto decoded = QByteArray::fromBase64Encoding(
        part, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return *decoded;
}

std::optional<QJsonObject> jsonObject(const QByteArray &bytes)
{
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &e);
    if (e.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

// A NumericDate claim as milliseconds; nullopt if absent; `bad` if not a number in range.
std::optional<qint64> numericDate(const QJsonObject &claims, const char *name, bool *bad)
{
    const QJsonValue v = claims.value(QLatin1String(name));
    if (v.isUndefined())
        return std::nullopt;
    const double d = v.toDouble(std::nan(""));
    if (!v.isDouble() || !std::isfinite(d) || d < 0 || d > 253402300799.0) { // year 9999
        *bad = true;
        return std::nullopt;
    }
    return qint64(d * 1000);
}
} // namespace

std::unique_ptr<JwtVerifier> JwtVerifier::create(const Options &options, QString *error)
{
    std::unique_ptr<JwtVerifier> v(new JwtVerifier);
    v->m_options = options;
    if (!options.secret.isEmpty() && !options.publicKeyPem.isEmpty()) {
        *error = QStringLiteral("give a JWT secret or a public key, not both");
        return nullptr;
    }
    if (!options.secret.isEmpty()) {
        if (options.secret.size() < 32) {
            *error = QStringLiteral("an HS256 secret needs at least 32 bytes");
            return nullptr;
        }
        v->m_algorithm = QStringLiteral("HS256");
        return v;
    }
    BIO *bio = BIO_new_mem_buf(options.publicKeyPem.constData(), int(options.publicKeyPem.size()));
    EVP_PKEY *key = bio ? PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(bio);
    if (!key) {
        *error = QStringLiteral("the JWT public key is not a PEM public key");
        return nullptr;
    }
    if (EVP_PKEY_base_id(key) == EVP_PKEY_RSA && EVP_PKEY_bits(key) >= 2048) {
        v->m_algorithm = QStringLiteral("RS256");
    } else if (EVP_PKEY_base_id(key) == EVP_PKEY_EC && EVP_PKEY_bits(key) == 256) {
        v->m_algorithm = QStringLiteral("ES256");
    } else {
        EVP_PKEY_free(key);
        *error = QStringLiteral("the JWT public key must be RSA (2048 bits or more) or P-256");
        return nullptr;
    }
    v->m_key = key;
    return v;
}

JwtVerifier::~JwtVerifier()
{
    EVP_PKEY_free(static_cast<EVP_PKEY *>(m_key));
}

bool JwtVerifier::checkSignature(const QByteArray &signedPart, const QByteArray &signature) const
{
    if (m_algorithm == QLatin1String("HS256")) {
        unsigned char mac[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        if (!HMAC(EVP_sha256(), m_options.secret.constData(), int(m_options.secret.size()),
                  reinterpret_cast<const unsigned char *>(signedPart.constData()),
                  size_t(signedPart.size()), mac, &length))
            return false;
        return signature.size() == qsizetype(length)
            && CRYPTO_memcmp(mac, signature.constData(), length) == 0;
    }
    QByteArray der = signature;
    if (m_algorithm == QLatin1String("ES256")) {
        // JWS carries R || S, 32 bytes each; OpenSSL wants DER.
        if (signature.size() != 64)
            return false;
        ECDSA_SIG *sig = ECDSA_SIG_new();
        BIGNUM *r = BN_bin2bn(reinterpret_cast<const unsigned char *>(signature.constData()), 32,
                              nullptr);
        BIGNUM *s = BN_bin2bn(reinterpret_cast<const unsigned char *>(signature.constData()) + 32,
                              32, nullptr);
        if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
            BN_free(r);
            BN_free(s);
            ECDSA_SIG_free(sig);
            return false;
        }
        unsigned char *out = nullptr;
        const int length = i2d_ECDSA_SIG(sig, &out);
        ECDSA_SIG_free(sig);
        if (length <= 0)
            return false;
        der = QByteArray(reinterpret_cast<const char *>(out), length);
        OPENSSL_free(out);
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx
        && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, static_cast<EVP_PKEY *>(m_key))
            == 1
        && EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(der.constData()),
                            size_t(der.size()),
                            reinterpret_cast<const unsigned char *>(signedPart.constData()),
                            size_t(signedPart.size()))
            == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

std::optional<JwtVerifier::Identity> JwtVerifier::verify(const QString &token, qint64 nowMs,
                                                         QString *why) const
{
    auto refuse = [why](const char *reason) -> std::optional<Identity> {
        *why = QLatin1String(reason);
        return std::nullopt;
    };
    const QByteArray bytes = token.toLatin1();
    if (bytes.size() > MaxTokenBytes || token.size() != bytes.size())
        return refuse("The token is too long or not ASCII.");
    const QList<QByteArray> parts = bytes.split('.');
    if (parts.size() != 3 || parts[0].isEmpty() || parts[1].isEmpty())
        return refuse("The token is not a signed JWT (three parts).");
    const auto headerBytes = fromBase64Url(parts[0]);
    const auto claimBytes = fromBase64Url(parts[1]);
    const auto signature = fromBase64Url(parts[2]);
    if (!headerBytes || !claimBytes || !signature)
        return refuse("The token is not base64url.");
    const auto header = jsonObject(*headerBytes);
    const auto claims = jsonObject(*claimBytes);
    if (!header || !claims)
        return refuse("The token's header or claims are not a JSON object.");
    // The algorithm is the configured one; the token cannot choose (no "none",
    // no HS256 against a public key).
    if (header->value(QLatin1String("alg")).toString() != m_algorithm)
        return refuse("The token's algorithm is not the one this server accepts.");
    if (header->contains(QLatin1String("crit")))
        return refuse("The token has critical header parameters this server does not know.");
    if (!checkSignature(parts[0] + '.' + parts[1], *signature))
        return refuse("The token's signature does not verify.");
    bool bad = false;
    const auto exp = numericDate(*claims, "exp", &bad);
    const auto nbf = numericDate(*claims, "nbf", &bad);
    if (bad)
        return refuse("The token's exp or nbf is not a date.");
    if (!exp)
        return refuse("The token has no expiry (exp).");
    if (*exp + SkewMs <= nowMs)
        return refuse("The token has expired.");
    if (nbf && *nbf - SkewMs > nowMs)
        return refuse("The token is not valid yet (nbf).");
    if (!m_options.issuer.isEmpty()
        && claims->value(QLatin1String("iss")).toString() != m_options.issuer)
        return refuse("The token is from another issuer.");
    if (!m_options.audience.isEmpty()) {
        const QJsonValue aud = claims->value(QLatin1String("aud"));
        bool forUs = aud.toString() == m_options.audience;
        for (const QJsonValue &a : aud.toArray())
            forUs = forUs || a.toString() == m_options.audience;
        if (!forUs)
            return refuse("The token is for another audience.");
    }
    QString name = claims->value(m_options.nameClaim).toString();
    if (name.isEmpty())
        name = claims->value(QLatin1String("sub")).toString();
    if (!Validation::usernameProblem(name).isEmpty())
        return refuse("The token's name is not a valid username.");
    Identity id;
    id.name = name.trimmed();
    id.role = roleFromName(claims->value(QLatin1String("role")).toString()).value_or(Role::Member);
    id.expiresMs = *exp;
    return id;
}

} // namespace Chat
