// The users of the room on screen, sorted ignoring case.
#pragma once

#include <QAbstractListModel>
#include <QStringList>

namespace Chat {

class UserListModel final : public QAbstractListModel
{
    Q_OBJECT
public:
    explicit UserListModel(QObject *parent = nullptr);
    ~UserListModel() override;
    Q_DISABLE_COPY_MOVE(UserListModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    void setUsers(const QStringList &users);
    void addUser(const QString &username);
    void removeUser(const QString &username);
    QStringList users() const { return m_users; }

private:
    int insertionPoint(const QString &username) const;
    QStringList m_users;
};

} // namespace Chat
