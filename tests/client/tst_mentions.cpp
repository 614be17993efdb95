// Mention detection: @name or the bare name as a word, ignoring case.
#include "mentions.h"

#include <QTest>

class tst_Mentions : public QObject
{
    Q_OBJECT
private slots:
    void detects_data();
    void detects();
};

void tst_Mentions::detects_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("mention");
    QTest::addRow("at name") << "hey @aminah look"
                             << "Aminah" << true;
    QTest::addRow("bare name") << "Aminah, lunch?"
                               << "Aminah" << true;
    QTest::addRow("case") << "AMINAH!"
                          << "Aminah" << true;
    QTest::addRow("at end") << "thanks aminah"
                            << "Aminah" << true;
    QTest::addRow("inside a word") << "Aminahs cat"
                                   << "Aminah" << false;
    QTest::addRow("prefix of word") << "Benjamin is here"
                                    << "Ben" << false;
    QTest::addRow("name with space") << "ask Mary Jane please"
                                     << "Mary Jane" << true;
    QTest::addRow("no mention") << "nothing here"
                                << "Aminah" << false;
    QTest::addRow("empty name") << "anything"
                                << "" << false;
    QTest::addRow("second occurrence") << "Bento and Ben"
                                       << "Ben" << true;
    QTest::addRow("unicode") << "salut Zoë."
                             << "zoë" << true;
}

void tst_Mentions::detects()
{
    QFETCH(QString, text);
    QFETCH(QString, name);
    QFETCH(bool, mention);
    QCOMPARE(Chat::mentions(text, name), mention);
}

QTEST_GUILESS_MAIN(tst_Mentions)
#include "tst_mentions.moc"
