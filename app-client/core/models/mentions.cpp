// Mention detection.
#include "mentions.h"

namespace Chat {

namespace {
bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}
} // namespace

bool mentions(const QString &text, const QString &username)
{
    const QString name = username.trimmed();
    if (name.isEmpty())
        return false;
    qsizetype from = 0;
    while ((from = text.indexOf(name, from, Qt::CaseInsensitive)) >= 0) {
        const qsizetype end = from + name.size();
        const bool startOk = from == 0 || !isWordChar(text.at(from - 1));
        const bool endOk = end >= text.size() || !isWordChar(text.at(end));
        if (startOk && endOk)
            return true;
        from = end;
    }
    return false;
}

} // namespace Chat
