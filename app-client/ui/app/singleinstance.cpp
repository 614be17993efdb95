#include "singleinstance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QStandardPaths>

namespace Chat {

namespace {
constexpr QByteArrayView RaiseCommand = "raise\n";
}

SingleInstance::SingleInstance(const QString &profile, QObject *parent) : QObject(parent)
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (dir.isEmpty())
        dir = QDir::tempPath();
    const QByteArray key
        = QCryptographicHash::hash(profile.toUtf8(), QCryptographicHash::Sha1).toHex().left(12);
    m_path = dir + QStringLiteral("/lanchat-client-") + QString::fromLatin1(key);
}

SingleInstance::~SingleInstance() = default;

bool SingleInstance::claim()
{
    {
        QLocalSocket other;
        other.connectToServer(m_path);
        // A local socket answers at once or not at all: no event loop needed.
        if (other.waitForConnected(500)) {
            other.write(RaiseCommand.data(), RaiseCommand.size());
            other.waitForBytesWritten(500);
            other.disconnectFromServer();
            return false;
        }
    }
    // Nobody answers: a socket file left by a crash is ours to replace.
    QLocalServer::removeServer(m_path);
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(m_path))
        return true; // cannot listen (a read-only runtime folder): run anyway, alone
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::onConnection);
    return true;
}

void SingleInstance::onConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (socket->canReadLine()) {
                if (socket->readLine(64) == QByteArray(RaiseCommand.data(), RaiseCommand.size()))
                    emit raiseRequested();
                socket->disconnectFromServer();
            } else if (socket->bytesAvailable() > 64) {
                socket->abort(); // not one of ours
            }
        });
    }
}

} // namespace Chat
