// Messages of one room.
#include "messagemodel.h"

#include <QDateTime>

namespace Chat {

MessageModel::MessageModel(const QString &room, QObject *parent)
    : QAbstractListModel(parent), m_room(room)
{ }

MessageModel::~MessageModel() = default;

int MessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
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
            // Our pending message is stored: confirm it in place, then move it in
            // front of any other pending rows so that ids stay in order.
            const int from = *it;
            m_pendingRows.erase(it);
            Row row = rowFor(m, mention);
            const int to = std::min(from, firstPendingRow());
            if (to != from) {
                beginMoveRows({}, from, from, {}, to);
                m_rows.move(from, to);
                for (int &r : m_pendingRows) {
                    if (r >= to && r < from)
                        ++r;
                }
                endMoveRows();
            }
            m_rows[to] = row;
            m_lastId = std::max(m_lastId, m.id);
            emit dataChanged(index(to), index(to));
            return false;
        }
    }
    if (m.id <= m_lastId)
        return false; // already shown (a re-join overlap, or a retry's echo)
    m_lastId = m.id;
    // Confirmed messages go before the pending ones.
    const int at = firstPendingRow();
    beginInsertRows({}, at, at);
    m_rows.insert(at, rowFor(m, mention));
    for (int &r : m_pendingRows)
        ++r;
    endInsertRows();
    return true;
}

void MessageModel::mergeJoinHistory(const QList<ChatMessage> &history, bool reset,
                                    const std::function<bool(const ChatMessage &)> &mentionTest)
{
    if (reset || m_rows.isEmpty()) {
        // Start over, keeping what is still pending.
        QList<Row> pending;
        for (const int r : std::as_const(m_pendingRows))
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
    m_rows = rows + m_rows;
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
