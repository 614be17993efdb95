// What a LAN admin does to the SQLite store while the server runs: a
// consistent backup (`chat-server backup FILE`) and an integrity check
// (`chat-server check`). Each opens a connection of its own.
#pragma once

#include <QString>

namespace Chat {

class SqliteMaintenance
{
public:
    // A consistent copy of the database at `path` in `target`: VACUUM INTO, one
    // read transaction, so a running server goes on committing meanwhile and the
    // copy holds every transaction committed before it began and none after.
    // Written beside `target`, checked, then renamed into place; an existing
    // `target` is refused.
    static bool backup(const QString &path, const QString &target, QString *error);

    struct Report
    {
        bool ok = false;
        QString problem; // what is wrong, when not ok
        qint64 messages = 0;
        int rooms = 0;
        int schemaVersion = 0;
    };
    // SQLite's integrity_check, the schema version, and the store's own rule:
    // no message has an id above its room's last_id. Read-only.
    static Report check(const QString &path);
};

} // namespace Chat
