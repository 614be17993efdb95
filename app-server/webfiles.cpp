// Static files of the browser client.
#include "webfiles.h"

#include <QCryptographicHash>
#include <QFile>

namespace Chat {

WebFiles::WebFiles(const QString &root) : m_root(root), m_cache(root.startsWith(QLatin1Char(':')))
{ }

QByteArray WebFiles::contentTypeFor(const QString &fileName)
{
    static const QHash<QString, QByteArray> types = {
        {QStringLiteral("html"), "text/html; charset=utf-8"},
        {QStringLiteral("js"), "text/javascript; charset=utf-8"},
        {QStringLiteral("css"), "text/css; charset=utf-8"},
        {QStringLiteral("svg"), "image/svg+xml"},
        {QStringLiteral("png"), "image/png"},
        {QStringLiteral("json"), "application/json"},
        {QStringLiteral("webmanifest"), "application/manifest+json"},
    };
    return types.value(fileName.section(QLatin1Char('.'), -1).toLower(),
                       "application/octet-stream");
}

std::optional<WebFiles::File> WebFiles::find(const QString &urlPath) const
{
    QString name = urlPath;
    if (name.startsWith(QLatin1Char('/')))
        name.remove(0, 1);
    if (name.isEmpty())
        name = QStringLiteral("index.html");
    if (name.contains(QLatin1Char('/')) || name.contains(QLatin1Char('\\'))
        || name.startsWith(QLatin1Char('.')) || name.contains(QLatin1Char('\0'))
        || name.size() > 100)
        return std::nullopt;
    if (m_cache) {
        if (const auto it = m_files.constFind(name); it != m_files.constEnd())
            return *it;
    }
    QFile file(m_root + QLatin1Char('/') + name);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    File f;
    f.body = file.readAll();
    f.contentType = contentTypeFor(name);
    f.etag
        = '"' + QCryptographicHash::hash(f.body, QCryptographicHash::Sha1).toHex().left(20) + '"';
    if (m_cache)
        m_files.insert(name, f);
    return f;
}

} // namespace Chat
