// chat-server as a child process.
#include "serverprocess.h"

#include <QDeadlineTimer>
#include <QTest>

namespace Chat::Test {

ServerProcess::ServerProcess() = default;

ServerProcess::~ServerProcess()
{
    kill();
}

QString ServerProcess::binary()
{
    return qEnvironmentVariable("CHAT_SERVER_BIN");
}

bool ServerProcess::start(const QStringList &arguments, int timeoutMs)
{
    QStringList args = arguments;
    if (!args.contains(QLatin1String("--port")))
        args << QStringLiteral("--port") << QStringLiteral("0");
    if (!args.contains(QLatin1String("--host")))
        args << QStringLiteral("--host") << QStringLiteral("127.0.0.1");
    // Test servers do not announce themselves on the developer's LAN unless a
    // test says so (--announce-name: the discovery test, on a LAN of its own).
    if (!args.contains(QLatin1String("--announce"))
        && !args.contains(QLatin1String("--announce-name")))
        args << QStringLiteral("--announce") << QStringLiteral("off");
    m_stdout.clear();
    m_port = 0;
    m_process.start(binary(), args);
    if (!m_process.waitForStarted(timeoutMs))
        return false;
    const QByteArray marker = "listening on port ";
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
        m_process.waitForReadyRead(50);
        m_stdout += m_process.readAllStandardOutput();
        const qsizetype at = m_stdout.indexOf(marker);
        const qsizetype end = at < 0 ? -1 : m_stdout.indexOf('\n', at);
        if (end > 0) {
            // "listening on port 1234" or "listening on port 1234 (TLS)"
            const QByteArray rest
                = m_stdout.mid(at + marker.size(), end - at - marker.size()).trimmed();
            m_port = quint16(rest.split(' ').constFirst().toUInt());
            return m_port != 0;
        }
    }
    return false;
}

bool ServerProcess::terminate(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    m_process.terminate();
    QDeadlineTimer deadline(timeoutMs);
    while (m_process.state() != QProcess::NotRunning && !deadline.hasExpired())
        QTest::qWait(10); // keep our own event loop (and client sockets) running
    return m_process.state() == QProcess::NotRunning;
}

void ServerProcess::kill()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QUrl ServerProcess::url() const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/")
                    .arg(isTls() ? QStringLiteral("wss") : QStringLiteral("ws"))
                    .arg(m_port));
}

QByteArray ServerProcess::standardError()
{
    return m_process.readAllStandardError();
}

} // namespace Chat::Test
