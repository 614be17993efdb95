// Messages of one room.
#include "messagemodel.h"

#include <QStringMatcher>

#include <QDateTime>
#include <QSet>

namespace Chat {

MessageModel::MessageModel(const QString &room, QObject *parent)
    : QAbstractListModel(parent), m_room(room)
{ }

MessageModel::~MessageModel() = default;

int MessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QList<int> MessageModel::find(const QString &needle) const
{
    QList<int> rows;
    if (needle.isEmpty())
        return rows;
    const QStringMatcher matcher(needle, Qt::CaseInsensitive);
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        const Row &row = m_rows.at(i);
        if (row.kind == Kind::Message
            && (matcher.indexIn(row.text) >= 0 || matcher.indexIn(row.sender) >= 0))
            rows.append(int(i));
    }
    return rows;
}

bool MessageModel::isDayStart(int row) const
{
    if (row == 0)
        return true;
    const QDate day = QDateTime::fromMSecsSinceEpoch(m_rows.at(row).timestampMs).date();
    return QDateTime::fromMSecsSinceEpoch(m_rows.at(row - 1).timestampMs).date() != day;
}

QVariant MessageModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return r.kind == Kind::Notice ? r.text : r.sender + QStringLiteral(": ") + r.text;
    case KindRole:
        return QVariant::fromValue(r.kind);
    case IdRole:
        return r.id;
    case SenderRole:
        return r.sender;
    case TextRole:
        return r.text;
    case TimestampRole:
        return QDateTime::fromMSecsSinceEpoch(r.timestampMs);
    case StatusRole:
        return QVariant::fromValue(r.status);
    case OwnRole:
        return r.kind == Kind::Message && r.sender.compare(m_ownName, Qt::CaseInsensitive) == 0;
    case MentionRole:
        return r.mention;
    case DayStartRole:
        return isDayStart(index.row());
    case ClientIdRole:
        return r.clientId;
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageModel::roleNames() const
{
    return {{KindRole, "kind"},        {IdRole, "id"},           {SenderRole, "sender"},
            {TextRole, "text"},        {TimestampRole, "time"},  {StatusRole, "status"},
            {OwnRole, "own"},          {MentionRole, "mention"}, {DayStartRole, "dayStart"},
            {ClientIdRole, "clientId"}};
}

MessageModel::Row MessageModel::rowFor(const ChatMessage &m, bool mention) const
{
    Row row;
    row.kind = Kind::Message;
    row.status = Status::Confirmed;
    row.mention = mention;
    row.id = m.id;
    row.timestampMs = m.timestampMs;
    row.sender = m.username;
    row.text = m.text;
    row.clientId = m.clientId;
    return row;
}

int MessageModel::firstPendingRow() const
{
    int row = int(m_rows.size());
    for (const int r : m_pendingRows)
        row = std::min(row, r);
    return row;
}

bool MessageModel::addMessage(const ChatMessage &m, bool mention)
{
    if (!m.clientId.isEmpty()) {
        if (const auto it = m_pendingRows.constFind(m.clientId); it != m_pendingRows.constEnd()) {
            // Our pending message is stored: it leaves the pending rows and takes
            // its place among the confirmed ones, by id.
            removePendingRow(*it);
            const qint64 first = firstId();
            if (first != 0 && m.id < first && m_hasOlder)
                return false; // older than what is shown: it comes with the older pages
            insertConfirmed(rowFor(m, mention));
            m_lastId = std::max(m_lastId, m.id);
            return false;
        }
    }
    if (m.id <= m_lastId)
        return false; // already shown (a re-join overlap, or a retry's echo)
    m_lastId = m.id;
    insertConfirmed(rowFor(m, mention));
    return true;
}

bool MessageModel::removeMessage(qint64 id)
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).kind != Kind::Message || m_rows.at(row).id != id)
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        for (int &r : m_pendingRows) {
            if (r > row)
                --r;
        }
        endRemoveRows();
        return true;
    }
    return false;
}

void MessageModel::removePendingRow(int row)
{
    beginRemoveRows({}, row, row);
    m_pendingRows.remove(m_rows.at(row).clientId);
    m_rows.removeAt(row);
    for (int &r : m_pendingRows) {
        if (r > row)
            --r;
    }
    endRemoveRows();
}

void MessageModel::insertConfirmed(const Row &row)
{
    // After the last confirmed message with a smaller id (usually the end), before
    // any pending rows.
    int at = firstPendingRow();
    while (at > 0) {
        const Row &before = m_rows.at(at - 1);
        if (before.kind == Kind::Message && before.status == Status::Confirmed
            && before.id < row.id)
            break;
        if (before.kind == Kind::Notice && (at < 2 || before.timestampMs <= row.timestampMs))
            break;
        --at;
    }
    beginInsertRows({}, at, at);
    m_rows.insert(at, row);
    for (int &r : m_pendingRows) {
        if (r >= at)
            ++r;
    }
    endInsertRows();
}

void MessageModel::mergeJoinHistory(const QList<ChatMessage> &history, bool reset,
                                    const std::function<bool(const ChatMessage &)> &mentionTest)
{
    if (reset || m_rows.isEmpty()) {
        // Start over, keeping what is still pending and not in the page.
        QSet<QString> inPage;
        for (const ChatMessage &m : history)
            if (!m.clientId.isEmpty())
                inPage.insert(m.clientId);
        QList<Row> pending;
        for (const int r : std::as_const(m_pendingRows))
            if (!inPage.contains(m_rows.at(r).clientId))
                pending.append(m_rows.at(r));
        std::sort(pending.begin(), pending.end(),
                  [](const Row &a, const Row &b) { return a.timestampMs < b.timestampMs; });
        beginResetModel();
        m_rows.clear();
        m_pendingRows.clear();
        m_lastId = 0;
        for (const ChatMessage &m : history) {
            m_rows.append(rowFor(m, mentionTest(m)));
            m_lastId = std::max(m_lastId, m.id);
        }
        for (const Row &p : pending) {
            m_pendingRows.insert(p.clientId, int(m_rows.size()));
            m_rows.append(p);
        }
        endResetModel();
        return;
    }
    for (const ChatMessage &m : history)
        addMessage(m, mentionTest(m));
}

void MessageModel::prependHistory(const QList<ChatMessage> &older,
                                  const std::function<bool(const ChatMessage &)> &mentionTest)
{
    const qint64 first = firstId();
    QList<Row> rows;
    for (const ChatMessage &m : older) {
        if (first == 0 || m.id < first)
            rows.append(rowFor(m, mentionTest(m)));
    }
    if (rows.isEmpty())
        return;
    beginInsertRows({}, 0, int(rows.size()) - 1);
    // QList keeps free space at the front: prepending pages is not quadratic.
    for (auto it = rows.crbegin(); it != rows.crend(); ++it)
        m_rows.prepend(*it);
    for (int &r : m_pendingRows)
        r += int(rows.size());
    if (m_lastId == 0)
        for (const Row &r : std::as_const(rows))
            m_lastId = std::max(m_lastId, r.id);
    endInsertRows();
}

void MessageModel::addPending(const QString &clientId, const QString &text, qint64 timestampMs)
{
    Row row;
    row.kind = Kind::Message;
    row.status = Status::Pending;
    row.timestampMs = timestampMs;
    row.sender = m_ownName;
    row.text = text;
    row.clientId = clientId;
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at);
    m_rows.append(row);
    m_pendingRows.insert(clientId, at);
    endInsertRows();
}

void MessageModel::setOwnName(const QString &username)
{
    m_ownName = username;
    for (const int r : std::as_const(m_pendingRows)) {
        m_rows[r].sender = username;
        emit dataChanged(index(r), index(r));
    }
}

void MessageModel::removePending(const QString &clientId)
{
    if (const auto it = m_pendingRows.constFind(clientId); it != m_pendingRows.constEnd())
        removePendingRow(*it);
}

void MessageModel::markFailed(const QString &clientId)
{
    const auto it = m_pendingRows.constFind(clientId);
    if (it == m_pendingRows.constEnd())
        return;
    m_rows[*it].status = Status::Failed;
    emit dataChanged(index(*it), index(*it), {StatusRole});
}

void MessageModel::addNotice(const QString &text, qint64 timestampMs)
{
    Row row;
    row.kind = Kind::Notice;
    row.timestampMs = timestampMs;
    row.text = text;
    const int at = firstPendingRow();
    beginInsertRows({}, at, at);
    m_rows.insert(at, row);
    for (int &r : m_pendingRows)
        ++r;
    endInsertRows();
}

qint64 MessageModel::firstId() const
{
    for (const Row &r : m_rows) {
        if (r.kind == Kind::Message && r.status == Status::Confirmed)
            return r.id;
    }
    return 0;
}

int MessageModel::pendingCount() const
{
    return int(m_pendingRows.size());
}

} // namespace Chat
