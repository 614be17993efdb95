// MessageStore on an SQLite file through Qt Sql (WAL mode).
#pragma once

#include "messagestore.h"
#include "storeoptions.h"

#include <QHash>
#include <QSqlDatabase>

#include <atomic>
#include <memory>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace Chat {

class SqliteMessageStore final : public MessageStore
{
public:
    using Durability = Chat::Durability;

    explicit SqliteMessageStore(const QString &path, Durability durability = Durability::Normal);
    ~SqliteMessageStore() override;
    Q_DISABLE_COPY_MOVE(SqliteMessageStore)

    // Opens (creating if needed) the database; on failure says why in `error`.
    bool open(QString *error = nullptr);
    QString path() const { return m_path; }

    std::optional<QList<Appended>> append(const QList<NewMessage> &batch) override;
    Page before(const QString &room, qint64 before, int limit) override;
    Page after(const QString &room, qint64 after, int limit) override;
    qint64 firstId(const QString &room) override;
    qint64 lastId(const QString &room) override;
    QStringList rooms() override;
    int prune(const QString &room, int keepCount, qint64 olderThanMs, int maxRows) override;
    bool flush() override;
    bool saveRecovery(const Recovery &recovery) override;
    std::optional<Recovery> takeRecovery(const QString &pid, qint64 nowMs) override;

    // The platform's app-data folder + "chat.sqlite".
    static QString defaultPath();

private:
    QSqlDatabase database() const;
    bool exec(const QString &sql, QString *error = nullptr);
    std::optional<ChatMessage> findByClientId(const QString &userKey, const QString &clientId);

    QString m_path;
    QString m_connectionName;
    Durability m_durability;
    void startCheckpointer();
    void stopCheckpointer();

    QHash<QString, qint64> m_lastIds; // cache of rooms.last_id
    // WAL checkpoints (the only fsyncs with synchronous=NORMAL) run on their own
    // thread and connection, so a commit on the event loop never waits for one.
    std::unique_ptr<QThread> m_checkpointer;
    std::atomic<bool> m_stopCheckpointer {false};
};

} // namespace Chat
