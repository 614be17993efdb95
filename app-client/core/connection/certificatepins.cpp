// Pinned server certificates.
#include "certificatepins.h"

#include "fingerprint.h"

#include <QSettings>
#include <QStringList>

#include <memory>

namespace Chat {

namespace {
std::unique_ptr<QSettings> open(const QString &file)
{
    auto settings = file.isEmpty() ? std::make_unique<QSettings>()
                                   : std::make_unique<QSettings>(file, QSettings::IniFormat);
    settings->beginGroup(QStringLiteral("pinnedCertificates"));
    return settings;
}

QString keyFor(const QString &hostPort)
{
    // QSettings keys must not contain '/' or '\\'; host:port never does, but be safe.
    QString key = hostPort.toLower();
    key.replace(QLatin1Char('/'), QLatin1Char('_')).replace(QLatin1Char('\\'), QLatin1Char('_'));
    return key;
}
} // namespace

CertificatePins::CertificatePins(const QString &settingsFile) : m_file(settingsFile) { }

QString CertificatePins::pinned(const QString &hostPort) const
{
    return open(m_file)->value(keyFor(hostPort)).toString();
}

void CertificatePins::pin(const QString &hostPort, const QString &fingerprint)
{
    open(m_file)->setValue(keyFor(hostPort), fingerprint);
}

void CertificatePins::forget(const QString &hostPort)
{
    open(m_file)->remove(keyFor(hostPort));
}

QString CertificatePins::fingerprintOf(const QSslCertificate &certificate)
{
    return certificateFingerprint(certificate);
}

} // namespace Chat
