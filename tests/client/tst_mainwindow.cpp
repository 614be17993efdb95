// The main window under the offscreen platform, against a real in-process
// server: sending from the input box, unread counts and notifications, the
// connection bar, and the Malay translation.
#include "chatclient.h"
#include "chatserver.h"
#include "clientmain.h"
#include "connectionbar.h"
#include "mainwindow.h"
#include "messageinput.h"
#include "messagemodel.h"
#include "messageview.h"
#include "notifier.h"
#include "requests.h"
#include "roomlistmodel.h"
#include "searchbar.h"
#include "sqlitemessagestore.h"
#include "testclient.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace Chat;
using Chat::Test::TestClient;

class tst_MainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void sendsFromTheInputBox();
    void otherRoomRaisesUnreadAndNotifies();
    void mentionNotifiesEvenWhenMuted();
    void showsTypingAndUsers();
    void crowdArrivesInFewNotices();
    void connectionBarCountsDown();
    void speaksMalay();
    void findsMessagesInTheRoom();

private:
    std::unique_ptr<TestClient> ben(const QStringList &rooms);

    QTemporaryDir m_dir;
    std::unique_ptr<SqliteMessageStore> m_store;
    std::unique_ptr<ChatServer> m_server;
    std::unique_ptr<ChatClient> m_client;
    std::unique_ptr<MainWindow> m_window;
    QUrl m_url;
    int m_run = 0;
};

void tst_MainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(installTranslations(*qApp, QStringLiteral("en"))); // English plural forms
}

void tst_MainWindow::init()
{
    m_store = std::make_unique<SqliteMessageStore>(
        m_dir.filePath(QStringLiteral("chat%1.sqlite").arg(++m_run)));
    QVERIFY(m_store->open());
    ServerConfig config;
    config.host = QHostAddress::LocalHost;
    config.port = 0;
    config.serverName = QStringLiteral("test");
    m_server = std::make_unique<ChatServer>(config, m_store.get());
    QVERIFY(m_server->listen());
    m_url = QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_server->serverPort()));

    m_client = std::make_unique<ChatClient>();
    m_window = std::make_unique<MainWindow>(m_client.get());
    m_window->show();
    QApplication::setActiveWindow(m_window.get());
    m_client->start(m_url, QStringLiteral("Aminah"),
                    {QStringLiteral("general"), QStringLiteral("random")});
    QTRY_VERIFY(m_client->connection()->isJoined(QStringLiteral("general")));
    QTRY_VERIFY(m_client->connection()->isJoined(QStringLiteral("random")));
    m_client->setCurrentRoom(QStringLiteral("general"));
}

void tst_MainWindow::cleanup()
{
    m_window.reset();
    m_client.reset();
    m_server.reset();
    m_store.reset();
}

std::unique_ptr<TestClient> tst_MainWindow::ben(const QStringList &rooms)
{
    auto c = std::make_unique<TestClient>();
    if (!c->connectTo(m_url) || !c->hello(QStringLiteral("Ben")))
        return nullptr;
    for (const QString &room : rooms)
        if (c->join(room).isEmpty())
            return nullptr;
    return c;
}

void tst_MainWindow::sendsFromTheInputBox()
{
    auto b = ben({QStringLiteral("general")});
    QVERIFY(b);
    MessageInput *input = m_window->input();
    QTRY_VERIFY(input->hasFocus()); // a room is open: the keyboard goes to the input box
    QTest::keyClicks(input, QStringLiteral("first line"));
    QTest::keyClick(input, Qt::Key_Return, Qt::ShiftModifier); // a new line, not a send
    QTest::keyClicks(input, QStringLiteral("second line"));
    QVERIFY(b->pending(QStringLiteral("message")).isEmpty());
    MessageModel *model = m_client->messages(QStringLiteral("general"));
    const int before = model->rowCount();
    QTest::keyClick(input, Qt::Key_Return);
    QVERIFY(input->toPlainText().isEmpty());
    // Shown at once as pending, then confirmed by the server.
    QCOMPARE(model->rowCount(), before + 1);
    const QModelIndex row = model->index(before);
    QCOMPARE(row.data(MessageModel::TextRole).toString(),
             QStringLiteral("first line\nsecond line"));
    QCOMPARE(row.data(MessageModel::OwnRole).toBool(), true);
    const QJsonObject m = b->take(QStringLiteral("message"));
    QCOMPARE(m.value(QLatin1String("text")).toString(), QStringLiteral("first line\nsecond line"));
    QTRY_COMPARE(model->index(before).data(MessageModel::StatusRole).value<MessageModel::Status>(),
                 MessageModel::Status::Confirmed);
    // Too long: refused inline, the text stays in the box.
    input->setPlainText(QString(4001, QLatin1Char('x')));
    QTest::keyClick(input, Qt::Key_Return);
    QCOMPARE(input->toPlainText().size(), 4001);
    QCOMPARE(model->rowCount(), before + 1);
}

void tst_MainWindow::otherRoomRaisesUnreadAndNotifies()
{
    QSignalSpy notified(m_window->notifier(), &Notifier::notified);
    auto b = ben({QStringLiteral("random")});
    QVERIFY(b);
    b->send(Requests::chat(QStringLiteral("random"), QStringLiteral("coffee?")));
    QTRY_COMPARE(m_client->rooms()->unread(QStringLiteral("random")), 1);
    QCOMPARE(m_client->rooms()->unread(QStringLiteral("general")), 0);
    QTRY_COMPARE(notified.count(), 1);
    QCOMPARE(notified.at(0).at(0).toString(), QStringLiteral("Ben in #random"));
    QCOMPARE(notified.at(0).at(1).toString(), QStringLiteral("coffee?"));
    QVERIFY(m_window->windowTitle().startsWith(QLatin1String("(1) ")));
    // Opening the room clears it.
    m_client->setCurrentRoom(QStringLiteral("random"));
    QCOMPARE(m_client->rooms()->unread(QStringLiteral("random")), 0);
    QVERIFY(!m_window->windowTitle().startsWith(QLatin1String("(")));
    // In the room on screen, with the window active: no notification.
    b->send(Requests::chat(QStringLiteral("random"), QStringLiteral("anyone?")));
    QTRY_COMPARE(m_client->messages(QStringLiteral("random"))->rowCount(),
                 3); // 2 messages + Ben's join notice
    QCOMPARE(notified.count(), 1);
    // The window in the background: the room on screen notifies too.
    m_client->setWindowActive(false);
    b->send(Requests::chat(QStringLiteral("random"), QStringLiteral("hello?")));
    QTRY_COMPARE(notified.count(), 2);
    QCOMPARE(m_client->rooms()->unread(QStringLiteral("random")), 1);
}

void tst_MainWindow::mentionNotifiesEvenWhenMuted()
{
    QSignalSpy notified(m_window->notifier(), &Notifier::notified);
    m_client->setMuted(QStringLiteral("random"), true);
    auto b = ben({QStringLiteral("random")});
    QVERIFY(b);
    b->send(Requests::chat(QStringLiteral("random"), QStringLiteral("muted chatter")));
    QTRY_COMPARE(m_client->rooms()->unread(QStringLiteral("random")), 1);
    b->send(Requests::chat(QStringLiteral("random"), QStringLiteral("@aminah need you")));
    QTRY_COMPARE(notified.count(), 1); // only the mention
    QCOMPARE(notified.at(0).at(0).toString(), QStringLiteral("Ben mentioned you in #random"));
    QCOMPARE(notified.at(0).at(2).toBool(), true);
    MessageModel *model = m_client->messages(QStringLiteral("random"));
    QCOMPARE(model->index(model->rowCount() - 1).data(MessageModel::MentionRole).toBool(), true);
    QCOMPARE(m_client->rooms()->index(1).data(RoomListModel::MentionsRole).toInt(), 1);
}

void tst_MainWindow::showsTypingAndUsers()
{
    auto b = ben({QStringLiteral("general")});
    QVERIFY(b);
    QTRY_COMPARE(m_window->userList()->model()->rowCount(), 2);
    b->send(Requests::typing(QStringLiteral("general"), true));
    QTRY_COMPARE(m_window->typingLabel()->text(), QStringLiteral("Ben is typing…"));
    b->send(Requests::typing(QStringLiteral("general"), false));
    QTRY_VERIFY(m_window->typingLabel()->text().isEmpty());
    // Our own typing reaches Ben, throttled.
    QTest::keyClicks(m_window->input(), QStringLiteral("hel"));
    QCOMPARE(b->take(QStringLiteral("user-typing")).value(QLatin1String("username")).toString(),
             QStringLiteral("Aminah"));
    // A message after the keys: once Ben has it, any further typing event the
    // keys caused has arrived too (one connection, in order).
    QVERIFY(m_client->sendText(QStringLiteral("hel")).isEmpty());
    QCOMPARE(b->take(QStringLiteral("message")).value(QLatin1String("text")).toString(),
             QStringLiteral("hel"));
    for (const QJsonObject &t : b->pending(QStringLiteral("user-typing")))
        QVERIFY(!t.value(QLatin1String("active")).toBool(true)); // at most "stopped"
    b->socket().close();
    QTRY_COMPARE(m_window->userList()->model()->rowCount(), 1);
}

void tst_MainWindow::crowdArrivesInFewNotices()
{
    // Eight people join at once: the client asked for presence batches, so the
    // server sends as many joins per frame as it handled together, and the room
    // shows one notice per frame ("A, B, C and 2 more joined"); each arrival is
    // told exactly once, and the user list has everyone.
    QCOMPARE(ChatClient::nameList({QStringLiteral("A")}), QStringLiteral("A"));
    QCOMPARE(ChatClient::nameList({QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C")}),
             QStringLiteral("A, B, C"));
    QCOMPARE(ChatClient::nameList({QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C"),
                                   QStringLiteral("D"), QStringLiteral("E")}),
             QStringLiteral("A, B, C and 2 more"));
    MessageModel *model = m_client->messages(QStringLiteral("general"));
    QTRY_COMPARE(m_window->userList()->model()->rowCount(), 1);
    const int before = model->rowCount();
    std::vector<std::unique_ptr<TestClient>> crowd;
    for (int i = 0; i < 8; ++i) {
        crowd.push_back(std::make_unique<TestClient>());
        QVERIFY(crowd.back()->connectTo(m_url));
    }
    for (int i = 0; i < 8; ++i)
        crowd[size_t(i)]->sendRaw(
            QStringLiteral(R"({"type":"join","room":"general","username":"Crowd%1"})").arg(i));
    QTRY_COMPARE(m_window->userList()->model()->rowCount(), 9);
    const auto told = [&] {
        int people = 0;
        static const QRegularExpression form(QStringLiteral("^(.*?)(?: and (\\d+) more)? joined$"));
        for (int row = before; row < model->rowCount(); ++row) {
            const QModelIndex index = model->index(row);
            if (index.data(MessageModel::KindRole).value<MessageModel::Kind>()
                != MessageModel::Kind::Notice)
                continue;
            const QRegularExpressionMatch m
                = form.match(index.data(MessageModel::TextRole).toString());
            if (!m.hasMatch())
                return -1;
            people += int(m.captured(1).split(QStringLiteral(", ")).size()) + m.captured(2).toInt();
        }
        return people;
    };
    QTRY_COMPARE(told(), 8);
    // And all at once out again.
    crowd.clear();
    QTRY_COMPARE(m_window->userList()->model()->rowCount(), 1);
}

void tst_MainWindow::connectionBarCountsDown()
{
    QTRY_VERIFY(m_window->connectionBar()->text().startsWith(QLatin1String("Connected to")));
    m_server.reset(); // the server goes away
    QTRY_VERIFY(m_window->connectionBar()->text().contains(QLatin1String("Reconnecting in")));
    QVERIFY(m_window->connectionBar()->retryButton()->isVisibleTo(m_window.get()));
    // Typed while offline: stays as pending, counted in the bar.
    QTest::keyClicks(m_window->input(), QStringLiteral("later"));
    QTest::keyClick(m_window->input(), Qt::Key_Return);
    QTRY_VERIFY(m_window->connectionBar()->text().contains(QLatin1String("1 message waiting")));
    MessageModel *model = m_client->messages(QStringLiteral("general"));
    QCOMPARE(model->index(model->rowCount() - 1)
                 .data(MessageModel::StatusRole)
                 .value<MessageModel::Status>(),
             MessageModel::Status::Pending);
}

void tst_MainWindow::speaksMalay()
{
    QVERIFY(installTranslations(*qApp, QStringLiteral("ms")));
    MainWindow window(m_client.get());
    QCOMPARE(window.findChild<QPushButton *>()->text(), QStringLiteral("Hantar"));
    QVERIFY(window.windowTitle().contains(QLatin1String("LAN chat")));
    QCOMPARE(m_client->typingText(QStringLiteral("general")), QString());
    QCOMPARE(ChatClient::describeError(QStringLiteral("name-taken"), {}, QStringLiteral("Ali")),
             QStringLiteral("Nama Ali sudah digunakan. Sila pilih nama lain."));
    // Back to English for the tests after this one.
    const QList<QTranslator *> translators = qApp->findChildren<QTranslator *>();
    for (QTranslator *translator : translators) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }
}

void tst_MainWindow::findsMessagesInTheRoom()
{
    auto b = ben({QStringLiteral("general")});
    QVERIFY(b);
    MessageModel *model = m_client->messages(QStringLiteral("general"));
    const QStringList texts {QStringLiteral("the build is green"), QStringLiteral("lunch?"),
                             QStringLiteral("Green tea for me"), QStringLiteral("ok"),
                             QStringLiteral("evergreen topic")};
    for (const QString &text : texts) {
        b->send(Requests::chat(QStringLiteral("general"), text, {}));
        b->take(QStringLiteral("message"));
    }
    QTRY_COMPARE(model->find(QStringLiteral("ok")).size(), 1);
    SearchBar *bar = m_window->searchBar();
    QVERIFY(!bar->isVisible());

    // Ctrl+F opens the bar with the keyboard in its field.
    QTRY_VERIFY(m_window->input()->hasFocus());
    QTest::keySequence(m_window->input(), QKeySequence::Find); // typed where the keyboard is
    QTRY_VERIFY(bar->isVisible());
    QTRY_VERIFY(bar->field()->hasFocus());
    QTest::keyClicks(bar->field(), QStringLiteral("GREEN"));
    // Three matches, case-insensitive; the newest is shown first.
    QTRY_COMPARE(bar->resultText(), QStringLiteral("1 of 3"));
    const QList<int> rows = model->find(QStringLiteral("green"));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(m_window->searchHitRow(), rows.last());
    QCOMPARE(model->index(rows.last()).data(MessageModel::TextRole).toString(),
             QStringLiteral("evergreen topic"));
    // Enter goes to older matches, Shift+Enter back to newer ones, and it wraps.
    QTest::keyClick(bar->field(), Qt::Key_Return);
    QCOMPARE(bar->resultText(), QStringLiteral("2 of 3"));
    QCOMPARE(model->index(m_window->searchHitRow()).data(MessageModel::TextRole).toString(),
             QStringLiteral("Green tea for me"));
    QTest::keyClick(bar->field(), Qt::Key_Return);
    QTest::keyClick(bar->field(), Qt::Key_Return);
    QCOMPARE(bar->resultText(), QStringLiteral("1 of 3"));
    QTest::keyClick(bar->field(), Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(bar->resultText(), QStringLiteral("3 of 3"));
    QCOMPARE(model->index(m_window->searchHitRow()).data(MessageModel::TextRole).toString(),
             QStringLiteral("the build is green"));
    // A new message that matches is counted; the hit stays on the same message.
    b->send(Requests::chat(QStringLiteral("general"), QStringLiteral("green again"), {}));
    QTRY_COMPARE(bar->resultText(), QStringLiteral("4 of 4"));
    QCOMPARE(model->index(m_window->searchHitRow()).data(MessageModel::TextRole).toString(),
             QStringLiteral("the build is green"));
    // Nothing found is said so.
    bar->field()->setText(QStringLiteral("purple"));
    QTRY_COMPARE(bar->resultText(), QStringLiteral("No matches"));
    QCOMPARE(m_window->searchHitRow(), -1);
    // Esc closes the bar and gives the keyboard back to the message box.
    bar->field()->setText(QStringLiteral("lunch"));
    QTRY_COMPARE(bar->resultText(), QStringLiteral("1 of 1"));
    QTest::keyClick(bar->field(), Qt::Key_Escape);
    QVERIFY(!bar->isVisible());
    QCOMPARE(m_window->searchHitRow(), -1);
    QTRY_VERIFY(m_window->input()->hasFocus());
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
