// Keeps each room's history within its limits (count and age), deleting old
// messages in small steps so that the event loop is never blocked for long.
#pragma once

#include "storeoptions.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

namespace Chat {

class MessageStore;
class StoreWorker;

class Retention final : public QObject
{
    Q_OBJECT
public:
    // Room names are read from `reader`; deletions run on the writer's thread.
    Retention(MessageStore *reader, StoreWorker *writer, const RetentionPolicy &policy,
              QObject *parent = nullptr);
    ~Retention() override;
    Q_DISABLE_COPY_MOVE(Retention)

    void start();
    // From the next step on (SIGHUP); a pass in progress goes on with the new limits.
    void setPolicy(const RetentionPolicy &policy);
    // Runs one whole pass now, step by step, and returns when it is done (tests).
    void runPass();
    bool isRunningStep() const { return m_stepping; }
    qint64 deletedCount() const { return m_deleted; }

signals:
    void passFinished(qint64 deletedInPass);

private:
    void step();
    void stepDone(const QString &room, int deleted);
    bool hasLimits() const;

    MessageStore *m_reader;
    StoreWorker *m_writer;
    bool m_stepping = false; // a deletion is on the writer's thread
    RetentionPolicy m_policy;
    QTimer m_timer;
    QStringList m_queue;
    qint64 m_deleted = 0;
    qint64 m_deletedInPass = 0;
};

} // namespace Chat
