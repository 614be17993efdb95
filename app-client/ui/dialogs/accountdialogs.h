// The windows of a signed-in account (accounts servers): the devices it is
// signed in on, each of which can be signed out, or all at once; and, for
// admins, the moderation log (who did what to whom, and when).
#pragma once

#include <QDialog>
#include <QJsonArray>

QT_BEGIN_NAMESPACE
class QPushButton;
class QTreeWidget;
QT_END_NAMESPACE

namespace Chat {

class DevicesDialog final : public QDialog
{
    Q_OBJECT
public:
    // `devices`: the `devices` event's list.
    explicit DevicesDialog(const QJsonArray &devices, QWidget *parent = nullptr);
    ~DevicesDialog() override;
    Q_DISABLE_COPY_MOVE(DevicesDialog)

    QTreeWidget *list() const { return m_list; }
    QPushButton *signOutButton() const { return m_signOut; }
    QPushButton *everywhereButton() const { return m_everywhere; }

signals:
    // The chosen device (`id`), or every device: this one included.
    void signOutRequested(const QString &deviceId, bool current);
    void signOutEverywhereRequested();

private:
    QTreeWidget *m_list;
    QPushButton *m_signOut;
    QPushButton *m_everywhere;
};

class ModerationLogDialog final : public QDialog
{
    Q_OBJECT
public:
    // `entries`: the `audit` event's list, newest first.
    explicit ModerationLogDialog(const QJsonArray &entries, QWidget *parent = nullptr);
    ~ModerationLogDialog() override;
    Q_DISABLE_COPY_MOVE(ModerationLogDialog)

    QTreeWidget *list() const { return m_list; }

private:
    QTreeWidget *m_list;
};

} // namespace Chat
