// Room list with unread counts.
#include "roomlistmodel.h"

namespace Chat {

RoomListModel::RoomListModel(QObject *parent) : QAbstractListModel(parent) { }

RoomListModel::~RoomListModel() = default;

int RoomListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rooms.size());
}

QVariant RoomListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rooms.size())
        return {};
    const Room &r = m_rooms.at(index.row());
    switch (role) {
    case Qt::DisplayRole: {
        const QString shown = r.label.isEmpty() ? r.name : r.label;
        return r.unread > 0 ? QStringLiteral("%1 (%2)").arg(shown).arg(r.unread) : shown;
    }
    case Qt::ToolTipRole:
    case NameRole:
        return r.name;
    case UnreadRole:
        return r.unread;
    case MentionsRole:
        return r.mentions;
    case MutedRole:
        return r.muted;
    default:
        return {};
    }
}

QHash<int, QByteArray> RoomListModel::roleNames() const
{
    return {{NameRole, "name"},
            {UnreadRole, "unread"},
            {MentionsRole, "mentions"},
            {MutedRole, "muted"}};
}

int RoomListModel::indexOf(const QString &name) const
{
    for (int i = 0; i < m_rooms.size(); ++i) {
        if (m_rooms.at(i).name == name)
            return i;
    }
    return -1;
}

QStringList RoomListModel::names() const
{
    QStringList out;
    for (const Room &r : m_rooms)
        out.append(r.name);
    return out;
}

void RoomListModel::addRoom(const QString &name)
{
    if (contains(name))
        return;
    const int row = int(m_rooms.size());
    beginInsertRows({}, row, row);
    Room room;
    room.name = name;
    m_rooms.append(room);
    endInsertRows();
}

void RoomListModel::removeRoom(const QString &name)
{
    const int row = indexOf(name);
    if (row < 0)
        return;
    const bool hadUnread = m_rooms.at(row).unread > 0;
    beginRemoveRows({}, row, row);
    m_rooms.removeAt(row);
    endRemoveRows();
    if (hadUnread)
        emit totalUnreadChanged(totalUnread());
}

void RoomListModel::changed(int row)
{
    emit dataChanged(index(row), index(row));
}

void RoomListModel::addUnread(const QString &name, bool mention)
{
    const int row = indexOf(name);
    if (row < 0)
        return;
    ++m_rooms[row].unread;
    if (mention)
        ++m_rooms[row].mentions;
    changed(row);
    emit totalUnreadChanged(totalUnread());
}

void RoomListModel::clearUnread(const QString &name)
{
    const int row = indexOf(name);
    if (row < 0 || (m_rooms.at(row).unread == 0 && m_rooms.at(row).mentions == 0))
        return;
    m_rooms[row].unread = 0;
    m_rooms[row].mentions = 0;
    changed(row);
    emit totalUnreadChanged(totalUnread());
}

int RoomListModel::unread(const QString &name) const
{
    const int row = indexOf(name);
    return row < 0 ? 0 : m_rooms.at(row).unread;
}

int RoomListModel::totalUnread() const
{
    int total = 0;
    for (const Room &r : m_rooms)
        total += r.unread;
    return total;
}

void RoomListModel::setLabel(const QString &name, const QString &label)
{
    const int row = indexOf(name);
    if (row < 0 || m_rooms[row].label == label)
        return;
    m_rooms[row].label = label;
    changed(row);
}

void RoomListModel::setMuted(const QString &name, bool muted)
{
    const int row = indexOf(name);
    if (row < 0 || m_rooms.at(row).muted == muted)
        return;
    m_rooms[row].muted = muted;
    changed(row);
}

bool RoomListModel::isMuted(const QString &name) const
{
    const int row = indexOf(name);
    return row >= 0 && m_rooms.at(row).muted;
}

} // namespace Chat
