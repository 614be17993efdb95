// Logging categories of the shared layer and the --log option.
#include "logging.h"

#include <QStringList>

Q_LOGGING_CATEGORY(lcProtocol, "chat.protocol", QtInfoMsg)

namespace Chat {

bool applyLogSetting(const QString &setting)
{
    const QString value = setting.trimmed();
    if (value.isEmpty())
        return true;
    static const QStringList levels = {QStringLiteral("debug"), QStringLiteral("info"),
                                       QStringLiteral("warning"), QStringLiteral("critical")};
    const qsizetype level = levels.indexOf(value.toLower());
    if (level >= 0) {
        QStringList rules;
        for (qsizetype i = 0; i < levels.size(); ++i)
            rules << QStringLiteral("chat.*.%1=%2")
                         .arg(levels.at(i),
                              i >= level ? QStringLiteral("true") : QStringLiteral("false"));
        QLoggingCategory::setFilterRules(rules.join(QLatin1Char('\n')));
        return true;
    }
    if (!value.contains(QLatin1Char('=')))
        return false;
    QString rules = value;
    rules.replace(QLatin1Char(';'), QLatin1Char('\n'));
    QLoggingCategory::setFilterRules(rules);
    return true;
}

} // namespace Chat
