// Constant-time secret comparison.
#include "secret.h"

#include <QCryptographicHash>

namespace Chat {

bool sameSecret(const QString &a, const QString &b)
{
    const QByteArray x = QCryptographicHash::hash(a.toUtf8(), QCryptographicHash::Sha256);
    const QByteArray y = QCryptographicHash::hash(b.toUtf8(), QCryptographicHash::Sha256);
    unsigned char diff = 0;
    for (qsizetype i = 0; i < x.size(); ++i)
        diff |= static_cast<unsigned char>(x.at(i) ^ y.at(i));
    return diff == 0;
}

} // namespace Chat
