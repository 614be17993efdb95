// TLS for the one port: a certificate and key from PEM files, or a self-signed
// pair generated once and kept in the data folder for a quick LAN setup.
#pragma once

#include <QSslConfiguration>
#include <QString>

#include <optional>

namespace Chat {

struct TlsSetup
{
    QSslConfiguration configuration;
    QSslCertificate certificate;
    QString fingerprint; // SHA-256, "AB:CD:..."

    static std::optional<TlsSetup> fromFiles(const QString &certPath, const QString &keyPath,
                                             QString *error);
    // Uses dir/tls-cert.pem and dir/tls-key.pem, creating them (with openssl) if missing.
    static std::optional<TlsSetup> selfSigned(const QString &dir, QString *error);

    static QString fingerprintOf(const QSslCertificate &certificate);
};

} // namespace Chat
