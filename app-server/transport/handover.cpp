// Hand-over of upgraded connections.
#include "handover.h"

#include "directlink.h"
#include "serverlogging.h"
#include "socketlink.h"
#include "tlsfront.h"
#include "upgradesocket.h"

#include <QNetworkRequest>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

namespace Chat {

namespace {
constexpr QLatin1StringView TagPrefix("chat-upgrade:");
}

Handover::Handover(QWebSocketServer *server, qint64 maxMessageBytes, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_poller(new LinkPoller(this))
    , m_maxMessageBytes(maxMessageBytes)
{ }

Handover::~Handover() = default;

int Handover::directLinkCount() const
{
    return m_poller->linkCount();
}

void Handover::upgrade(QTcpSocket *socket)
{
    UpgradeControl *control = UpgradeControl::of(socket);
    if (!control) {
        qCWarning(lcServer) << "not a front-door socket: refusing the upgrade";
        socket->abort();
        socket->deleteLater();
        return;
    }
    const quint64 tag = m_nextTag++;
    control->setHandoverTag(TagPrefix + QString::number(tag));
    m_upgrading.insert(tag, socket);
    // A failed handshake ends with the socket deleted: forget it then.
    connect(socket, &QObject::destroyed, this, [this, tag] { m_upgrading.remove(tag); });
    socket->setParent(nullptr); // the WebSocket server's, until take()
    m_server->handleConnection(socket);
}

Handover::Taken Handover::take(QWebSocket *webSocket)
{
    const QString name = webSocket->peerName();
    bool ok = false;
    const quint64 tag
        = name.startsWith(TagPrefix) ? QStringView(name).mid(TagPrefix.size()).toULongLong(&ok) : 0;
    QTcpSocket *wire = ok ? m_upgrading.take(tag).data() : nullptr;
    if (!wire) {
        qCWarning(lcServer) << "an upgraded connection with no socket of ours: dropped";
        webSocket->abort();
        delete webSocket;
        return {};
    }
    const QUrl url = webSocket->requestUrl();
    const QByteArray cookie = webSocket->request().rawHeader("Cookie");
    disconnect(wire, &QObject::destroyed, this, nullptr);
    UpgradeControl *control = UpgradeControl::of(wire);
    control->setHandoverTag({});
    // Nothing of Qt's stays on the socket: the server's own hooks (its
    // handshake clean-up) are cut, and the QWebSocket goes, muted.
    disconnect(wire, nullptr, m_server, nullptr);
    control->setMuted(true);
    delete webSocket;
    control->setMuted(false);
    // Nothing else stays connected either (the front door's clean-up on
    // disconnect included): from here the Link alone owns the socket's fate.
    wire->disconnect();

    Taken taken;
    taken.path = url.path();
    taken.query = url.query(QUrl::FullyEncoded);
    taken.cookie = cookie;
    TlsFront *front = control->tlsFront();
    std::unique_ptr<FramedLink> link = front
        ? DirectLink::adoptTls(wire, front, m_poller, m_maxMessageBytes)
        : DirectLink::adopt(wire, m_poller, m_maxMessageBytes);
    if (!link && !front && wire->state() == QAbstractSocket::ConnectedState)
        link = std::make_unique<SocketLink>(wire, m_maxMessageBytes);
    if (!link) {
        wire->abort();
        wire->deleteLater();
        return taken;
    }
    // The connection counts for as long as the link lives, wherever it goes.
    link->holdTicket(control->takeTicket());
    if (const quint8 bits = control->deflateWindowBits())
        link->enableDeflate(bits);
    taken.link = std::move(link);
    return taken;
}

} // namespace Chat
