// Username, room and text rules (DESIGN.md, "Wire protocol v1").
#include "validation.h"

#include <QCoreApplication>

namespace Chat::Validation {

namespace {
bool hasLoneSurrogate(const QString &s)
{
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c.isHighSurrogate()) {
            if (i + 1 >= s.size() || !s.at(i + 1).isLowSurrogate())
                return true;
            ++i;
        } else if (c.isLowSurrogate()) {
            return true;
        }
    }
    return false;
}

// Each code point of `s` (a lone surrogate, if any, as itself).
template<typename F> void forEachCodePoint(const QString &s, F &&f)
{
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c.isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate()) {
            if (!f(QChar::surrogateToUcs4(c, s.at(i + 1))))
                return;
            ++i;
        } else if (!f(char32_t(c.unicode()))) {
            return;
        }
    }
}

bool isForbiddenCodePoint(char32_t c)
{
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
    case QChar::Other_NotAssigned:
        return true;
    default:
        return false;
    }
}
} // namespace

bool isForbiddenInName(QChar c)
{
    return isForbiddenCodePoint(c.unicode());
}

QString usernameProblem(const QString &username, const ProtocolLimits &limits)
{
    const QString name = username.trimmed();
    if (name.isEmpty())
        return QCoreApplication::translate("Chat::Validation", "A name must not be empty.");
    if (name.size() > limits.maxUsernameLength)
        return QCoreApplication::translate("Chat::Validation",
                                           "A name can be at most %1 characters long.")
            .arg(limits.maxUsernameLength);
    if (hasLoneSurrogate(name))
        return QCoreApplication::translate("Chat::Validation", "A name must be valid text.");
    bool forbidden = false;
    forEachCodePoint(name, [&](char32_t c) { return !(forbidden = isForbiddenCodePoint(c)); });
    if (forbidden)
        return QCoreApplication::translate("Chat::Validation",
                                           "A name must not contain control characters.");
    return {};
}

QString roomProblem(const QString &room, const ProtocolLimits &limits)
{
    if (room.isEmpty())
        return QCoreApplication::translate("Chat::Validation", "A room name must not be empty.");
    if (room.size() > limits.maxRoomLength)
        return QCoreApplication::translate("Chat::Validation",
                                           "A room name can be at most %1 characters long.")
            .arg(limits.maxRoomLength);
    if (hasLoneSurrogate(room))
        return QCoreApplication::translate("Chat::Validation", "A room name must be valid text.");
    QString problem;
    forEachCodePoint(room, [&](char32_t c) {
        if (QChar::isSpace(c))
            problem = QCoreApplication::translate("Chat::Validation",
                                                  "A room name must not contain spaces.");
        else if (isForbiddenCodePoint(c))
            problem = QCoreApplication::translate(
                "Chat::Validation", "A room name must not contain control characters.");
        return problem.isEmpty();
    });
    return problem;
}

QString textProblem(const QString &text, const ProtocolLimits &limits)
{
    if (text.trimmed().isEmpty())
        return QCoreApplication::translate("Chat::Validation", "A message must not be empty.");
    if (text.size() > limits.maxTextLength)
        return QCoreApplication::translate("Chat::Validation",
                                           "A message can be at most %1 characters long.")
            .arg(limits.maxTextLength);
    if (hasLoneSurrogate(text))
        return QCoreApplication::translate("Chat::Validation", "A message must be valid text.");
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control && c != QLatin1Char('\n') && c != QLatin1Char('\t')
            && c != QLatin1Char('\r'))
            return QCoreApplication::translate("Chat::Validation",
                                               "A message must not contain control characters.");
    }
    return {};
}

QString usernameKey(const QString &username)
{
    return username.trimmed().toCaseFolded();
}

} // namespace Chat::Validation
