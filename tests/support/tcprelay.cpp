// TCP relay for fault tests.
#include "tcprelay.h"

namespace Chat::Test {

TcpRelay::TcpRelay(quint16 targetPort, QObject *parent) : QObject(parent), m_targetPort(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TcpRelay::onNewConnection);
}

TcpRelay::~TcpRelay()
{
    cutAll();
}

bool TcpRelay::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void TcpRelay::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        client->setParent(this);
        if (m_refusing) {
            client->abort();
            client->deleteLater();
            continue;
        }
        auto *server = new QTcpSocket(this);
        server->connectToHost(QHostAddress::LocalHost, m_targetPort);
        const Pair pair {client, server};
        m_pairs.append(pair);
        // Until the upstream connects, the client's bytes wait in its buffer.
        auto pump = [this, pair](bool downstream) {
            QTcpSocket *from = downstream ? pair.server.data() : pair.client.data();
            QTcpSocket *to = downstream ? pair.client.data() : pair.server.data();
            if (!from || !to || to->state() != QAbstractSocket::ConnectedState)
                return;
            const QByteArray data = from->readAll();
            if (downstream && m_blockDownstream)
                m_dropped += data.size();
            else
                to->write(data);
        };
        connect(client, &QTcpSocket::readyRead, this, [pump] { pump(false); });
        connect(server, &QTcpSocket::readyRead, this, [pump] { pump(true); });
        connect(server, &QTcpSocket::connected, this, [pump] { pump(false); });
        auto closeBoth = [pair] {
            if (pair.client)
                pair.client->disconnectFromHost();
            if (pair.server)
                pair.server->disconnectFromHost();
        };
        connect(client, &QTcpSocket::disconnected, this, closeBoth);
        connect(server, &QTcpSocket::disconnected, this, closeBoth);
        connect(server, &QTcpSocket::errorOccurred, this, [pair] {
            if (pair.client)
                pair.client->abort();
        });
    }
}

void TcpRelay::cutAll()
{
    const QList<Pair> pairs = std::exchange(m_pairs, {});
    for (const Pair &pair : pairs) {
        if (pair.client) {
            pair.client->abort();
            pair.client->deleteLater();
        }
        if (pair.server) {
            pair.server->abort();
            pair.server->deleteLater();
        }
    }
}

int TcpRelay::connectionCount() const
{
    int n = 0;
    for (const Pair &pair : m_pairs)
        n += (pair.client && pair.client->state() == QAbstractSocket::ConnectedState) ? 1 : 0;
    return n;
}

} // namespace Chat::Test
