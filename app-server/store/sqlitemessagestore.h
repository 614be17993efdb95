// MessageStore on an SQLite file through Qt Sql (WAL mode): the embedded
// default. The queries are SqlMessageStore's.
#pragma once

#include "sqlmessagestore.h"
#include "storeoptions.h"

#include <atomic>
#include <memory>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace Chat {

class SqliteMessageStore final : public SqlMessageStore
{
public:
    using Durability = Chat::Durability;

    explicit SqliteMessageStore(const QString &path, Durability durability = Durability::Normal);
    ~SqliteMessageStore() override;
    Q_DISABLE_COPY_MOVE(SqliteMessageStore)

    bool open(QString *error = nullptr) override;
    // The same file and durability; only the first store of a file checkpoints.
    std::unique_ptr<MessageStore> sibling() const override;
    QString path() const { return m_path; }
    bool flush() override;
    const char *engine() const override { return "sqlite"; }
    bool isShared() const override { return false; } // one server per file
    // synchronous=FULL fsyncs each commit; NORMAL writes to the page cache.
    bool commitWaits() const override { return m_durability == Durability::Full; }
    bool beginWrite() override;

    // The platform's app-data folder + "chat.sqlite".
    static QString defaultPath();

private:
    void startCheckpointer();
    void stopCheckpointer();

    QString m_path;
    Durability m_durability;
    bool m_checkpoints = true;
    // WAL checkpoints (the only fsyncs with synchronous=NORMAL) run on their own
    // thread and connection, so that no commit waits for one.
    std::unique_ptr<QThread> m_checkpointer;
    std::atomic<bool> m_stopCheckpointer {false};
};

} // namespace Chat
