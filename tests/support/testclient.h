// A real QWebSocket client for tests that records every frame it receives.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

namespace Chat::Test {

class TestClient final : public QObject
{
    Q_OBJECT
public:
    explicit TestClient(QObject *parent = nullptr);
    ~TestClient() override;

    // Connects and waits for `welcome`; false on timeout.
    bool connectTo(const QUrl &url, int timeoutMs = 5000);
    void send(const QJsonObject &object);
    void sendRaw(const QString &text);
    void sendBinary(const QByteArray &data);

    // Waits for the next not-yet-taken frame of this type (and room, if given);
    // returns it and marks it taken, or an empty object on timeout.
    QJsonObject take(const QString &type, int timeoutMs = 5000, const QString &room = {});
    // Waits until the socket is closed.
    bool waitClosed(int timeoutMs = 5000);
    // Frames of a type received so far and not taken.
    QList<QJsonObject> pending(const QString &type) const;
    // Everything received, taken or not.
    const QList<QJsonObject> &received() const { return m_received; }
    void clear();

    // A round trip (rooms, then its answer): afterwards everything the server
    // sent this client before it handled the request has arrived. Tests that
    // check something did not happen wait for this, not for a fixed time.
    bool sync(int timeoutMs = 5000);
    // Convenience: hello + identified, join + joined.
    bool hello(const QString &username);
    QJsonObject join(const QString &room, std::optional<qint64> since = std::nullopt);

    QWebSocket &socket() { return m_socket; }
    int closeCode() const { return m_closeCode; }
    QString closeReason() const { return m_closeReason; }
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_received;
    QList<bool> m_taken;
    int m_closeCode = -1;
    QString m_closeReason;
    bool m_closed = false;
};

} // namespace Chat::Test
