// Find in the current room: a field, older/newer buttons, "N of M", and Esc to
// close. Typing waits for a short pause before searching, so a room of 100,000
// messages is searched once per pause, not once per key.
#pragma once

#include <QTimer>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QLineEdit;
class QToolButton;
QT_END_NAMESPACE

namespace Chat {

class SearchBar final : public QWidget
{
    Q_OBJECT
public:
    explicit SearchBar(QWidget *parent = nullptr);
    ~SearchBar() override;
    Q_DISABLE_COPY_MOVE(SearchBar)

    QLineEdit *field() const { return m_field; }
    QString text() const;
    // Shows the bar with the field focused and its text selected.
    void open();
    // `position` counts from the newest match (1 = newest); 0 with no matches.
    void setResult(int position, int total);
    QString resultText() const;
    // Searches again after the pause (the messages changed), if the bar is open.
    void refresh();

signals:
    void searchChanged(const QString &text);
    void olderRequested();
    void newerRequested();
    void closed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QLineEdit *m_field;
    QToolButton *m_older;
    QToolButton *m_newer;
    QLabel *m_result;
    QTimer m_pause;
};

} // namespace Chat
