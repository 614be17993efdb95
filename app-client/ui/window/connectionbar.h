// The connection's state in the status bar: "Connected", "Reconnecting in 4 s"
// with a "Retry now" button, and so on.
#pragma once

#include "chatconnection.h"

#include <QTimer>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QPushButton;
QT_END_NAMESPACE

namespace Chat {

class ConnectionBar final : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionBar(ChatConnection *connection, QWidget *parent = nullptr);
    ~ConnectionBar() override;
    Q_DISABLE_COPY_MOVE(ConnectionBar)

    QString text() const;
    QPushButton *retryButton() const { return m_retry; }

private:
    void update();

    ChatConnection *m_connection;
    QLabel *m_label;
    QPushButton *m_retry;
    QTimer m_tick;
};

} // namespace Chat
