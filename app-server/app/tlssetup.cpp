// TLS certificate loading and self-signed generation.
#include "tlssetup.h"

#include "fingerprint.h"

#include "serverlogging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostInfo>
#include <QNetworkInterface>
#include <QProcess>
#include <QSslKey>
#include <QSslSocket>

namespace Chat {

QString TlsSetup::fingerprintOf(const QSslCertificate &certificate)
{
    return certificateFingerprint(certificate);
}

std::optional<TlsSetup> TlsSetup::fromFiles(const QString &certPath, const QString &keyPath,
                                            QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!QSslSocket::supportsSsl())
        return fail(QStringLiteral("this Qt has no TLS backend"));
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certPath, QSsl::Pem);
    if (chain.isEmpty())
        return fail(QStringLiteral("no PEM certificate in %1").arg(certPath));
    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read the key %1").arg(keyPath));
    const QByteArray pem = keyFile.readAll();
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa}) {
        key = QSslKey(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return fail(QStringLiteral("no EC or RSA private key in %1").arg(keyPath));
    TlsSetup setup;
    setup.configuration = QSslConfiguration::defaultConfiguration();
    setup.configuration.setLocalCertificateChain(chain);
    setup.configuration.setPrivateKey(key);
    setup.configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    setup.configuration.setProtocol(QSsl::TlsV1_2OrLater);
    setup.certificate = chain.constFirst();
    setup.fingerprint = fingerprintOf(setup.certificate);
    return setup;
}

std::optional<TlsSetup> TlsSetup::selfSigned(const QString &dir, QString *error)
{
    const QString cert = dir + QStringLiteral("/tls-cert.pem");
    const QString key = dir + QStringLiteral("/tls-key.pem");
    if (!QFileInfo::exists(cert) || !QFileInfo::exists(key)) {
        QDir().mkpath(dir);
        // Valid for the names and addresses this machine is reached by on the LAN.
        QStringList names = {QStringLiteral("DNS:localhost")};
        const QString host = QHostInfo::localHostName();
        if (!host.isEmpty())
            names.append(QStringLiteral("DNS:") + host);
        for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
            if (address.protocol() == QAbstractSocket::IPv4Protocol)
                names.append(QStringLiteral("IP:") + address.toString());
        }
        names.append(QStringLiteral("IP:::1"));
        names.removeDuplicates();
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                       QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                       QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                       QStringLiteral("-days"), QStringLiteral("3650"), QStringLiteral("-subj"),
                       QStringLiteral("/CN=%1/O=LAN chat")
                           .arg(host.isEmpty() ? QStringLiteral("localhost") : host),
                       QStringLiteral("-addext"),
                       QStringLiteral("subjectAltName=") + names.join(QLatin1Char(',')),
                       QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert});
        if (!openssl.waitForFinished(30000) || openssl.exitStatus() != QProcess::NormalExit
            || openssl.exitCode() != 0) {
            if (error)
                *error = QStringLiteral("openssl could not create a certificate: %1")
                             .arg(QString::fromLocal8Bit(openssl.readAllStandardError()).trimmed());
            return std::nullopt;
        }
        QFile::setPermissions(key, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        qCInfo(lcServer).noquote() << "created a self-signed certificate in" << cert;
    }
    return fromFiles(cert, key, error);
}

} // namespace Chat
