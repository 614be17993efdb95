// Username and room rules shared by server and clients.
#include "validation.h"

#include <QTest>

using namespace Chat;

class tst_Validation : public QObject
{
    Q_OBJECT
private slots:
    void usernames_data();
    void usernames();
    void rooms_data();
    void rooms();
    void text();
    void keysIgnoreCase();
};

void tst_Validation::usernames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("ok");
    QTest::addRow("plain") << QStringLiteral("Aminah") << true;
    QTest::addRow("spaces inside") << QStringLiteral("Mary Jane") << true;
    QTest::addRow("padded") << QStringLiteral("  Bob  ") << true;
    QTest::addRow("32 chars") << QString(32, QLatin1Char('a')) << true;
    QTest::addRow("33 chars") << QString(33, QLatin1Char('a')) << false;
    QTest::addRow("33 padded to 32") << (QString(32, QLatin1Char('a')) + QLatin1Char(' ')) << true;
    QTest::addRow("empty") << QString() << false;
    QTest::addRow("blank") << QStringLiteral("   ") << false;
    QTest::addRow("newline") << QStringLiteral("a\nb") << false;
    QTest::addRow("escape") << QStringLiteral("a\x1b[31m") << false;
    QTest::addRow("zero width joiner") << QString::fromUtf8("a\u200db") << false;
    QTest::addRow("emoji") << QString::fromUtf8("cat 🐱") << true;
    QTest::addRow("cjk") << QString::fromUtf8("山田") << true;
}

void tst_Validation::usernames()
{
    QFETCH(QString, name);
    QFETCH(bool, ok);
    QCOMPARE(Validation::usernameProblem(name).isEmpty(), ok);
}

void tst_Validation::rooms_data()
{
    QTest::addColumn<QString>("room");
    QTest::addColumn<bool>("ok");
    QTest::addRow("general") << QStringLiteral("general") << true;
    QTest::addRow("punctuation") << QStringLiteral("team-42_ops.#") << true;
    QTest::addRow("64 chars") << QString(64, QLatin1Char('r')) << true;
    QTest::addRow("65 chars") << QString(65, QLatin1Char('r')) << false;
    QTest::addRow("space") << QStringLiteral("a b") << false;
    QTest::addRow("nbsp") << QString::fromUtf8("a\u00a0b") << false;
    QTest::addRow("leading space") << QStringLiteral(" a") << false;
    QTest::addRow("empty") << QString() << false;
    QTest::addRow("control") << QStringLiteral("a\x01") << false;
}

void tst_Validation::rooms()
{
    QFETCH(QString, room);
    QFETCH(bool, ok);
    QCOMPARE(Validation::roomProblem(room).isEmpty(), ok);
}

void tst_Validation::text()
{
    QVERIFY(Validation::textProblem(QStringLiteral("hello\nworld")).isEmpty());
    QVERIFY(!Validation::textProblem(QStringLiteral("")).isEmpty());
    QVERIFY(!Validation::textProblem(QString(4001, QLatin1Char('x'))).isEmpty());
    QVERIFY(Validation::textProblem(QString(4000, QLatin1Char('x'))).isEmpty());
    QVERIFY(!Validation::textProblem(QStringLiteral("bell\x07")).isEmpty());
}

void tst_Validation::keysIgnoreCase()
{
    QCOMPARE(Validation::usernameKey(QStringLiteral("Aminah")),
             Validation::usernameKey(QStringLiteral(" AMINAH ")));
    QVERIFY(Validation::usernameKey(QStringLiteral("Aminah"))
            != Validation::usernameKey(QStringLiteral("Amina")));
}

QTEST_GUILESS_MAIN(tst_Validation)
#include "tst_validation.moc"
