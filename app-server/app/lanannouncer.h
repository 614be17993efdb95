// Announces the server on the LAN over DNS-SD/mDNS (_lanchat._tcp) through
// Avahi's D-Bus API on the system bus: the port, whether it speaks TLS, its
// name, and its certificate's SHA-256 fingerprint (for people to compare;
// clients never trust it on its own). No Avahi on the bus: nothing is
// announced, and the announcement is made once Avahi appears. A name taken by
// another server on the LAN gets Avahi's alternative ("Office chat #2").
#pragma once

#include <QDBusConnection>
#include <QObject>
#include <QString>

namespace Chat {

class LanAnnouncer final : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *ServiceType = "_lanchat._tcp";

    struct Service
    {
        QString name; // the DNS-SD instance name, as people see it
        quint16 port = 0;
        bool tls = false;
        QString fingerprint; // SHA-256 of the certificate, "AB:CD:..."; TLS only
        QString version;
    };

    explicit LanAnnouncer(QDBusConnection bus = QDBusConnection::systemBus(),
                          QObject *parent = nullptr);
    ~LanAnnouncer() override;
    Q_DISABLE_COPY_MOVE(LanAnnouncer)

    // Announces `service`, or changes what is announced (a renewed certificate).
    void announce(const Service &service);
    // The name Avahi confirmed (after a collision, the alternative), or empty.
    QString announcedName() const { return m_established ? m_name : QString(); }

    // The TXT records for `service`: txtvers, tls, name, fp (with TLS), version.
    static QList<QByteArray> txtRecords(const Service &service);

signals:
    void established(const QString &name);

private slots:
    // Avahi's EntryGroup.StateChanged; QtDBus calls slots named by signature.
    void onGroupStateChanged(int state, const QString &error, const QDBusMessage &message);

private:
    void start();
    void addService();
    void takeAlternativeName();
    void onAvahiOwnerChanged(const QString &newOwner);

    QDBusConnection m_bus;
    Service m_service;
    QString m_name; // may differ from m_service.name after a collision
    QString m_group; // the EntryGroup's object path
    bool m_wanted = false;
    bool m_established = false;
    bool m_starting = false;
};

} // namespace Chat
