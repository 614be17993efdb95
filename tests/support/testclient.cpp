// Recording WebSocket client for tests.
#include "testclient.h"

#include "protocol.h"
#include "requests.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

namespace Chat::Test {

TestClient::TestClient(QObject *parent) : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        m_received.append(QJsonDocument::fromJson(text.toUtf8()).object());
        m_taken.append(false);
    });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_closed = true;
        m_closeCode = int(m_socket.closeCode());
        m_closeReason = m_socket.closeReason();
    });
}

TestClient::~TestClient()
{
    // Qt 6.4's ~QWebSocket() leaks the close reason of a socket still open.
    m_socket.abort();
}

bool TestClient::connectTo(const QUrl &url, int timeoutMs)
{
    m_socket.open(url);
    return !take(QStringLiteral("welcome"), timeoutMs).isEmpty();
}

void TestClient::send(const QJsonObject &object)
{
    m_socket.sendTextMessage(QString::fromUtf8(encode(object)));
}

void TestClient::sendRaw(const QString &text)
{
    m_socket.sendTextMessage(text);
}

void TestClient::sendBinary(const QByteArray &data)
{
    m_socket.sendBinaryMessage(data);
}

QJsonObject TestClient::take(const QString &type, int timeoutMs, const QString &room)
{
    QDeadlineTimer deadline(timeoutMs);
    forever
    {
        for (qsizetype i = 0; i < m_received.size(); ++i) {
            const QJsonObject &o = m_received.at(i);
            if (!m_taken.at(i) && o.value(QLatin1String("type")).toString() == type
                && (room.isEmpty() || o.value(QLatin1String("room")).toString() == room)) {
                m_taken[i] = true;
                return o;
            }
        }
        if (deadline.hasExpired() || m_closed)
            return {};
        QTest::qWait(5);
    }
}

bool TestClient::sync(int timeoutMs)
{
    send(QJsonObject {{QStringLiteral("type"), QStringLiteral("rooms")}});
    return !take(QStringLiteral("rooms"), timeoutMs).isEmpty();
}

bool TestClient::waitClosed(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!m_closed && !deadline.hasExpired())
        QTest::qWait(5);
    return m_closed;
}

QList<QJsonObject> TestClient::pending(const QString &type) const
{
    QList<QJsonObject> out;
    for (qsizetype i = 0; i < m_received.size(); ++i) {
        if (!m_taken.at(i) && m_received.at(i).value(QLatin1String("type")).toString() == type)
            out.append(m_received.at(i));
    }
    return out;
}

void TestClient::clear()
{
    m_received.clear();
    m_taken.clear();
}

bool TestClient::hello(const QString &username)
{
    send(Requests::hello(username));
    return !take(QStringLiteral("identified")).isEmpty();
}

QJsonObject TestClient::join(const QString &room, std::optional<qint64> since)
{
    send(Requests::join(room, since));
    return take(QStringLiteral("joined"), 5000, room);
}

} // namespace Chat::Test
