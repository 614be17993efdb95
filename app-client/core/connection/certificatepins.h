// Trust on first use for servers with their own (self-signed) certificate: the
// user accepts a server's SHA-256 fingerprint once, and from then on only that
// certificate is trusted for that host and port, like SSH's known_hosts.
#pragma once

#include <QSslCertificate>
#include <QString>

namespace Chat {

class CertificatePins final
{
public:
    // settingsFile: an INI file; empty: the application's QSettings.
    explicit CertificatePins(const QString &settingsFile = {});

    QString pinned(const QString &hostPort) const;
    void pin(const QString &hostPort, const QString &fingerprint);
    void forget(const QString &hostPort);

    static QString fingerprintOf(const QSslCertificate &certificate);

private:
    QString m_file;
};

} // namespace Chat
