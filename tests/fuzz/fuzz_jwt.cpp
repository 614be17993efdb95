// libFuzzer target: JSON Web Tokens as a client sends them (hello.jwt), against
// an HS256 verifier and an RS256 one. Built by scripts/fuzz.sh. No input may
// crash either; a token either verifies with a valid username, or is refused
// with a reason. Forging the HMAC is out of a fuzzer's reach, so only the
// corpus' one good token (HS256, exp in 2099) may ever be accepted.
#include "fuzzcheck.h"
#include "jwtverifier.h"
#include "validation.h"

#include <cstdint>
#include <cstdlib>

using namespace Chat;
using Chat::Fuzz::require;

namespace {
// A throwaway RSA-2048 public key: RS256 verification paths run, nothing verifies.
constexpr char RsaPublicKey[] = R"(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAy8tI3z3BgcUNH4jncZxW
ErjXKubZ5/LwrzQcyZdG3zQZiuMAdZdMe0nNrihZEmZBFJSvZ0gQ5xdn7I2VV7w2
/tmdctbczgpynRDC/s5eAPudwbVxaFfwAzI2liGowF8hvOzKHewAZ04RRyQEooXQ
R/jguVLQsD13tEvWlGgBMFjQ1KkuMqZuSrxoGKrV1fB6zHp4azjURkdW8GFazRx5
HS1ripLVFGZ4soyo8+pfhMdX3HdCGzcUMIdBSEZ75rxdtA2y+VJoSqM0nq/O+Fkk
DvJjtnYm4ry6LVoDbpx+ftlbj/CKJ1PN1aULsOih90uQn3ZKYtTslvKYGgbYaceA
qwIDAQAB
-----END PUBLIC KEY-----
)";

const JwtVerifier &hs256()
{
    static const std::unique_ptr<JwtVerifier> v = [] {
        JwtVerifier::Options o;
        o.secret = QByteArrayLiteral("the fuzz target's HS256 secret, 32+ bytes");
        o.issuer = QStringLiteral("https://sso.fuzz");
        o.audience = QStringLiteral("lanchat");
        QString error;
        return JwtVerifier::create(o, &error);
    }();
    return *v;
}

const JwtVerifier *rs256()
{
    static const std::unique_ptr<JwtVerifier> v = [] {
        JwtVerifier::Options o;
        o.publicKeyPem = QByteArray(RsaPublicKey);
        QString error;
        return JwtVerifier::create(o, &error);
    }();
    return v.get();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString token
        = QString::fromLatin1(reinterpret_cast<const char *>(data), qsizetype(size));
    const qint64 now = 1764633600000; // 2025-12-02: a fixed clock, a repeatable run
    QString why;
    if (const auto id = hs256().verify(token, now, &why)) {
        require(Validation::usernameProblem(id->name).isEmpty());
        require(id->expiresMs > now);
    } else {
        require(!why.isEmpty());
    }
    const JwtVerifier *rs = rs256();
    require(rs != nullptr); // the key loads
    {
        QString whyRs;
        require(!rs->verify(token, now, &whyRs)); // nothing is signed with its private key
        require(!whyRs.isEmpty());
    }
    return 0;
}
