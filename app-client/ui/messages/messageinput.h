// The box the user types in: Enter sends, Shift+Enter starts a new line.
#pragma once

#include <QPlainTextEdit>

namespace Chat {

class MessageInput final : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit MessageInput(QWidget *parent = nullptr);
    ~MessageInput() override;
    Q_DISABLE_COPY_MOVE(MessageInput)

    QSize sizeHint() const override;

signals:
    void submitted(const QString &text);
    void edited();

protected:
    void keyPressEvent(QKeyEvent *event) override;
};

} // namespace Chat
