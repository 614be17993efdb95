// The chat servers the LAN announces (DNS-SD/mDNS, _lanchat._tcp), found
// through Avahi's D-Bus API on the system bus, live: a server that starts
// appears, one that stops goes. What a server says of itself (its name, TLS,
// its certificate's fingerprint) is shown to the user to compare, never
// trusted: connecting checks the certificate as for any typed address.
#pragma once

#include <QDBusConnection>
#include <QDBusMessage>
#include <QHash>
#include <QList>
#include <QObject>
#include <QUrl>

namespace Chat {

struct DiscoveredServer
{
    QString name; // the instance name ("Office chat")
    QString host; // its mDNS host name ("chatbox.local")
    QString address; // the resolved address ("192.168.1.20")
    quint16 port = 0;
    bool tls = false;
    QString fingerprint; // what it says its certificate's SHA-256 is; TLS only
    QString version;

    QUrl url() const;
    bool operator==(const DiscoveredServer &other) const;
};

class ServerBrowser final : public QObject
{
    Q_OBJECT
public:
    explicit ServerBrowser(QDBusConnection bus = QDBusConnection::systemBus(),
                           QObject *parent = nullptr);
    ~ServerBrowser() override;
    Q_DISABLE_COPY_MOVE(ServerBrowser)

    // Starts browsing (again, if Avahi restarts); without Avahi, the list stays empty.
    void start();
    bool isBrowsing() const { return !m_browser.isEmpty(); }
    // One entry per server and address, in the order found.
    QList<DiscoveredServer> servers() const;

    // A TXT record list as Avahi gives it (aay) into the fields it names.
    static void readTxt(const QList<QByteArray> &txt, DiscoveredServer *server);

signals:
    void serversChanged();

private slots:
    // Avahi's ServiceBrowser signals, for every browser on the bus (the path
    // tells ours): connected before the browser exists, so none is missed.
    void onItemNew(int interface, int protocol, const QString &name, const QString &type,
                   const QString &domain, uint flags, const QDBusMessage &message);
    void onItemRemove(int interface, int protocol, const QString &name, const QString &type,
                      const QString &domain, uint flags, const QDBusMessage &message);

private:
    struct Key
    {
        int interface;
        int protocol;
        QString name;
        bool operator==(const Key &o) const
        {
            return interface == o.interface && protocol == o.protocol && name == o.name;
        }
    };
    friend size_t qHash(const Key &key, size_t seed)
    {
        return qHashMulti(seed, key.interface, key.protocol, key.name);
    }

    void resolve(const Key &key, const QString &type, const QString &domain);
    void onAvahiOwnerChanged(const QString &newOwner);

    QDBusConnection m_bus;
    QString m_browser; // our ServiceBrowser's object path
    // Items announced before our browser's path was known, by path.
    QHash<QString, QList<std::tuple<Key, QString, QString>>> m_early;
    QHash<Key, DiscoveredServer> m_servers;
    QList<Key> m_order;
    bool m_starting = false;
};

} // namespace Chat
