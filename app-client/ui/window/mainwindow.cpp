// Main window layout and bindings.
#include "mainwindow.h"

#include "accountdialogs.h"
#include "chatclient.h"
#include "connectionbar.h"
#include "messagedelegate.h"
#include "messageinput.h"
#include "messagemodel.h"
#include "messageview.h"
#include "notifier.h"
#include "preferencesdialog.h"
#include "roomlistmodel.h"
#include "roomspanel.h"
#include "searchbar.h"
#include "userlistmodel.h"
#include "validation.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QEvent>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QVBoxLayout>

namespace Chat {

MainWindow::MainWindow(ChatClient *client, DesktopNotifications *desktop, QWidget *parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_rooms(new RoomsPanel(client, this))
    , m_view(new MessageView(this))
    , m_roomTitle(new QLabel(this))
    , m_typing(new QLabel(this))
    , m_input(new MessageInput(this))
    , m_users(new QListView(this))
    , m_usersTitle(new QLabel(this))
    , m_connectionBar(new ConnectionBar(client->connection(), this))
    , m_notifier(new Notifier(client, this, desktop, this))
    , m_search(new SearchBar(this))
{
    QFont titleFont = m_roomTitle->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_roomTitle->setFont(titleFont);
    QFont typingFont = m_typing->font();
    typingFont.setItalic(true);
    m_typing->setFont(typingFont);
    m_typing->setMinimumHeight(m_typing->fontMetrics().height());
    m_typing->setAccessibleName(tr("Typing"));
    QFont bold = m_usersTitle->font();
    bold.setBold(true);
    m_usersTitle->setFont(bold);
    m_users->setModel(client->users());
    m_users->setAccessibleName(tr("People in this room"));
    m_users->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_users->setSelectionMode(QAbstractItemView::NoSelection);
    m_users->setFocusPolicy(Qt::NoFocus);
    // Accounts servers: a person's context menu (a direct message; a moderator's mute, kick).
    m_users->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_users, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        const QModelIndex index = m_users->indexAt(at);
        if (QMenu *menu = personMenu(index.data().toString()))
            menu->popup(m_users->viewport()->mapToGlobal(at));
    });
    connect(client, &ChatClient::devicesListed, this, &MainWindow::showDevices);
    connect(client, &ChatClient::moderationLogListed, this, &MainWindow::showModerationLog);

    auto *sendButton = new QPushButton(tr("Send"), this);
    sendButton->setAccessibleName(tr("Send"));
    auto *inputRow = new QHBoxLayout;
    inputRow->addWidget(m_input, 1);
    inputRow->addWidget(sendButton, 0, Qt::AlignBottom);

    auto *center = new QWidget(this);
    auto *centerLayout = new QVBoxLayout(center);
    centerLayout->setContentsMargins(0, 0, 0, 0);
    centerLayout->addWidget(m_roomTitle);
    centerLayout->addWidget(m_search);
    centerLayout->addWidget(m_view, 1);
    centerLayout->addWidget(m_typing);
    centerLayout->addLayout(inputRow);

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_usersTitle);
    rightLayout->addWidget(m_users);

    auto *splitter = new QSplitter(this);
    m_splitter = splitter;
    splitter->addWidget(m_rooms);
    splitter->addWidget(center);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 0);
    splitter->setSizes({180, 560, 160});
    splitter->setChildrenCollapsible(false);
    auto *page = new QWidget(this);
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(8, 8, 8, 4);
    pageLayout->addWidget(splitter);
    setCentralWidget(page);
    statusBar()->addWidget(m_connectionBar, 1);
    buildMenus();
    connect(m_notifier, &Notifier::roomRequested, this, &MainWindow::openRoom);
    connect(m_notifier, &Notifier::trayActivated, this, &MainWindow::bringToFront);
    connect(m_notifier, &Notifier::showRequested, this, &MainWindow::bringToFront);
    resize(960, 640);

    connect(m_input, &MessageInput::submitted, this, &MainWindow::submit);
    connect(m_input, &MessageInput::edited, client, &ChatClient::userTyping);
    connect(sendButton, &QPushButton::clicked, this, [this] {
        if (!m_input->toPlainText().trimmed().isEmpty())
            submit(m_input->toPlainText());
    });
    connect(client, &ChatClient::currentRoomChanged, this, &MainWindow::onCurrentRoomChanged);
    connect(client, &ChatClient::typingTextChanged, this,
            [this](const QString &room, const QString &text) {
                if (room == m_client->currentRoom())
                    m_typing->setText(text);
            });
    connect(client, &ChatClient::problem, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    connect(client->users(), &QAbstractItemModel::modelReset, this, [this] {
        m_usersTitle->setText(tr("People (%1)").arg(m_client->users()->rowCount()));
    });
    connect(client->users(), &QAbstractItemModel::rowsInserted, this, [this] {
        m_usersTitle->setText(tr("People (%1)").arg(m_client->users()->rowCount()));
    });
    connect(client->users(), &QAbstractItemModel::rowsRemoved, this, [this] {
        m_usersTitle->setText(tr("People (%1)").arg(m_client->users()->rowCount()));
    });
    connect(m_view, &MessageView::nearTop, this,
            [this] { m_client->loadOlder(m_client->currentRoom()); });
    connect(m_notifier, &Notifier::trayActivated, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    m_search->hide();
    connect(m_search, &SearchBar::searchChanged, this, &MainWindow::runSearch);
    connect(m_search, &SearchBar::olderRequested, this, [this] { stepSearch(-1); });
    connect(m_search, &SearchBar::newerRequested, this, [this] { stepSearch(1); });
    connect(m_search, &SearchBar::closed, this, &MainWindow::closeSearch);
    m_usersTitle->setText(tr("People (%1)").arg(0));
    onCurrentRoomChanged(client->currentRoom());
}

MainWindow::~MainWindow() = default;

QMenu *MainWindow::personMenu(const QString &name)
{
    ChatConnection *connection = m_client->connection();
    if (name.isEmpty() || connection->role().isEmpty()
        || name.compare(connection->username(), Qt::CaseInsensitive) == 0
        || name.endsWith(QLatin1String("(guest)")))
        return nullptr;
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->setObjectName(QStringLiteral("personMenu"));
    menu->addAction(tr("Send a &direct message"), this, [connection, name] {
        connection->request({{QStringLiteral("type"), QStringLiteral("open-dm")},
                             {QStringLiteral("usernames"), QJsonArray {name}}});
    });
    const QString room = m_client->currentRoom();
    const bool moderator = connection->role() == QLatin1String("moderator")
        || connection->role() == QLatin1String("admin");
    if (moderator && !room.isEmpty()) {
        menu->addSeparator();
        menu->addAction(tr("&Mute for 10 minutes"), this, [connection, name, room] {
            connection->request({{QStringLiteral("type"), QStringLiteral("mute")},
                                 {QStringLiteral("room"), room},
                                 {QStringLiteral("username"), name},
                                 {QStringLiteral("minutes"), 10}});
        });
        menu->addAction(tr("&Kick from this room"), this, [connection, name, room] {
            connection->request({{QStringLiteral("type"), QStringLiteral("kick")},
                                 {QStringLiteral("room"), room},
                                 {QStringLiteral("username"), name}});
        });
    }
    return menu;
}

void MainWindow::showDevices(const QJsonArray &devices)
{
    if (auto *old = findChild<DevicesDialog *>())
        old->close(); // a second Devices… replaces the first
    auto *dialog = new DevicesDialog(devices, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    ChatConnection *connection = m_client->connection();
    connect(dialog, &DevicesDialog::signOutRequested, this,
            [connection](const QString &deviceId, bool current) {
                if (current) {
                    connection->signOut();
                    return;
                }
                connection->request({{QStringLiteral("type"), QStringLiteral("revoke")},
                                     {QStringLiteral("device"), deviceId}});
            });
    connect(dialog, &DevicesDialog::signOutEverywhereRequested, this, [connection] {
        connection->request(
            {{QStringLiteral("type"), QStringLiteral("revoke")}, {QStringLiteral("all"), true}});
        connection->signOut();
    });
    dialog->open();
}

void MainWindow::showModerationLog(const QJsonArray &entries)
{
    if (auto *old = findChild<ModerationLogDialog *>())
        old->close();
    auto *dialog = new ModerationLogDialog(entries, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::buildMenus()
{
    QMenu *chat = menuBar()->addMenu(tr("&Chat"));
    chat->addAction(tr("&Preferences…"), this, &MainWindow::showPreferences);
    // Accounts servers: end this device's sign-in (the server forgets its
    // token; the sign-in dialog comes back).
    QAction *signOut
        = chat->addAction(tr("Sign &out"), this, [this] { m_client->connection()->signOut(); });
    signOut->setObjectName(QStringLiteral("signOut"));
    QAction *devices = chat->addAction(tr("&Devices…"), this, [this] {
        m_client->connection()->request({{QStringLiteral("type"), QStringLiteral("devices")}});
    });
    devices->setObjectName(QStringLiteral("devices"));
    devices->setEnabled(!m_client->connection()->accountToken().isEmpty());
    connect(m_client->connection(), &ChatConnection::accountTokenChanged, devices,
            [devices](const QString &token) { devices->setEnabled(!token.isEmpty()); });
    // Admins: who moderated what (the server's moderation_log).
    QAction *audit = chat->addAction(tr("&Moderation log…"), this, [this] {
        m_client->connection()->request(
            {{QStringLiteral("type"), QStringLiteral("audit")}, {QStringLiteral("limit"), 200}});
    });
    audit->setObjectName(QStringLiteral("moderationLog"));
    const auto showAudit = [audit, connection = m_client->connection()] {
        audit->setVisible(connection->role() == QLatin1String("admin"));
    };
    showAudit();
    connect(m_client->connection(), &ChatConnection::accountTokenChanged, audit, showAudit);
    connect(m_client->connection(), &ChatConnection::stateChanged, audit, showAudit);
    signOut->setEnabled(!m_client->connection()->accountToken().isEmpty());
    connect(m_client->connection(), &ChatConnection::accountTokenChanged, signOut,
            [signOut](const QString &token) { signOut->setEnabled(!token.isEmpty()); });
    chat->addSeparator();
    QAction *quit = chat->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *room = menuBar()->addMenu(tr("&Room"));
    QAction *find = room->addAction(tr("&Find in this room…"), m_search, &SearchBar::open);
    find->setShortcut(QKeySequence::Find);
    QAction *join
        = room->addAction(tr("&Join a room…"), this, [this] { m_rooms->joinEdit()->setFocus(); });
    join->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    QAction *next = room->addAction(tr("&Next room"), this, [this] { switchRoom(1); });
    next->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    QAction *previous = room->addAction(tr("P&revious room"), this, [this] { switchRoom(-1); });
    previous->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    room->addSeparator();
    room->addAction(tr("&Mute or unmute this room"), this, [this] {
        const QString current = m_client->currentRoom();
        if (!current.isEmpty())
            m_client->setMuted(current, !m_client->rooms()->isMuted(current));
    });
    room->addAction(tr("&Leave this room"), this, [this] {
        if (!m_client->currentRoom().isEmpty())
            m_client->leaveRoom(m_client->currentRoom());
    });

    QAction *privateRoom = room->addAction(tr("New &private room…"), this, [this] {
        auto *ask = new QInputDialog(this);
        ask->setAttribute(Qt::WA_DeleteOnClose);
        ask->setObjectName(QStringLiteral("privateRoomDialog"));
        ask->setWindowTitle(tr("New private room"));
        ask->setLabelText(tr("Room name (only the people you invite will see it):"));
        connect(ask, &QInputDialog::textValueSelected, this, [this](const QString &name) {
            if (!Validation::roomProblem(name).isEmpty())
                return;
            m_client->connection()->request(
                {{QStringLiteral("type"), QStringLiteral("create-room")},
                 {QStringLiteral("room"), name},
                 {QStringLiteral("private"), true}});
            m_client->joinRoom(name);
            m_client->setCurrentRoom(name);
        });
        ask->open();
    });
    privateRoom->setObjectName(QStringLiteral("privateRoom"));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About LAN chat"), this, &MainWindow::showAbout);
}

void MainWindow::onCurrentRoomChanged(const QString &room)
{
    for (const QMetaObject::Connection &c : std::as_const(m_modelWatch))
        disconnect(c);
    m_modelWatch.clear();
    m_view->messageDelegate()->setSearchHit({});
    m_matches.clear();
    m_matchAt = -1;
    MessageModel *model = m_client->messages(room);
    m_view->setModel(model);
    if (model) {
        // Rows move when history arrives above: search again, keeping the hit.
        m_modelWatch
            << connect(model, &QAbstractItemModel::rowsInserted, m_search, &SearchBar::refresh)
            << connect(model, &QAbstractItemModel::rowsRemoved, m_search, &SearchBar::refresh)
            << connect(model, &QAbstractItemModel::modelReset, m_search, &SearchBar::refresh);
    }
    m_search->refresh();
    m_roomTitle->setText(room.isEmpty() ? tr("No room open") : QLatin1Char('#') + room);
    m_input->setEnabled(!room.isEmpty());
    m_input->setPlaceholderText(
        room.isEmpty() ? tr("Join a room to start chatting")
                       : tr("Message #%1 (Enter sends, Shift+Enter for a new line)").arg(room));
    m_typing->setText(m_client->typingText(room));
    if (!room.isEmpty())
        m_input->setFocus();
}

int MainWindow::searchHitRow() const
{
    const QModelIndex hit = m_view->messageDelegate()->searchHit();
    return hit.isValid() ? hit.row() : -1;
}

void MainWindow::runSearch(const QString &text)
{
    const auto *model = qobject_cast<const MessageModel *>(m_view->model());
    const QModelIndex previous = m_view->messageDelegate()->searchHit();
    const qint64 keepId = previous.isValid() ? previous.data(MessageModel::IdRole).toLongLong() : 0;
    m_matches = model ? model->find(text) : QList<int>();
    m_matchAt = m_matches.size() - 1; // the newest first, like the list reads upwards
    if (keepId > 0) {
        for (qsizetype i = 0; i < m_matches.size(); ++i) {
            if (model->index(m_matches.at(i)).data(MessageModel::IdRole).toLongLong() == keepId) {
                m_matchAt = i;
                break;
            }
        }
    }
    showSearchHit();
}

void MainWindow::stepSearch(int step)
{
    if (m_matches.isEmpty())
        return;
    const qsizetype count = m_matches.size();
    m_matchAt = (m_matchAt + step + count) % count;
    showSearchHit();
}

void MainWindow::showSearchHit()
{
    MessageDelegate *delegate = m_view->messageDelegate();
    if (m_matchAt < 0 || m_matches.isEmpty() || !m_view->model()) {
        delegate->setSearchHit({});
        m_search->setResult(0, 0);
    } else {
        const QModelIndex hit = m_view->model()->index(m_matches.at(m_matchAt), 0);
        delegate->setSearchHit(hit);
        m_view->scrollTo(hit, QAbstractItemView::PositionAtCenter);
        m_search->setResult(int(m_matches.size() - m_matchAt), int(m_matches.size()));
    }
    m_view->viewport()->update();
}

void MainWindow::closeSearch()
{
    m_matches.clear();
    m_matchAt = -1;
    m_view->messageDelegate()->setSearchHit({});
    m_view->viewport()->update();
    m_input->setFocus();
}

void MainWindow::submit(const QString &text)
{
    const QString problem = m_client->sendText(text);
    if (problem.isEmpty()) {
        m_input->clear();
        m_view->scrollToBottom();
    } else {
        statusBar()->showMessage(problem, 8000);
    }
    m_input->setFocus();
}

void MainWindow::switchRoom(int step)
{
    const QStringList rooms = m_client->rooms()->names();
    if (rooms.isEmpty())
        return;
    const int at = int(rooms.indexOf(m_client->currentRoom()));
    m_client->setCurrentRoom(rooms.at((at + step + rooms.size()) % rooms.size()));
}

void MainWindow::showPreferences()
{
    PreferencesDialog dialog(m_client->notificationSettings(), m_desktop,
                             m_notifier->trayIcon() != nullptr, this);
    if (dialog.exec() == QDialog::Accepted) {
        m_client->setNotificationSettings(dialog.settings());
        m_desktop = dialog.desktop();
        emit preferencesChanged();
    }
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About LAN chat"),
                       tr("<b>LAN chat %1</b><p>Chat with the people on your network.</p>")
                           .arg(QApplication::applicationVersion()));
}

QByteArray MainWindow::saveLayout() const
{
    return m_splitter->saveState();
}

void MainWindow::restoreLayout(const QByteArray &layout)
{
    if (!layout.isEmpty())
        m_splitter->restoreState(layout);
}

void MainWindow::bringToFront()
{
    if (isMinimized())
        showNormal();
    else
        show();
    raise();
    activateWindow();
}

void MainWindow::openRoom(const QString &room)
{
    if (m_client->rooms()->names().contains(room))
        m_client->setCurrentRoom(room);
    bringToFront();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSystemTrayIcon *tray = m_notifier->trayIcon();
    if (m_desktop.closeToTray && tray && tray->isVisible()) {
        hide();
        event->ignore();
        if (!m_toldAboutTray) {
            m_toldAboutTray = true;
            tray->showMessage(tr("LAN chat is still running"),
                              tr("It keeps you posted from the tray. Quit from its menu."),
                              QApplication::windowIcon(), 4000);
        }
        return;
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::ActivationChange) {
        m_client->setWindowActive(isActiveWindow());
        if (isActiveWindow() && m_input->isEnabled())
            m_input->setFocus();
    }
    QMainWindow::changeEvent(event);
}

} // namespace Chat
