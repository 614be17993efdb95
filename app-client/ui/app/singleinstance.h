// One client per desktop user and profile: a second start hands over to the
// running one (which raises its window) and exits. A local socket in the
// user's runtime folder, named after the profile.
#pragma once

#include <QObject>

QT_BEGIN_NAMESPACE
class QLocalServer;
QT_END_NAMESPACE

namespace Chat {

class SingleInstance final : public QObject
{
    Q_OBJECT
public:
    // `profile`: empty for the usual client; a server and name given on the
    // command line make a profile of their own (two people testing side by side).
    explicit SingleInstance(const QString &profile, QObject *parent = nullptr);
    ~SingleInstance() override;
    Q_DISABLE_COPY_MOVE(SingleInstance)

    // True: this process is the one (it now listens). False: another one runs
    // and has been asked to show itself.
    bool claim();
    QString socketPath() const { return m_path; }

signals:
    // Another start of the same profile asked for the window.
    void raiseRequested();

private:
    void onConnection();

    QString m_path;
    QLocalServer *m_server = nullptr;
};

} // namespace Chat
