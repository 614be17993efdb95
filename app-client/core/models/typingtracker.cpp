// Typing indicators.
#include "typingtracker.h"

namespace Chat {

TypingTracker::TypingTracker(QObject *parent) : QObject(parent)
{
    m_clock.start();
    m_idle.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, &TypingTracker::stopOwn);
    m_expiry.setInterval(500);
    connect(&m_expiry, &QTimer::timeout, this, &TypingTracker::expire);
}

TypingTracker::~TypingTracker() = default;

void TypingTracker::userEdited(const QString &room)
{
    if (m_ownRoom != room) {
        stopOwn();
        m_ownRoom = room;
        m_lastSent.invalidate();
    }
    if (!m_lastSent.isValid() || m_lastSent.elapsed() >= m_timing.resendMs) {
        m_lastSent.start();
        emit sendTyping(room, true);
    }
    m_idle.start(m_timing.idleMs);
}

void TypingTracker::userSent(const QString &room)
{
    if (m_ownRoom == room)
        stopOwn();
}

void TypingTracker::stopOwn()
{
    m_idle.stop();
    if (m_ownRoom.isEmpty())
        return;
    const QString room = std::exchange(m_ownRoom, QString());
    m_lastSent.invalidate();
    emit sendTyping(room, false);
}

void TypingTracker::remoteTyping(const QString &room, const QString &username, bool active)
{
    auto &users = m_remote[room];
    const bool known = users.contains(username);
    if (active) {
        users.insert(username, m_clock.elapsed() + m_timing.expireMs);
        if (!m_expiry.isActive())
            m_expiry.start();
    } else {
        users.remove(username);
    }
    if (known != active)
        emit typingUsersChanged(room);
}

QStringList TypingTracker::typingUsers(const QString &room) const
{
    QStringList users = m_remote.value(room).keys();
    users.sort(Qt::CaseInsensitive);
    return users;
}

void TypingTracker::expire()
{
    const qint64 now = m_clock.elapsed();
    bool any = false;
    for (auto room = m_remote.begin(); room != m_remote.end(); ++room) {
        bool changed = false;
        for (auto it = room->begin(); it != room->end();) {
            if (*it <= now) {
                it = room->erase(it);
                changed = true;
            } else {
                ++it;
                any = true;
            }
        }
        if (changed)
            emit typingUsersChanged(room.key());
    }
    if (!any)
        m_expiry.stop();
}

} // namespace Chat
