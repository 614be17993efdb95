// Logging categories of the server.
#include "serverlogging.h"

#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcServer, "chat.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSession, "chat.server.session", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRoom, "chat.server.room", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "chat.server.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "chat.server.http", QtInfoMsg)

namespace Chat {

namespace {
bool journal = false;

// JOURNAL_STREAM is "device:inode" of the journal's stream; it counts only if
// standard error still is that stream (not redirected by a wrapper).
bool stderrIsJournal()
{
    const QByteArray stream = qgetenv("JOURNAL_STREAM");
    const qsizetype colon = stream.indexOf(':');
    if (colon <= 0)
        return false;
    struct stat st = {};
    if (fstat(STDERR_FILENO, &st) != 0)
        return false;
    bool deviceOk = false;
    bool inodeOk = false;
    const qulonglong device = stream.left(colon).toULongLong(&deviceOk);
    const qulonglong inode = stream.mid(colon + 1).toULongLong(&inodeOk);
    return deviceOk && inodeOk && device == qulonglong(st.st_dev) && inode == qulonglong(st.st_ino);
}

int syslogPriority(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return 7; // LOG_DEBUG
    case QtInfoMsg:
        return 6; // LOG_INFO
    case QtWarningMsg:
        return 4; // LOG_WARNING
    case QtCriticalMsg:
        return 3; // LOG_ERR
    case QtFatalMsg:
        return 2; // LOG_CRIT
    }
    return 6;
}

void toJournal(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    QByteArray line = '<' + QByteArray::number(syslogPriority(type)) + '>';
    if (context.category && qstrcmp(context.category, "default") != 0)
        line += QByteArray(context.category) + ": ";
    // One journal entry per line: a message with line breaks stays one entry.
    line += message.toUtf8().replace('\n', ' ') + '\n';
    [[maybe_unused]] const auto written
        = ::write(STDERR_FILENO, line.constData(), size_t(line.size()));
}
} // namespace

void installServerMessageHandler()
{
    journal = stderrIsJournal();
    if (journal)
        qInstallMessageHandler(toJournal);
}

bool logsToJournal()
{
    return journal;
}

} // namespace Chat
