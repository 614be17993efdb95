// Users of the current room.
#include "userlistmodel.h"

namespace Chat {

namespace {
bool lessIgnoringCase(const QString &a, const QString &b)
{
    return a.compare(b, Qt::CaseInsensitive) < 0;
}
} // namespace

UserListModel::UserListModel(QObject *parent) : QAbstractListModel(parent) { }

UserListModel::~UserListModel() = default;

int UserListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_users.size());
}

QVariant UserListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_users.size())
        return {};
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
        return m_users.at(index.row());
    return {};
}

void UserListModel::setUsers(const QStringList &users)
{
    beginResetModel();
    m_users = users;
    std::sort(m_users.begin(), m_users.end(), lessIgnoringCase);
    endResetModel();
}

int UserListModel::insertionPoint(const QString &username) const
{
    return int(std::lower_bound(m_users.cbegin(), m_users.cend(), username, lessIgnoringCase)
               - m_users.cbegin());
}

void UserListModel::addUser(const QString &username)
{
    if (m_users.contains(username, Qt::CaseInsensitive))
        return;
    const int row = insertionPoint(username);
    beginInsertRows({}, row, row);
    m_users.insert(row, username);
    endInsertRows();
}

void UserListModel::removeUser(const QString &username)
{
    for (int row = 0; row < m_users.size(); ++row) {
        if (m_users.at(row).compare(username, Qt::CaseInsensitive) == 0) {
            beginRemoveRows({}, row, row);
            m_users.removeAt(row);
            endRemoveRows();
            return;
        }
    }
}

} // namespace Chat
