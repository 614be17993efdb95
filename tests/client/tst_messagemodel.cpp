// The message model: live inserts, history prepend, pending -> confirmed, notices.
#include "messagemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Chat;

class tst_MessageModel : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void appendsLiveMessagesOnce();
    void prependsOlderHistory();
    void pendingBecomesConfirmedInOrder();
    void failedStaysVisible();
    void noticesAndDayStarts();
    void joinHistoryMergesAndResets();
    void holdsManyMessages();
    void findsMessages();

private:
    static ChatMessage msg(qint64 id, const QString &text,
                           const QString &user = QStringLiteral("Ben"),
                           const QString &clientId = {})
    {
        return ChatMessage {QStringLiteral("general"), id,      user, text,
                            1795303164762 + id * 1000, clientId};
    }
    static bool noMention(const ChatMessage &) { return false; }
    QString textAt(int row) const
    {
        return m_model->index(row).data(MessageModel::TextRole).toString();
    }

    std::unique_ptr<MessageModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_MessageModel::init()
{
    m_model = std::make_unique<MessageModel>(QStringLiteral("general"));
    m_model->setOwnName(QStringLiteral("Aminah"));
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void tst_MessageModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
}

void tst_MessageModel::appendsLiveMessagesOnce()
{
    QVERIFY(m_model->addMessage(msg(1, QStringLiteral("a")), false));
    QVERIFY(m_model->addMessage(msg(2, QStringLiteral("b")), true));
    QVERIFY(!m_model->addMessage(msg(2, QStringLiteral("b")), true)); // already shown
    QCOMPARE(m_model->rowCount(), 2);
    QCOMPARE(m_model->lastId(), 2);
    QCOMPARE(m_model->index(1).data(MessageModel::MentionRole).toBool(), true);
    QCOMPARE(m_model->index(0).data(MessageModel::SenderRole).toString(), QStringLiteral("Ben"));
    QCOMPARE(m_model->index(0).data(MessageModel::OwnRole).toBool(), false);
}

void tst_MessageModel::prependsOlderHistory()
{
    m_model->addMessage(msg(10, QStringLiteral("ten")), false);
    m_model->prependHistory({msg(7, QStringLiteral("seven")), msg(8, QStringLiteral("eight")),
                             msg(9, QStringLiteral("nine"))},
                            noMention);
    QCOMPARE(m_model->rowCount(), 4);
    QCOMPARE(textAt(0), QStringLiteral("seven"));
    QCOMPARE(textAt(3), QStringLiteral("ten"));
    QCOMPARE(m_model->firstId(), 7);
    // Overlap is ignored.
    m_model->prependHistory({msg(6, QStringLiteral("six")), msg(7, QStringLiteral("seven"))},
                            noMention);
    QCOMPARE(m_model->rowCount(), 5);
    QCOMPARE(textAt(0), QStringLiteral("six"));
}

void tst_MessageModel::pendingBecomesConfirmedInOrder()
{
    m_model->addMessage(msg(1, QStringLiteral("first")), false);
    m_model->addPending(QStringLiteral("c1"), QStringLiteral("mine 1"), 1795303170000);
    m_model->addPending(QStringLiteral("c2"), QStringLiteral("mine 2"), 1795303171000);
    QCOMPARE(m_model->pendingCount(), 2);
    QCOMPARE(m_model->index(1).data(MessageModel::StatusRole).value<MessageModel::Status>(),
             MessageModel::Status::Pending);
    QCOMPARE(m_model->index(1).data(MessageModel::OwnRole).toBool(), true);
    // Someone else's message arrives: it goes before our pending ones.
    m_model->addMessage(msg(2, QStringLiteral("other")), false);
    QCOMPARE(textAt(1), QStringLiteral("other"));
    QCOMPARE(textAt(2), QStringLiteral("mine 1"));
    // The second one is confirmed first (as could happen after a retry): it moves up.
    m_model->addMessage(
        msg(3, QStringLiteral("mine 2"), QStringLiteral("Aminah"), QStringLiteral("c2")), false);
    QCOMPARE(m_model->rowCount(), 4);
    QCOMPARE(textAt(2), QStringLiteral("mine 2"));
    QCOMPARE(m_model->index(2).data(MessageModel::StatusRole).value<MessageModel::Status>(),
             MessageModel::Status::Confirmed);
    QCOMPARE(m_model->index(2).data(MessageModel::IdRole).toLongLong(), 3);
    QCOMPARE(textAt(3), QStringLiteral("mine 1"));
    m_model->addMessage(
        msg(4, QStringLiteral("mine 1"), QStringLiteral("Aminah"), QStringLiteral("c1")), false);
    QCOMPARE(m_model->pendingCount(), 0);
    QCOMPARE(m_model->rowCount(), 4);
    QCOMPARE(m_model->index(3).data(MessageModel::IdRole).toLongLong(), 4);
    // The echo of a retry changes nothing.
    QVERIFY(!m_model->addMessage(
        msg(4, QStringLiteral("mine 1"), QStringLiteral("Aminah"), QStringLiteral("c1")), false));
    QCOMPARE(m_model->rowCount(), 4);
}

void tst_MessageModel::failedStaysVisible()
{
    m_model->addPending(QStringLiteral("c1"), QStringLiteral("too long"), 1795303170000);
    m_model->markFailed(QStringLiteral("c1"));
    QCOMPARE(m_model->index(0).data(MessageModel::StatusRole).value<MessageModel::Status>(),
             MessageModel::Status::Failed);
}

void tst_MessageModel::noticesAndDayStarts()
{
    const qint64 day1 = QDateTime(QDate(2026, 11, 20), QTime(22, 0)).toMSecsSinceEpoch();
    const qint64 day2 = QDateTime(QDate(2026, 11, 21), QTime(9, 0)).toMSecsSinceEpoch();
    m_model->addMessage(
        ChatMessage {
            QStringLiteral("general"), 1, QStringLiteral("Ben"), QStringLiteral("late"), day1, {}},
        false);
    m_model->addMessage(ChatMessage {QStringLiteral("general"),
                                     2,
                                     QStringLiteral("Ben"),
                                     QStringLiteral("later"),
                                     day1 + 60000,
                                     {}},
                        false);
    m_model->addNotice(QStringLiteral("Cik joined"), day2);
    QCOMPARE(m_model->index(0).data(MessageModel::DayStartRole).toBool(), true);
    QCOMPARE(m_model->index(1).data(MessageModel::DayStartRole).toBool(), false);
    QCOMPARE(m_model->index(2).data(MessageModel::DayStartRole).toBool(), true);
    QCOMPARE(m_model->index(2).data(MessageModel::KindRole).value<MessageModel::Kind>(),
             MessageModel::Kind::Notice);
}

void tst_MessageModel::joinHistoryMergesAndResets()
{
    m_model->mergeJoinHistory({msg(1, QStringLiteral("a")), msg(2, QStringLiteral("b"))}, false,
                              noMention);
    QCOMPARE(m_model->rowCount(), 2);
    m_model->addPending(QStringLiteral("c9"), QStringLiteral("waiting"), 1795303190000);
    // A re-join with since: only newer ones are appended, before the pending row.
    m_model->mergeJoinHistory({msg(2, QStringLiteral("b")), msg(3, QStringLiteral("c"))}, false,
                              noMention);
    QCOMPARE(m_model->rowCount(), 4);
    QCOMPARE(textAt(2), QStringLiteral("c"));
    QCOMPARE(textAt(3), QStringLiteral("waiting"));
    // Reset: start over from the page, keep the pending row.
    m_model->mergeJoinHistory({msg(40, QStringLiteral("x")), msg(41, QStringLiteral("y"))}, true,
                              noMention);
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(textAt(0), QStringLiteral("x"));
    QCOMPARE(textAt(2), QStringLiteral("waiting"));
    QCOMPARE(m_model->lastId(), 41);
}

void tst_MessageModel::holdsManyMessages()
{
    m_tester.reset(); // the tester checks every row on every change: too slow for this
    QList<ChatMessage> page;
    for (qint64 id = 100000; id >= 1; id -= 1) {
        page.prepend(msg(id, QStringLiteral("message %1").arg(id)));
        if (page.size() == 1000) {
            m_model->prependHistory(page, noMention);
            page.clear();
        }
    }
    QCOMPARE(m_model->rowCount(), 100000);
    QCOMPARE(m_model->firstId(), 1);
    QCOMPARE(textAt(99999), QStringLiteral("message 100000"));
}

void tst_MessageModel::findsMessages()
{
    m_model->mergeJoinHistory({msg(1, QStringLiteral("Hello there")),
                               msg(2, QStringLiteral("nothing"), QStringLiteral("Shelly")),
                               msg(3, QStringLiteral("say HELLO"))},
                              false, noMention);
    m_model->addNotice(QStringLiteral("hello joined"), 1795303170000);
    m_model->addPending(QStringLiteral("c1"), QStringLiteral("hello from me"), 1795303171000);
    // Text and sender, any case; notices are not searched; pending rows are.
    QCOMPARE(m_model->find(QStringLiteral("hello")), (QList<int> {0, 2, 4}));
    QCOMPARE(m_model->find(QStringLiteral("shell")), (QList<int> {1}));
    QCOMPARE(m_model->find(QStringLiteral("zebra")), QList<int>());
    QCOMPARE(m_model->find(QString()), QList<int>());
}

QTEST_GUILESS_MAIN(tst_MessageModel)
#include "tst_messagemodel.moc"
