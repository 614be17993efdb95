// Connection state display.
#include "connectionbar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

#include <cmath>

namespace Chat {

ConnectionBar::ConnectionBar(ChatConnection *connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
    , m_label(new QLabel(this))
    , m_retry(new QPushButton(tr("Retry now"), this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_retry);
    m_retry->setVisible(false);
    m_label->setAccessibleName(tr("Connection status"));
    // Ticks only while a countdown is shown: no wake-ups while connected or idle.
    m_tick.setInterval(250);
    connect(&m_tick, &QTimer::timeout, this, &ConnectionBar::update);
    connect(m_retry, &QPushButton::clicked, m_connection, &ChatConnection::retryNow);
    connect(m_connection, &ChatConnection::stateChanged, this, &ConnectionBar::update);
    connect(m_connection, &ChatConnection::reconnectScheduled, this, &ConnectionBar::update);
    update();
}

ConnectionBar::~ConnectionBar() = default;

QString ConnectionBar::text() const
{
    return m_label->text();
}

void ConnectionBar::update()
{
    const auto state = m_connection->state();
    const bool waiting = state == ChatConnection::State::Reconnecting;
    QString text;
    switch (state) {
    case ChatConnection::State::Offline:
        text = tr("Offline");
        break;
    case ChatConnection::State::Connecting:
        text = tr("Connecting to %1…").arg(m_connection->url().authority());
        break;
    case ChatConnection::State::Identifying:
        text = tr("Signing in…");
        break;
    case ChatConnection::State::Online:
        text = tr("Connected to %1 as %2")
                   .arg(m_connection->url().authority(), m_connection->username());
        break;
    case ChatConnection::State::Reconnecting: {
        const int seconds = int(std::ceil(double(m_connection->reconnectRemainingMs()) / 1000.0));
        text = tr("Connection lost. Reconnecting in %n s", nullptr, seconds);
        break;
    }
    }
    const int pending = m_connection->outbox()->size();
    if (pending > 0 && state != ChatConnection::State::Online)
        text += QStringLiteral(" · ") + tr("%n message(s) waiting to be sent", nullptr, pending);
    m_label->setText(text);
    m_retry->setVisible(waiting);
    if (waiting && !m_tick.isActive())
        m_tick.start();
    else if (!waiting)
        m_tick.stop();
}

} // namespace Chat
