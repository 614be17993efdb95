// Identities, name reservation and the resume grace period.
#include "identityregistry.h"

#include "identity.h"
#include "room.h"
#include "roomregistry.h"
#include "secret.h"
#include "serverlogging.h"
#include "validation.h"

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
} // namespace

IdentityRegistry::IdentityRegistry(RoomRegistry *rooms, int graceMs, QObject *parent)
    : QObject(parent), m_rooms(rooms), m_graceMs(graceMs)
{ }

IdentityRegistry::~IdentityRegistry() = default;

Identity *IdentityRegistry::claim(const QString &username)
{
    const QString key = Validation::usernameKey(username);
    if (m_identities.contains(key))
        return nullptr;
    auto *identity = new Identity(username, newToken(), this);
    m_identities.insert(key, identity);
    return identity;
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
    m_identities.remove(Validation::usernameKey(identity->username()));
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
