// Pending outgoing messages, optionally persisted as JSON.
#include "outbox.h"

#include "clientlogging.h"
#include "jsoninteger.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QUuid>

namespace Chat {

Outbox::Outbox(QObject *parent) : QObject(parent) { }

Outbox::~Outbox() = default;

void Outbox::setStorageFile(const QString &path)
{
    m_file = path;
    m_items.clear();
    load();
    emit reloaded();
    emit changed();
}

void Outbox::dropRoom(const QString &room)
{
    if (m_items.removeIf([&room](const OutboxItem &item) { return item.room == room; }) == 0)
        return;
    save();
    emit changed();
}

OutboxItem Outbox::add(const QString &room, const QString &text)
{
    OutboxItem item {QUuid::createUuid().toString(QUuid::WithoutBraces), room, text,
                     QDateTime::currentMSecsSinceEpoch(), false};
    m_items.append(item);
    save();
    emit changed();
    return item;
}

qsizetype Outbox::indexOf(const QString &clientId) const
{
    for (qsizetype i = 0; i < m_items.size(); ++i) {
        if (m_items.at(i).clientId == clientId)
            return i;
    }
    return -1;
}

bool Outbox::contains(const QString &clientId) const
{
    return indexOf(clientId) >= 0;
}

bool Outbox::confirm(const QString &clientId)
{
    const qsizetype i = indexOf(clientId);
    if (i < 0)
        return false;
    m_items.removeAt(i);
    save();
    emit changed();
    return true;
}

bool Outbox::drop(const QString &clientId)
{
    return confirm(clientId);
}

void Outbox::markSent(const QString &clientId)
{
    if (const qsizetype i = indexOf(clientId); i >= 0)
        m_items[i].sent = true;
}

void Outbox::markUnsent(const QString &clientId)
{
    if (const qsizetype i = indexOf(clientId); i >= 0)
        m_items[i].sent = false;
}

std::optional<OutboxItem> Outbox::firstUnsent(const QSet<QString> &rooms) const
{
    for (const OutboxItem &item : m_items) {
        if (!item.sent && rooms.contains(item.room))
            return item;
    }
    return std::nullopt;
}

QStringList Outbox::rooms() const
{
    QStringList out;
    for (const OutboxItem &item : m_items) {
        if (!out.contains(item.room))
            out.append(item.room);
    }
    return out;
}

void Outbox::markAllUnsent()
{
    for (OutboxItem &item : m_items)
        item.sent = false;
}

QList<OutboxItem> Outbox::unsentFor(const QString &room) const
{
    QList<OutboxItem> out;
    for (const OutboxItem &item : m_items) {
        if (!item.sent && item.room == room)
            out.append(item);
    }
    return out;
}

void Outbox::save()
{
    if (m_file.isEmpty())
        return;
    QJsonArray array;
    for (const OutboxItem &item : std::as_const(m_items))
        array.append(QJsonObject {{QStringLiteral("clientId"), item.clientId},
                                  {QStringLiteral("room"), item.room},
                                  {QStringLiteral("text"), item.text},
                                  {QStringLiteral("created"), double(item.createdMs)}});
    QDir().mkpath(QFileInfo(m_file).absolutePath());
    QSaveFile file(m_file);
    if (!file.open(QIODevice::WriteOnly)
        || file.write(QJsonDocument(array).toJson(QJsonDocument::Compact)) < 0 || !file.commit())
        qCWarning(lcOutbox) << "cannot save the outbox to" << m_file;
}

void Outbox::load()
{
    QFile file(m_file);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QJsonArray array = QJsonDocument::fromJson(file.readAll()).array();
    QList<OutboxItem> loaded;
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        OutboxItem item {o.value(QLatin1String("clientId")).toString(),
                         o.value(QLatin1String("room")).toString(),
                         o.value(QLatin1String("text")).toString(),
                         jsonInteger(o.value(QLatin1String("created")), 0).value_or(0), false};
        if (!item.clientId.isEmpty() && !item.room.isEmpty() && !item.text.isEmpty()
            && !contains(item.clientId))
            loaded.append(item);
    }
    if (loaded.isEmpty())
        return;
    qCInfo(lcOutbox) << loaded.size() << "unsent messages from the last run";
    m_items = loaded;
}

} // namespace Chat
