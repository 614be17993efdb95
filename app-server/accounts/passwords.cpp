// Password hashing and tokens with libsodium (passwords.h).
#include "passwords.h"

#include <QByteArray>
#include <QCryptographicHash>

#include <sodium.h>

namespace Chat::Passwords {

Cost cost()
{
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

bool initialize()
{
    return sodium_init() >= 0;
}

QString hash(const QString &password)
{
    QByteArray utf8 = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    const Cost c = cost();
    const int rc
        = crypto_pwhash_str(out, utf8.constData(), quint64(utf8.size()), c.ops, c.memoryBytes);
    sodium_memzero(utf8.data(), size_t(utf8.size()));
    if (rc != 0)
        return {};
    return QString::fromLatin1(out);
}

bool verify(const QString &storedHash, const QString &password)
{
    const QByteArray stored = storedHash.toLatin1();
    if (stored.isEmpty() || stored.size() >= crypto_pwhash_STRBYTES)
        return false;
    QByteArray utf8 = password.toUtf8();
    const bool ok
        = crypto_pwhash_str_verify(stored.constData(), utf8.constData(), quint64(utf8.size())) == 0;
    sodium_memzero(utf8.data(), size_t(utf8.size()));
    return ok;
}

bool needsRehash(const QString &storedHash)
{
    const QByteArray stored = storedHash.toLatin1();
    const Cost c = cost();
    return crypto_pwhash_str_needs_rehash(stored.constData(), c.ops, c.memoryBytes) != 0;
}

QString randomToken(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    randombytes_buf(raw.data(), size_t(raw.size()));
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString tokenHash(const QString &token)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex());
}

void wipe(QString &password)
{
    if (password.isEmpty())
        return;
    password.detach();
    sodium_memzero(password.data(), size_t(password.size()) * sizeof(QChar));
    password.clear();
}

} // namespace Chat::Passwords
