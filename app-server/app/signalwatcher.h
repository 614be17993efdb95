// Turns SIGINT/SIGTERM (and SIGHUP) into Qt signals, through a socket pair (the only safe
// thing to do inside a signal handler is write a byte).
#pragma once

#include <QObject>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

namespace Chat {

class SignalWatcher final : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;
    Q_DISABLE_COPY_MOVE(SignalWatcher)

signals:
    void terminationRequested(int signalNumber);
    void reloadRequested(); // SIGHUP

private:
    void onReadable();
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Chat
