// Identities, name reservation and the resume grace period.
#include "identityregistry.h"

#include "bus.h"
#include "clusterpresence.h"
#include "identity.h"
#include "room.h"
#include "roomregistry.h"
#include "secret.h"
#include "serverlogging.h"
#include "session.h"
#include "validation.h"

#include <QCryptographicHash>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>

namespace Chat {

namespace {
constexpr char GraceTimerName[] = "chat-grace-timer";

QString newToken()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex());
}

QString tokenHash(const QString &token)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex());
}

quint64 newEpoch()
{
    return QRandomGenerator::system()->generate64() | 1; // never 0: 0 is "any"
}
} // namespace

IdentityRegistry::IdentityRegistry(RoomRegistry *rooms, int graceMs, QObject *parent)
    : QObject(parent), m_rooms(rooms), m_graceMs(graceMs)
{ }

IdentityRegistry::~IdentityRegistry() = default;

Identity *IdentityRegistry::claim(const QString &username)
{
    if (m_identities.contains(Validation::usernameKey(username)))
        return nullptr;
    return create(username, newToken());
}

Identity *IdentityRegistry::create(const QString &username, const QString &token)
{
    auto *identity = new Identity(username, token, this);
    if (m_bus)
        identity->setEpoch(newEpoch());
    m_identities.insert(Validation::usernameKey(username), identity);
    return identity;
}

QString IdentityRegistry::entryOf(const Identity *identity)
{
    return tokenHash(identity->token()) + QLatin1Char('\n') + identity->username()
        + QLatin1Char('\n') + QString::number(identity->epoch());
}

void IdentityRegistry::share(Bus *bus, ClusterPresence *presence)
{
    m_bus = bus;
    m_presence = presence;
    bus->setLocalNames([this] {
        QList<std::pair<QString, QString>> names;
        for (auto it = m_identities.cbegin(); it != m_identities.cend(); ++it)
            names.append({it.key(), entryOf(it.value())});
        return names;
    });
    connect(bus, &Bus::namesLost, this, [this](const QStringList &keys) {
        for (const QString &key : keys)
            evict(key);
    });
    connect(presence, &ClusterPresence::takenOver, this, &IdentityRegistry::evict);
}

void IdentityRegistry::claimShared(const QString &username, Claimed done)
{
    // Held here first, so that this server's own clients race here, not on the bus.
    Identity *identity = claim(username);
    if (!identity) {
        QTimer::singleShot(0, this, [done] { done(nullptr, Refusal::Taken); });
        return;
    }
    m_bus->reserveName(Validation::usernameKey(username), entryOf(identity),
                       [this, held = QPointer<Identity>(identity), done](const Bus::NameAnswer &a) {
                           if (held && a.result == Bus::NameAnswer::Result::Granted) {
                               done(held, Refusal::None);
                               return;
                           }
                           if (held) {
                               qCInfo(lcSession).noquote()
                                   << "name" << held->username()
                                   << (a.result == Bus::NameAnswer::Result::Taken
                                           ? QStringLiteral("is held on server ") + a.node
                                           : QStringLiteral("cannot be checked: the bus is away"));
                               release(held); // no rooms yet: nobody is told
                           }
                           done(nullptr,
                                a.result == Bus::NameAnswer::Result::Unavailable
                                    ? Refusal::Unavailable
                                    : Refusal::Taken);
                       });
}

void IdentityRegistry::resumeShared(const QString &username, const QString &token, Claimed done)
{
    const QString key = Validation::usernameKey(username);
    if (m_identities.contains(key)) {
        QTimer::singleShot(0, this, [done] { done(nullptr, Refusal::Taken); });
        return;
    }
    Identity *identity = create(username, token); // held here meanwhile
    m_bus->takeOverName(
        key, tokenHash(token), QString::number(identity->epoch()),
        [this, key, held = QPointer<Identity>(identity), done](const Bus::NameAnswer &a) {
            if (!held) {
                if (a.result == Bus::NameAnswer::Result::Granted)
                    m_bus->releaseName(key); // its connection went meanwhile
                done(nullptr, Refusal::Taken);
                return;
            }
            if (a.result != Bus::NameAnswer::Result::Granted) {
                release(held);
                done(nullptr,
                     a.result == Bus::NameAnswer::Result::Unavailable ? Refusal::Unavailable
                                                                      : Refusal::Taken);
                return;
            }
            // The entry is "hash\nname as typed\nepoch".
            const QStringList parts = a.entry.split(QLatin1Char('\n'));
            const quint64 oldEpoch = parts.size() == 3 ? parts[2].toULongLong() : 0;
            // The rooms it was in over there, as that server last said.
            const QStringList rooms = m_presence->roomsOf(a.node, key);
            for (const QString &roomName : rooms) {
                held->enterRoom(roomName);
                Room *room = m_rooms->findOrCreate(roomName);
                room->addMember(held->username(), !room->hasMemberAnywhere(held->username()));
            }
            held->setResumable(true);
            m_presence->noteTakeOver(key, a.node, oldEpoch);
            qCInfo(lcSession).noquote() << "resume of" << held->username() << "taken over from"
                                        << a.node << "with" << rooms.size() << "room(s)";
            done(held, Refusal::None);
        });
}

void IdentityRegistry::evict(const QString &key, quint64 epoch)
{
    Identity *identity = m_identities.value(key);
    if (!identity || (epoch != 0 && identity->epoch() != epoch))
        return; // gone already, or a newer holding of the name
    qCInfo(lcSession).noquote() << identity->username() << "is on another server now";
    const QList<Session *> sessions = identity->sessions();
    for (Session *session : sessions)
        session->detachReplaced();
    release(identity);
}

Identity *IdentityRegistry::find(const QString &username) const
{
    return m_identities.value(Validation::usernameKey(username));
}

Identity *IdentityRegistry::resume(const QString &username, const QString &token)
{
    Identity *identity = m_identities.value(Validation::usernameKey(username));
    if (!identity || token.isEmpty() || !sameSecret(identity->token(), token))
        return nullptr;
    delete identity->findChild<QTimer *>(QLatin1String(GraceTimerName));
    return identity;
}

void IdentityRegistry::park(Identity *identity)
{
    identity->setSession(nullptr);
    if (m_graceMs <= 0) {
        release(identity);
        return;
    }
    qCDebug(lcSession).noquote() << "park" << identity->username() << "for" << m_graceMs << "ms";
    auto *timer = new QTimer(identity);
    timer->setObjectName(QLatin1String(GraceTimerName));
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, identity] {
        qCInfo(lcSession).noquote() << "resume grace over for" << identity->username();
        release(identity);
    });
    timer->start(m_graceMs);
}

void IdentityRegistry::release(Identity *identity)
{
    const QStringList rooms = identity->rooms();
    for (const QString &name : rooms) {
        identity->leaveRoom(name);
        if (Room *room = m_rooms->find(name)) {
            qCInfo(lcSession).noquote() << "leave" << identity->username() << name;
            room->removeMember(identity->username());
        }
    }
    const QString key = Validation::usernameKey(identity->username());
    if (m_identities.value(key) == identity) {
        m_identities.remove(key);
        if (m_bus)
            m_bus->releaseName(key);
    }
    identity->deleteLater();
}

int IdentityRegistry::parkedCount() const
{
    int parked = 0;
    for (const Identity *identity : m_identities)
        parked += identity->session() == nullptr ? 1 : 0;
    return parked;
}

} // namespace Chat
