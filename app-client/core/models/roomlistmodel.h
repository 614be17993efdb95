// The rooms the user is in, with unread and mention counts and a mute flag.
#pragma once

#include <QAbstractListModel>

namespace Chat {

class RoomListModel final : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { NameRole = Qt::UserRole + 1, UnreadRole, MentionsRole, MutedRole };

    explicit RoomListModel(QObject *parent = nullptr);
    ~RoomListModel() override;
    Q_DISABLE_COPY_MOVE(RoomListModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void addRoom(const QString &name);
    void removeRoom(const QString &name);
    bool contains(const QString &name) const { return indexOf(name) >= 0; }
    int indexOf(const QString &name) const;
    QStringList names() const;

    void addUnread(const QString &name, bool mention);
    void clearUnread(const QString &name);
    int unread(const QString &name) const;
    int totalUnread() const;
    // What the list shows instead of the name (a direct message: "@Bob").
    void setLabel(const QString &name, const QString &label);
    void setMuted(const QString &name, bool muted);
    bool isMuted(const QString &name) const;

signals:
    void totalUnreadChanged(int total);

private:
    struct Room
    {
        QString name;
        QString label;
        int unread = 0;
        int mentions = 0;
        bool muted = false;
    };
    void changed(int row);
    QList<Room> m_rooms;
};

} // namespace Chat
