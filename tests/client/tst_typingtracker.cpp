// Typing indicators: throttled sending, idle stop, expiry of others' indicators.
#include "typingtracker.h"

#include <QSignalSpy>
#include <QTest>

using namespace Chat;

class tst_TypingTracker : public QObject
{
    Q_OBJECT
private slots:
    void throttlesAndStops();
    void expiresRemote();
};

void tst_TypingTracker::throttlesAndStops()
{
    TypingTracker tracker;
    tracker.setTiming({300, 200, 1000});
    QSignalSpy sent(&tracker, &TypingTracker::sendTyping);
    tracker.userEdited(QStringLiteral("r"));
    tracker.userEdited(QStringLiteral("r"));
    tracker.userEdited(QStringLiteral("r"));
    QCOMPARE(sent.count(), 1); // at most one "typing" per resend interval
    QCOMPARE(sent.at(0).at(1).toBool(), true);
    QTRY_COMPARE(sent.count(), 2); // idle: "stopped"
    QCOMPARE(sent.at(1).at(1).toBool(), false);
    tracker.userEdited(QStringLiteral("r"));
    QCOMPARE(sent.count(), 3);
    tracker.userSent(QStringLiteral("r"));
    QCOMPARE(sent.count(), 4);
    QCOMPARE(sent.at(3).at(1).toBool(), false);
}

void tst_TypingTracker::expiresRemote()
{
    TypingTracker tracker;
    tracker.setTiming({3000, 4000, 300});
    QSignalSpy changed(&tracker, &TypingTracker::typingUsersChanged);
    tracker.remoteTyping(QStringLiteral("r"), QStringLiteral("Ben"), true);
    tracker.remoteTyping(QStringLiteral("r"), QStringLiteral("Aminah"), true);
    QCOMPARE(tracker.typingUsers(QStringLiteral("r")),
             (QStringList {QStringLiteral("Aminah"), QStringLiteral("Ben")}));
    tracker.remoteTyping(QStringLiteral("r"), QStringLiteral("Ben"), false);
    QCOMPARE(tracker.typingUsers(QStringLiteral("r")), QStringList {QStringLiteral("Aminah")});
    QTRY_VERIFY(tracker.typingUsers(QStringLiteral("r")).isEmpty());
    QCOMPARE(changed.count(), 4);
}

QTEST_GUILESS_MAIN(tst_TypingTracker)
#include "tst_typingtracker.moc"
