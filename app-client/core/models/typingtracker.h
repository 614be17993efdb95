// Typing indicators both ways: throttles what we send ("typing" at most every few
// seconds, "stopped" when idle) and expires what others sent if no update comes.
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

namespace Chat {

class TypingTracker final : public QObject
{
    Q_OBJECT
public:
    struct Timing
    {
        int resendMs = 3000; // send "typing" again at most this often while typing
        int idleMs = 4000; // send "stopped" after this long without a keystroke
        int expireMs = 6000; // forget someone's "typing" after this long
    };

    explicit TypingTracker(QObject *parent = nullptr);
    ~TypingTracker() override;
    Q_DISABLE_COPY_MOVE(TypingTracker)

    void setTiming(const Timing &timing) { m_timing = timing; }

    // Our side.
    void userEdited(const QString &room);
    void userSent(const QString &room);

    // Their side.
    void remoteTyping(const QString &room, const QString &username, bool active);
    QStringList typingUsers(const QString &room) const;

signals:
    void sendTyping(const QString &room, bool active);
    void typingUsersChanged(const QString &room);

private:
    void stopOwn();
    void expire();

    Timing m_timing;
    QString m_ownRoom; // room we told we are typing in, empty if none
    QElapsedTimer m_lastSent;
    QTimer m_idle;
    QTimer m_expiry;
    QHash<QString, QHash<QString, qint64>> m_remote; // room -> user -> deadline
    QElapsedTimer m_clock;
};

} // namespace Chat
