// Find bar for the message list.
#include "searchbar.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace Chat {

namespace {
constexpr int PauseMs = 150;
}

SearchBar::SearchBar(QWidget *parent)
    : QWidget(parent)
    , m_field(new QLineEdit(this))
    , m_older(new QToolButton(this))
    , m_newer(new QToolButton(this))
    , m_result(new QLabel(this))
{
    m_field->setPlaceholderText(tr("Search this room"));
    m_field->setAccessibleName(tr("Search messages"));
    m_field->setClearButtonEnabled(true);
    m_field->installEventFilter(this);
    m_older->setArrowType(Qt::UpArrow);
    m_older->setToolTip(tr("Older match (Enter)"));
    m_older->setAccessibleName(tr("Older match"));
    m_newer->setArrowType(Qt::DownArrow);
    m_newer->setToolTip(tr("Newer match (Shift+Enter)"));
    m_newer->setAccessibleName(tr("Newer match"));
    auto *close = new QToolButton(this);
    close->setText(QStringLiteral("×"));
    close->setToolTip(tr("Close search (Esc)"));
    close->setAccessibleName(tr("Close search"));
    close->setAutoRaise(true);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 2);
    layout->addWidget(m_field, 1);
    layout->addWidget(m_result);
    layout->addWidget(m_older);
    layout->addWidget(m_newer);
    layout->addWidget(close);

    m_pause.setSingleShot(true);
    m_pause.setInterval(PauseMs);
    connect(m_field, &QLineEdit::textChanged, &m_pause, qOverload<>(&QTimer::start));
    connect(&m_pause, &QTimer::timeout, this, [this] { emit searchChanged(text()); });
    connect(m_older, &QToolButton::clicked, this, &SearchBar::olderRequested);
    connect(m_newer, &QToolButton::clicked, this, &SearchBar::newerRequested);
    connect(close, &QToolButton::clicked, this, [this] {
        hide();
        emit closed();
    });
    setResult(0, 0);
}

SearchBar::~SearchBar() = default;

QString SearchBar::text() const
{
    return m_field->text().trimmed();
}

void SearchBar::open()
{
    show();
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
    if (!text().isEmpty())
        emit searchChanged(text()); // the room may have changed since
}

void SearchBar::setResult(int position, int total)
{
    m_older->setEnabled(total > 1);
    m_newer->setEnabled(total > 1);
    if (text().isEmpty())
        m_result->clear();
    else if (total == 0)
        m_result->setText(tr("No matches"));
    else
        m_result->setText(tr("%1 of %2").arg(position).arg(total));
}

void SearchBar::refresh()
{
    if (isVisible() && !text().isEmpty())
        m_pause.start();
}

QString SearchBar::resultText() const
{
    return m_result->text();
}

bool SearchBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_field && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape) {
            hide();
            emit closed();
            return true;
        }
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (m_pause.isActive()) { // the search has not run yet for what was typed
                m_pause.stop();
                emit searchChanged(text());
            } else if (key->modifiers() & Qt::ShiftModifier) {
                emit newerRequested();
            } else {
                emit olderRequested();
            }
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace Chat
