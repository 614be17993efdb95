#include "lanannouncer.h"

#include "serverlogging.h"

#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusServiceWatcher>

namespace Chat {

namespace {
const QString Avahi = QStringLiteral("org.freedesktop.Avahi");
const QString AvahiServer = QStringLiteral("org.freedesktop.Avahi.Server");
const QString AvahiGroup = QStringLiteral("org.freedesktop.Avahi.EntryGroup");
// avahi-common/defs.h
constexpr int IfUnspec = -1;
constexpr int ProtoUnspec = -1;
enum GroupState : int {
    Uncommitted = 0,
    Registering = 1,
    Established = 2,
    Collision = 3,
    Failure = 4
};

// A call whose answer comes to `done` on the event loop.
template<typename Done>
void callAsync(QDBusConnection &bus, const QDBusMessage &call, QObject *context, Done done)
{
    auto *watcher = new QDBusPendingCallWatcher(bus.asyncCall(call), context);
    QObject::connect(watcher, &QDBusPendingCallWatcher::finished, context,
                     [done](QDBusPendingCallWatcher *w) {
                         w->deleteLater();
                         done(*w);
                     });
}
} // namespace

LanAnnouncer::LanAnnouncer(QDBusConnection bus, QObject *parent)
    : QObject(parent), m_bus(std::move(bus))
{
    qDBusRegisterMetaType<QList<QByteArray>>(); // TXT records: aay
    if (!m_bus.isConnected())
        return;
    auto *watcher
        = new QDBusServiceWatcher(Avahi, m_bus, QDBusServiceWatcher::WatchForOwnerChange, this);
    connect(watcher, &QDBusServiceWatcher::serviceOwnerChanged, this,
            [this](const QString &, const QString &, const QString &newOwner) {
                onAvahiOwnerChanged(newOwner);
            });
    m_bus.connect(Avahi, QString(), AvahiGroup, QStringLiteral("StateChanged"), this,
                  SLOT(onGroupStateChanged(int, QString, QDBusMessage)));
}

LanAnnouncer::~LanAnnouncer() = default;

QList<QByteArray> LanAnnouncer::txtRecords(const Service &service)
{
    // Each record at most 255 bytes (RFC 6763 6.1): the name is cut to fit.
    QList<QByteArray> txt {"txtvers=1", service.tls ? "tls=1" : "tls=0",
                           "name=" + service.name.toUtf8().left(250)};
    if (service.tls && !service.fingerprint.isEmpty())
        txt.append("fp=" + service.fingerprint.toLatin1());
    if (!service.version.isEmpty())
        txt.append("version=" + service.version.toLatin1());
    return txt;
}

void LanAnnouncer::announce(const Service &service)
{
    m_service = service;
    m_wanted = true;
    if (!m_bus.isConnected()) {
        qCInfo(lcServer) << "no system bus: not announced on the LAN";
        return;
    }
    if (m_group.isEmpty()) {
        m_name = service.name;
        start();
    } else {
        addService(); // the group is there: reset and add again with the new records
    }
}

void LanAnnouncer::start()
{
    if (m_starting || !m_wanted)
        return;
    // Asked, not checked first: the event loop never waits on the bus. No Avahi
    // answers ServiceUnknown at once; it is tried again when Avahi appears.
    m_starting = true;
    const QDBusMessage call = QDBusMessage::createMethodCall(
        Avahi, QStringLiteral("/"), AvahiServer, QStringLiteral("EntryGroupNew"));
    callAsync(m_bus, call, this, [this](const QDBusPendingCall &answer) {
        m_starting = false;
        const QDBusPendingReply<QDBusObjectPath> reply = answer;
        if (reply.isError()) {
            if (reply.error().type() == QDBusError::ServiceUnknown)
                qCInfo(lcServer) << "no Avahi on the system bus: not announced on the LAN (yet)";
            else
                qCWarning(lcServer).noquote() << "Avahi: EntryGroupNew:" << reply.error().message();
            return;
        }
        m_group = reply.value().path();
        addService();
    });
}

void LanAnnouncer::addService()
{
    m_established = false;
    const QString group = m_group;
    Service announced = m_service;
    announced.name = m_name; // after a collision, the name Avahi proposed
    QDBusMessage reset
        = QDBusMessage::createMethodCall(Avahi, group, AvahiGroup, QStringLiteral("Reset"));
    QDBusMessage add
        = QDBusMessage::createMethodCall(Avahi, group, AvahiGroup, QStringLiteral("AddService"));
    // AddService(interface, protocol, flags, name, type, domain, host, port, txt)
    add << IfUnspec << ProtoUnspec << 0u << m_name << QLatin1String(ServiceType) << QString()
        << QString() << QVariant::fromValue(m_service.port) // q, not i
        << QVariant::fromValue(txtRecords(announced));
    // One after the other, on one connection: D-Bus keeps their order.
    m_bus.asyncCall(reset);
    callAsync(m_bus, add, this, [this, group](const QDBusPendingCall &answer) {
        if (answer.isError()) {
            // Another server on this machine (the same Avahi) has the name.
            if (answer.error().name() == QLatin1String("org.freedesktop.Avahi.CollisionError"))
                takeAlternativeName();
            else
                qCWarning(lcServer).noquote()
                    << "Avahi: AddService:" << answer.error().name() << answer.error().message();
            return;
        }
        const QDBusMessage commit
            = QDBusMessage::createMethodCall(Avahi, group, AvahiGroup, QStringLiteral("Commit"));
        callAsync(m_bus, commit, this, [](const QDBusPendingCall &done) {
            if (done.isError())
                qCWarning(lcServer).noquote() << "Avahi: Commit:" << done.error().message();
        });
    });
}

void LanAnnouncer::onGroupStateChanged(int state, const QString &error, const QDBusMessage &message)
{
    if (message.path() != m_group || m_group.isEmpty())
        return;
    switch (state) {
    case Established:
        m_established = true;
        qCInfo(lcServer).noquote() << "announced on the LAN as" << m_name << "("
                                   << QLatin1String(ServiceType) << "port" << m_service.port << ")";
        emit established(m_name);
        break;
    case Collision:
        takeAlternativeName(); // another server on the LAN has the name
        break;
    case Failure:
        qCWarning(lcServer).noquote() << "Avahi could not announce the server:" << error;
        break;
    default:
        break;
    }
}

void LanAnnouncer::takeAlternativeName()
{
    // Avahi proposes the next free one: "Office chat #2".
    QDBusMessage call = QDBusMessage::createMethodCall(Avahi, QStringLiteral("/"), AvahiServer,
                                                       QStringLiteral("GetAlternativeServiceName"));
    call << m_name;
    callAsync(m_bus, call, this, [this](const QDBusPendingCall &answer) {
        const QDBusPendingReply<QString> reply = answer;
        if (reply.isError())
            return;
        qCInfo(lcServer).noquote()
            << "the name" << m_name << "is taken on the LAN; trying" << reply.value();
        m_name = reply.value();
        addService();
    });
}

void LanAnnouncer::onAvahiOwnerChanged(const QString &newOwner)
{
    // Avahi restarted (or started): its groups are gone, ours too.
    m_group.clear();
    m_established = false;
    if (!newOwner.isEmpty())
        start();
}

} // namespace Chat
