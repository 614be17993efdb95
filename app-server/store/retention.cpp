// Retention of old messages, in steps.
#include "retention.h"

#include "messagestore.h"
#include "serverlogging.h"
#include "storeworker.h"

#include <QDateTime>

namespace Chat {

Retention::Retention(MessageStore *reader, StoreWorker *writer, const RetentionPolicy &policy,
                     QObject *parent)
    : QObject(parent), m_reader(reader), m_writer(writer), m_policy(policy)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Retention::step);
}

Retention::~Retention() = default;

bool Retention::hasLimits() const
{
    return m_policy.maxMessagesPerRoom > 0 || m_policy.maxAgeMs > 0;
}

void Retention::start()
{
    if (hasLimits())
        m_timer.start(0);
}

void Retention::setPolicy(const RetentionPolicy &policy)
{
    const bool running = m_timer.isActive();
    m_policy = policy;
    if (!hasLimits())
        m_timer.stop();
    else if (running)
        m_timer.start(qMin(m_timer.remainingTime(), m_policy.intervalMs));
}

void Retention::runPass()
{
    if (!hasLimits())
        return;
    m_timer.stop();
    m_writer->finish(); // a step in flight completes (and may schedule the next)
    m_timer.stop();
    m_queue = m_reader->rooms();
    m_deletedInPass = 0;
    while (!m_queue.isEmpty()) {
        step();
        m_writer->finish();
        if (!m_queue.isEmpty())
            m_timer.stop(); // this loop takes the next step, not the timer
    }
}

void Retention::step()
{
    if (m_stepping)
        return;
    if (m_queue.isEmpty()) {
        m_queue = m_reader->rooms();
        m_deletedInPass = 0;
        if (m_queue.isEmpty()) {
            m_timer.start(m_policy.intervalMs);
            return;
        }
    }
    const QString room = m_queue.takeFirst();
    const qint64 cutoff
        = m_policy.maxAgeMs > 0 ? QDateTime::currentMSecsSinceEpoch() - m_policy.maxAgeMs : 0;
    m_stepping = true;
    m_writer->run([room, keep = m_policy.maxMessagesPerRoom, cutoff, rows = m_policy.rowsPerStep](
                      MessageStore &store) { return store.prune(room, keep, cutoff, rows); },
                  [this, room](int deleted) { stepDone(room, deleted); }, -1);
}

void Retention::stepDone(const QString &room, int deleted)
{
    m_stepping = false;
    if (deleted > 0) {
        m_deleted += deleted;
        m_deletedInPass += deleted;
        qCDebug(lcStore) << "retention removed" << deleted << "messages from" << room;
    }
    if (deleted >= m_policy.rowsPerStep)
        m_queue.prepend(room); // more to do here, after the others had their turn
    if (!m_queue.isEmpty()) {
        m_timer.start(0);
        return;
    }
    if (m_deletedInPass > 0)
        qCInfo(lcStore) << "retention pass removed" << m_deletedInPass << "messages";
    emit passFinished(m_deletedInPass);
    m_timer.start(m_policy.intervalMs);
}

} // namespace Chat
