// Messages the user has sent that the server has not confirmed yet. They are
// (re)sent in order whenever the connection is back, each with its clientId so
// that the server stores a retried message once. Optionally kept in a file so
// that they also survive a restart of the client.
#pragma once

#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

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

    // Pending items are those of this file from now on (another name's or
    // server's outbox has its own file, where its items stay); every change is
    // saved to it. Emits reloaded().
    void setStorageFile(const QString &path);
    QString storageFile() const { return m_file; }

    // Queues a new message and returns it (with a fresh clientId).
    OutboxItem add(const QString &room, const QString &text);
    // The server confirmed it (an echoed `message` with this clientId).
    bool confirm(const QString &clientId);
    // The server refused it for good: forget it.
    bool drop(const QString &clientId);
    void markSent(const QString &clientId);
    void markUnsent(const QString &clientId);
    // The user left the room: what waits for it is not sent.
    void dropRoom(const QString &room);
    // The connection dropped: everything must be sent again.
    void markAllUnsent();

    QList<OutboxItem> items() const { return m_items; }
    QList<OutboxItem> unsentFor(const QString &room) const;
    // The oldest item not sent yet whose room is one of `rooms`.
    std::optional<OutboxItem> firstUnsent(const QSet<QString> &rooms) const;
    QStringList rooms() const; // the rooms items wait for, in first-typed order
    bool contains(const QString &clientId) const;
    int size() const { return int(m_items.size()); }
    bool isEmpty() const { return m_items.isEmpty(); }

signals:
    void changed();
    void reloaded(); // the items were replaced by those of another file

private:
    void save();
    void load();
    qsizetype indexOf(const QString &clientId) const;

    QList<OutboxItem> m_items;
    QString m_file;
};

} // namespace Chat
