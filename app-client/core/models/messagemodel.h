// The messages of one room, oldest first: confirmed messages in id order, the
// user's pending ones after them, and quiet notices (joins, leaves) where they
// happened. Holds 100,000 rows cheaply: one small struct per row.
#pragma once

#include "protocol.h"

#include <QAbstractListModel>
#include <QDate>
#include <QHash>

namespace Chat {

class MessageModel final : public QAbstractListModel
{
    Q_OBJECT
public:
    enum class Kind { Message, Notice };
    Q_ENUM(Kind)
    enum class Status { Confirmed, Pending, Failed };
    Q_ENUM(Status)
    enum Role {
        KindRole = Qt::UserRole + 1,
        IdRole,
        SenderRole,
        TextRole,
        TimestampRole, // QDateTime, local time
        StatusRole,
        OwnRole,
        MentionRole,
        DayStartRole, // the first row of a new local day
        ClientIdRole,
    };

    explicit MessageModel(const QString &room, QObject *parent = nullptr);
    ~MessageModel() override;
    Q_DISABLE_COPY_MOVE(MessageModel)

    QString room() const { return m_room; }
    // Also the sender shown on pending rows, which are always our own.
    void setOwnName(const QString &username);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // A live message. A pending row with the same clientId becomes confirmed;
    // a message already shown (same id) is ignored. Returns true if a row was added.
    bool addMessage(const ChatMessage &message, bool mention);
    // The `joined` history: messages newer than what is shown are appended; with
    // reset the model starts over from them.
    void mergeJoinHistory(const QList<ChatMessage> &history, bool reset,
                          const std::function<bool(const ChatMessage &)> &mentionTest);
    // An older page (from `history`), put in front.
    void prependHistory(const QList<ChatMessage> &older,
                        const std::function<bool(const ChatMessage &)> &mentionTest);
    void addPending(const QString &clientId, const QString &text, qint64 timestampMs);
    void markFailed(const QString &clientId);
    // The outbox no longer holds it (sent under another name's outbox, say).
    void removePending(const QString &clientId);
    QStringList pendingClientIds() const { return m_pendingRows.keys(); }
    void addNotice(const QString &text, qint64 timestampMs);
    // A message its author or a moderator deleted; false if it is not here.
    bool removeMessage(qint64 id);

    // Rows of messages whose text or sender contains `needle` (case-insensitive),
    // oldest first. Notices are not searched.
    QList<int> find(const QString &needle) const;

    qint64 firstId() const; // oldest confirmed id shown, 0 if none
    qint64 lastId() const { return m_lastId; }
    bool hasOlder() const { return m_hasOlder; }
    void setHasOlder(bool more) { m_hasOlder = more; }
    int pendingCount() const;

private:
    struct Row
    {
        Kind kind = Kind::Message;
        Status status = Status::Confirmed;
        bool mention = false;
        qint64 id = 0;
        qint64 timestampMs = 0;
        QString sender;
        QString text;
        QString clientId;
    };
    Row rowFor(const ChatMessage &m, bool mention) const;
    void removePendingRow(int row);
    void insertConfirmed(const Row &row);
    int firstPendingRow() const;
    bool isDayStart(int row) const;

    QString m_room;
    QString m_ownName;
    QList<Row> m_rows;
    QHash<QString, int> m_pendingRows; // clientId -> row, for pending rows only
    qint64 m_lastId = 0;
    bool m_hasOlder = false;
};

} // namespace Chat
