#include "serverbrowser.h"

#include "clientlogging.h"

#include <QDBusConnectionInterface>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusServiceWatcher>

namespace Chat {

namespace {
const QString Avahi = QStringLiteral("org.freedesktop.Avahi");
const QString AvahiServer = QStringLiteral("org.freedesktop.Avahi.Server");
const QString AvahiBrowser = QStringLiteral("org.freedesktop.Avahi.ServiceBrowser");
const QString ServiceType = QStringLiteral("_lanchat._tcp");
constexpr int IfUnspec = -1;
constexpr int ProtoUnspec = -1;
constexpr int ProtoInet = 0; // addresses people can type; IPv6 link-local needs a scope
} // namespace

QUrl DiscoveredServer::url() const
{
    QUrl u;
    u.setScheme(tls ? QStringLiteral("wss") : QStringLiteral("ws"));
    u.setHost(address);
    u.setPort(port);
    return u;
}

bool DiscoveredServer::operator==(const DiscoveredServer &o) const
{
    return name == o.name && host == o.host && address == o.address && port == o.port
        && tls == o.tls && fingerprint == o.fingerprint && version == o.version;
}

ServerBrowser::ServerBrowser(QDBusConnection bus, QObject *parent)
    : QObject(parent), m_bus(std::move(bus))
{
    qDBusRegisterMetaType<QList<QByteArray>>();
}

ServerBrowser::~ServerBrowser() = default;

void ServerBrowser::start()
{
    if (!m_bus.isConnected() || m_starting || !m_browser.isEmpty())
        return;
    if (!findChild<QDBusServiceWatcher *>()) {
        auto *watcher
            = new QDBusServiceWatcher(Avahi, m_bus, QDBusServiceWatcher::WatchForOwnerChange, this);
        connect(watcher, &QDBusServiceWatcher::serviceOwnerChanged, this,
                [this](const QString &, const QString &, const QString &newOwner) {
                    onAvahiOwnerChanged(newOwner);
                });
        m_bus.connect(Avahi, QString(), AvahiBrowser, QStringLiteral("ItemNew"), this,
                      SLOT(onItemNew(int, int, QString, QString, QString, uint, QDBusMessage)));
        m_bus.connect(Avahi, QString(), AvahiBrowser, QStringLiteral("ItemRemove"), this,
                      SLOT(onItemRemove(int, int, QString, QString, QString, uint, QDBusMessage)));
    }
    // Asked, not checked first (no blocking call): without Avahi the answer is
    // ServiceUnknown, and browsing starts when Avahi appears.
    m_starting = true;
    QDBusMessage call = QDBusMessage::createMethodCall(Avahi, QStringLiteral("/"), AvahiServer,
                                                       QStringLiteral("ServiceBrowserNew"));
    // ServiceBrowserNew(interface, protocol, type, domain, flags)
    call << IfUnspec << ProtoUnspec << ServiceType << QString() << 0u;
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *w) {
        w->deleteLater();
        m_starting = false;
        const QDBusPendingReply<QDBusObjectPath> reply = *w;
        if (reply.isError()) {
            if (reply.error().type() == QDBusError::ServiceUnknown)
                return;
            qCWarning(lcConnection).noquote()
                << "Avahi: ServiceBrowserNew:" << reply.error().message();
            return;
        }
        m_browser = reply.value().path();
        for (const auto &[key, type, domain] : m_early.take(m_browser))
            resolve(key, type, domain);
        m_early.clear();
    });
}

QList<DiscoveredServer> ServerBrowser::servers() const
{
    QList<DiscoveredServer> list;
    for (const Key &key : m_order)
        if (const auto it = m_servers.constFind(key); it != m_servers.cend())
            list.append(*it);
    return list;
}

void ServerBrowser::readTxt(const QList<QByteArray> &txt, DiscoveredServer *server)
{
    for (const QByteArray &record : txt) {
        const qsizetype eq = record.indexOf('=');
        const QByteArray key = (eq < 0 ? record : record.left(eq)).toLower();
        const QByteArray value = eq < 0 ? QByteArray() : record.mid(eq + 1);
        if (key == "tls")
            server->tls = value == "1";
        else if (key == "fp" && value.size() <= 95) // 32 bytes as "AB:" pairs
            server->fingerprint = QString::fromLatin1(value);
        else if (key == "version" && value.size() <= 32)
            server->version = QString::fromLatin1(value);
    }
}

void ServerBrowser::onItemNew(int interface, int protocol, const QString &name, const QString &type,
                              const QString &domain, uint flags, const QDBusMessage &message)
{
    Q_UNUSED(flags);
    const Key key {interface, protocol, name};
    if (m_browser.isEmpty()) {
        if (m_starting)
            m_early[message.path()].append({key, type, domain});
        return;
    }
    if (message.path() == m_browser)
        resolve(key, type, domain);
}

void ServerBrowser::onItemRemove(int interface, int protocol, const QString &name,
                                 const QString &type, const QString &domain, uint flags,
                                 const QDBusMessage &message)
{
    Q_UNUSED(type);
    Q_UNUSED(domain);
    Q_UNUSED(flags);
    if (message.path() != m_browser)
        return;
    const Key key {interface, protocol, name};
    m_order.removeAll(key);
    if (m_servers.remove(key))
        emit serversChanged();
}

void ServerBrowser::resolve(const Key &key, const QString &type, const QString &domain)
{
    QDBusMessage call = QDBusMessage::createMethodCall(Avahi, QStringLiteral("/"), AvahiServer,
                                                       QStringLiteral("ResolveService"));
    // ResolveService(interface, protocol, name, type, domain, aprotocol, flags)
    call << key.interface << key.protocol << key.name << type << domain << ProtoInet << 0u;
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, key](QDBusPendingCallWatcher *w) {
                w->deleteLater();
                const QDBusMessage reply = w->reply();
                // (interface, protocol, name, type, domain, host, aprotocol, address, port, txt,
                // flags)
                const QList<QVariant> a = reply.arguments();
                if (reply.type() != QDBusMessage::ReplyMessage || a.size() < 10) {
                    qCDebug(lcConnection).noquote()
                        << "Avahi: cannot resolve" << key.name << reply.errorMessage();
                    return;
                }
                DiscoveredServer server;
                server.name = a.at(2).toString();
                server.host = a.at(5).toString();
                server.address = a.at(7).toString();
                server.port = quint16(a.at(8).toUInt());
                readTxt(qdbus_cast<QList<QByteArray>>(a.at(9)), &server);
                const bool known = m_servers.contains(key);
                if (known && m_servers.value(key) == server)
                    return;
                m_servers.insert(key, server);
                if (!known)
                    m_order.append(key);
                emit serversChanged();
            });
}

void ServerBrowser::onAvahiOwnerChanged(const QString &newOwner)
{
    // Avahi restarted: its browsers (ours too) are gone, and what they found.
    m_browser.clear();
    m_early.clear();
    const bool had = !m_servers.isEmpty();
    m_servers.clear();
    m_order.clear();
    if (had)
        emit serversChanged();
    if (!newOwner.isEmpty())
        start();
}

} // namespace Chat
