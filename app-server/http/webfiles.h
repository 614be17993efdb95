// The browser client's files: compiled into the binary (:/web) or, with
// --web-root, read from a folder on disk for working on the page.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <optional>

namespace Chat {

class WebFiles final
{
public:
    struct File
    {
        QByteArray body;
        QByteArray contentType;
        QByteArray etag; // quoted, strong
    };

    // root: a folder, or ":/web" for the compiled-in files.
    explicit WebFiles(const QString &root = QStringLiteral(":/web"));

    // "/" is index.html. Only plain names of files directly in the root are served:
    // no "..", no hidden files, no sub-folders.
    std::optional<File> find(const QString &urlPath) const;
    QString root() const { return m_root; }

    static QByteArray contentTypeFor(const QString &fileName);

private:
    QString m_root;
    bool m_cache;
    mutable QHash<QString, File> m_files;
};

} // namespace Chat
