// Catching up with the store.
#include "storefollower.h"

#include "messagestore.h"
#include "room.h"
#include "roomregistry.h"
#include "storeworker.h"

namespace Chat {

namespace {
constexpr int PageSize = 500;

struct CatchUp
{
    QString room;
    QList<ChatMessage> messages;
    qint64 coveredUpTo = 0;
    bool complete = true; // nothing in the store after coveredUpTo
};

// On the writer's thread. The room's last id (`last`) was read first: every id
// up to it that the page (read after it) does not hold is gone.
CatchUp readAfter(MessageStore &store, const QString &room, qint64 after, qint64 last)
{
    CatchUp result {room, {}, after};
    if (last <= after)
        return result;
    const MessageStore::Page page = store.following(room, after, PageSize);
    result.messages = page.messages;
    result.complete = !page.more;
    const qint64 newest = page.messages.isEmpty() ? after : page.messages.constLast().id;
    result.coveredUpTo = page.more ? newest : qMax(last, newest);
    return result;
}
} // namespace

StoreFollower::StoreFollower(MessageStore *reader, StoreWorker *store, RoomRegistry *rooms,
                             QObject *parent)
    : QObject(parent), m_reader(reader), m_store(store), m_rooms(rooms)
{
    connect(&m_timer, &QTimer::timeout, this, &StoreFollower::poll);
    // Direct: the registry emits it inside the join, before the history is read.
    connect(m_rooms, &RoomRegistry::roomCreated, this, &StoreFollower::onRoomOpened);
    m_rooms->setGapFiller([this](const QString &room, qint64 after) { catchUp(room, after); });
}

StoreFollower::~StoreFollower()
{
    m_rooms->setGapFiller({});
}

void StoreFollower::onRoomOpened(Room *room)
{
    // While the room was closed here, other servers went on: nothing of it is
    // on its way to this server, so the store's last id is the watermark.
    const qint64 last = m_reader->lastId(room->name());
    if (last > m_rooms->delivered(room->name()))
        m_rooms->setDelivered(room->name(), last);
}

void StoreFollower::start(int intervalMs)
{
    m_timer.start(intervalMs);
}

void StoreFollower::poll()
{
    if (m_polling)
        return;
    QList<std::pair<QString, qint64>> marks;
    for (const Room *room : m_rooms->rooms())
        marks.append({room->name(), m_rooms->delivered(room->name())});
    if (marks.isEmpty())
        return;
    m_polling = true;
    m_store->run(
        [marks](MessageStore &store) {
            // One read of every room's last id; a page only for the rooms behind.
            const QHash<QString, qint64> last = store.lastIds();
            QList<CatchUp> results;
            for (const auto &[room, after] : marks) {
                CatchUp c = readAfter(store, room, after, last.value(room));
                if (!c.messages.isEmpty() || c.coveredUpTo > after)
                    results.append(std::move(c));
            }
            return results;
        },
        [this](const QList<CatchUp> &results) {
            m_polling = false;
            for (const CatchUp &c : results)
                m_rooms->caughtUp(c.room, c.messages, c.coveredUpTo, c.complete);
        });
}

void StoreFollower::catchUp(const QString &room, qint64 after)
{
    m_store->run(
        [room, after](MessageStore &store) {
            return readAfter(store, room, after, store.lastId(room));
        },
        [this](const CatchUp &c) {
            m_rooms->caughtUp(c.room, c.messages, c.coveredUpTo, c.complete);
        });
}

} // namespace Chat
