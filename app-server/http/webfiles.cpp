// Static files of the browser client.
#include "webfiles.h"

#include <QCryptographicHash>
#include <QFile>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Chat {

namespace {
constexpr qint64 MaxFileBytes = 16 * 1024 * 1024;
} // namespace

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
        {QStringLiteral("map"), "application/json"},
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
    File f;
    if (m_cache) {
        QFile file(m_root + QLatin1Char('/') + name); // compiled in: nothing but files
        if (!file.open(QIODevice::ReadOnly))
            return std::nullopt;
        f.body = file.readAll();
    } else {
        // A folder on disk: regular files in it only. No symbolic link (it could
        // point anywhere), no FIFO or device (a read would hang or never end).
        const QByteArray path = QFile::encodeName(m_root + QLatin1Char('/') + name);
        const int fd = ::open(path.constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            return std::nullopt;
        struct stat st
        {
        };
        QFile file;
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MaxFileBytes
            || !file.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
            ::close(fd);
            return std::nullopt;
        }
        f.body = file.readAll();
    }
    f.contentType = contentTypeFor(name);
    f.etag
        = '"' + QCryptographicHash::hash(f.body, QCryptographicHash::Sha1).toHex().left(20) + '"';
    if (m_cache)
        m_files.insert(name, f);
    return f;
}

} // namespace Chat
