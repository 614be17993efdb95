// Runs the real chat-server binary (CHAT_SERVER_BIN) for process-level tests.
#pragma once

#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace Chat::Test {

class ServerProcess final
{
public:
    ServerProcess();
    ~ServerProcess();

    // Starts chat-server with --port 0 (unless given) and the arguments; waits
    // until it prints its port.
    bool start(const QStringList &arguments, int timeoutMs = 10000);
    bool terminate(int timeoutMs = 10000); // SIGTERM, wait for exit
    void kill(); // SIGKILL
    quint16 port() const { return m_port; }
    QUrl url() const;
    QProcess &process() { return m_process; }
    QByteArray standardError();
    // What the server printed on start-up (port line, TLS fingerprint).
    QByteArray startupOutput() const { return m_stdout; }
    // ws://, or wss:// when the server said it speaks TLS.
    bool isTls() const { return m_stdout.contains("(TLS)"); }

    static QString binary();

private:
    QProcess m_process;
    quint16 m_port = 0;
    QByteArray m_stdout;
};

} // namespace Chat::Test
