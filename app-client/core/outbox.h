// Messages the user has sent that the server has not confirmed yet. They are
// (re)sent in order whenever the connection is back, each with its clientId so
// that the server stores a retried message once. Optionally kept in a file so
// that they also survive a restart of the client.
#pragma once

#include <QList>
#include <QObject>
#include <QString>

namespace Chat {

struct OutboxItem
{
    QString clientId;
    QString room;
    QString text;
    qint64 createdMs = 0;
    bool sent = false; // on the current connection
};

class Outbox final : public QObject
{
    Q_OBJECT
public:
    explicit Outbox(QObject *parent = nullptr);
    ~Outbox() override;
    Q_DISABLE_COPY_MOVE(Outbox)

    // Loads pending items from the file and saves every change to it from now on.
    void setStorageFile(const QString &path);
    QString storageFile() const { return m_file; }

    // Queues a new message and returns it (with a fresh clientId).
    OutboxItem add(const QString &room, const QString &text);
    // The server confirmed it (an echoed `message` with this clientId).
    bool confirm(const QString &clientId);
    // The server refused it for good: forget it.
    bool drop(const QString &clientId);
    void markSent(const QString &clientId);
    // The connection dropped: everything must be sent again.
    void markAllUnsent();

    QList<OutboxItem> items() const { return m_items; }
    QList<OutboxItem> unsentFor(const QString &room) const;
    bool contains(const QString &clientId) const;
    int size() const { return int(m_items.size()); }
    bool isEmpty() const { return m_items.isEmpty(); }

signals:
    void changed();

private:
    void save();
    void load();
    qsizetype indexOf(const QString &clientId) const;

    QList<OutboxItem> m_items;
    QString m_file;
};

} // namespace Chat
