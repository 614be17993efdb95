// Username and room rules shared by server and clients.
#include "validation.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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
    void sharedVectors_data();
    void sharedVectors();
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

void tst_Validation::sharedVectors_data()
{
    // The cases resources/web/rules.js is tested against too (tests/web/rules.test.mjs).
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expect");
    QFile file(QStringLiteral(CHAT_VALIDATION_VECTORS));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonArray cases
        = QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("cases")).toArray();
    QVERIFY(cases.size() > 40);
    for (const QJsonValue &v : cases) {
        const QJsonObject c = v.toObject();
        QString value = c.value(QLatin1String("value")).toString();
        if (c.contains(QLatin1String("units"))) {
            value.clear();
            for (const QJsonValue &unit : c.value(QLatin1String("units")).toArray())
                value.append(QChar(char16_t(unit.toInt())));
        }
        const QString field = c.value(QLatin1String("field")).toString();
        QTest::addRow("%s: %s", qPrintable(field),
                      qPrintable(c.value(QLatin1String("note")).toString()))
            << field << value << c.value(QLatin1String("expect")).toString();
    }
}

void tst_Validation::sharedVectors()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, expect);
    const QString problem = field == QLatin1String("username") ? Validation::usernameProblem(value)
        : field == QLatin1String("room")                       ? Validation::roomProblem(value)
                                                               : Validation::textProblem(value);
    QCOMPARE(problem, expect);
}

QTEST_GUILESS_MAIN(tst_Validation)
#include "tst_validation.moc"
