// Write coalescing per event-loop pass.
#include "outputflusher.h"

#include "room.h"
#include "session.h"

namespace Chat {

OutputFlusher::OutputFlusher(QObject *parent) : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &OutputFlusher::flushAll);
}

OutputFlusher::~OutputFlusher() = default;

void OutputFlusher::schedule(Session *session)
{
    m_dirty.append(session);
    if (!m_timer.isActive())
        m_timer.start();
}

void OutputFlusher::schedulePresence(Room *room)
{
    m_presence.append(room);
    if (!m_timer.isActive())
        m_timer.start();
}

void OutputFlusher::flushAll()
{
    m_timer.stop(); // called directly (after a commit) as well as by the timer
    const QList<QPointer<Room>> rooms = std::exchange(m_presence, {});
    for (const QPointer<Room> &room : rooms) {
        if (room)
            room->flushPresence(); // schedules the sessions it sends to
    }
    const QList<QPointer<Session>> dirty = std::exchange(m_dirty, {});
    for (const QPointer<Session> &session : dirty) {
        if (session)
            session->flushOutput();
    }
}

} // namespace Chat
