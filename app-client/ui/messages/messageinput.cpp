// Message input box.
#include "messageinput.h"

#include <QKeyEvent>

namespace Chat {

MessageInput::MessageInput(QWidget *parent) : QPlainTextEdit(parent)
{
    setTabChangesFocus(true);
    setAccessibleName(tr("Message"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(this, &QPlainTextEdit::textChanged, this, [this] {
        if (!toPlainText().isEmpty())
            emit edited();
    });
}

MessageInput::~MessageInput() = default;

QSize MessageInput::sizeHint() const
{
    const int lines = 3;
    return {QPlainTextEdit::sizeHint().width(),
            fontMetrics().lineSpacing() * lines + 2 * frameWidth() + 8};
}

void MessageInput::keyPressEvent(QKeyEvent *event)
{
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
        const QString text = toPlainText();
        if (!text.trimmed().isEmpty())
            emit submitted(text);
        event->accept();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

} // namespace Chat
