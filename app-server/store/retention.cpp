// Retention of old messages, in steps.
#include "retention.h"

#include "messagestore.h"
#include "serverlogging.h"

#include <QDateTime>

namespace Chat {

Retention::Retention(MessageStore *store, const RetentionPolicy &policy, QObject *parent)
    : QObject(parent), m_store(store), m_policy(policy)
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
    m_queue = m_store->rooms();
    m_deletedInPass = 0;
    while (!m_queue.isEmpty())
        step();
}

void Retention::step()
{
    if (m_queue.isEmpty()) {
        m_queue = m_store->rooms();
        m_deletedInPass = 0;
        if (m_queue.isEmpty()) {
            m_timer.start(m_policy.intervalMs);
            return;
        }
    }
    const QString room = m_queue.takeFirst();
    const qint64 cutoff
        = m_policy.maxAgeMs > 0 ? QDateTime::currentMSecsSinceEpoch() - m_policy.maxAgeMs : 0;
    const int deleted
        = m_store->prune(room, m_policy.maxMessagesPerRoom, cutoff, m_policy.rowsPerStep);
    if (deleted > 0) {
        m_deleted += deleted;
        m_deletedInPass += deleted;
        qCDebug(lcStore) << "retention removed" << deleted << "messages from" << room;
    }
    if (deleted >= m_policy.rowsPerStep)
        m_queue.prepend(room); // more to do here, after the event loop had its turn
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
