// MessageStore on PostgreSQL through Qt's QPSQL driver (--store
// postgresql://...): the shared source of truth when several servers serve one
// chat. The queries are SqlMessageStore's; this adds the connection, which is
// opened again after the database server restarts or the network drops.
#pragma once

#include "sqlmessagestore.h"

#include <QUrl>

namespace Chat {

class PostgresMessageStore final : public SqlMessageStore
{
public:
    // postgresql://[user[:password]@][host][:port]/database[?host=/socket/dir&...]
    // A password may also come from PGPASSWORD or ~/.pgpass, as libpq reads them.
    explicit PostgresMessageStore(const QUrl &url);
    ~PostgresMessageStore() override;
    Q_DISABLE_COPY_MOVE(PostgresMessageStore)

    // Whether `text` names a PostgreSQL store.
    static bool isPostgresUrl(const QString &text);
    // Whether the URL can be used; if not, why (no database, an unknown
    // parameter) in `error`.
    static bool validateUrl(const QUrl &url, QString *error);
    // The URL without its password, for logs and /healthz.
    static QString describe(const QUrl &url);

    bool open(QString *error = nullptr) override;
    std::unique_ptr<MessageStore> sibling() const override;
    bool flush() override { return true; } // a commit is durable when it returns
    const char *engine() const override { return "postgresql"; }
    bool commitWaits() const override { return true; }
    bool isShared() const override { return true; }

protected:
    bool ensureConnected() override;

private:
    bool connect(QString *error);

    QUrl m_url;
};

} // namespace Chat
