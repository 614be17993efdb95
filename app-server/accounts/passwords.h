// Secrets, with libsodium: passwords hashed with Argon2id (crypto_pwhash_str,
// its own salt and cost in the string it returns), random tokens, and the
// SHA-256 a token is kept as.
#pragma once

#include <QString>

namespace Chat::Passwords {

// The cost of one hash: libsodium's "interactive" limits (2 passes over 64 MiB).
struct Cost
{
    unsigned long long ops;
    size_t memoryBytes;
};
Cost cost();

// False if libsodium cannot start (no entropy source): the server must not run accounts then.
bool initialize();
// An empty string if hashing failed (out of memory).
QString hash(const QString &password);
bool verify(const QString &storedHash, const QString &password);
// A hash with other limits than today's: rehash on the next successful sign-in.
bool needsRehash(const QString &storedHash);
// `bytes` random bytes as base64url without padding.
QString randomToken(int bytes = 32);
// What a token is kept as: lowercase hex SHA-256 of its UTF-8.
QString tokenHash(const QString &token);
// Zeroes the password's characters (a best effort: Qt may have copied it).
void wipe(QString &password);

} // namespace Chat::Passwords
