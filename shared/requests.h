// Builders for what a client sends (wire protocol v1), used by the desktop client
// and the tests so that neither writes protocol JSON by hand.
#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace Chat::Requests {

QJsonObject hello(const QString &username, const QString &token = {}, const QString &resume = {},
                  const QString &client = {});
QJsonObject join(const QString &room, std::optional<qint64> since = std::nullopt);
QJsonObject leave(const QString &room);
QJsonObject chat(const QString &room, const QString &text, const QString &clientId = {});
QJsonObject typing(const QString &room, bool active);
QJsonObject history(const QString &room, std::optional<qint64> before, int limit = 0);
QJsonObject rooms();
// Accounts servers: a sign-in with the password, or with the token one gave.
QJsonObject login(const QString &username, const QString &password, const QString &device);
// `invite` may be empty (registration open).
QJsonObject registerAccount(const QString &username, const QString &password, const QString &invite,
                            const QString &device);
QJsonObject helloWithAccount(const QString &accountToken, const QString &resume,
                             const QString &client, const QString &serverPassword = {});
QJsonObject logout();
// A hello that asks for one `presence` frame for the joins and leaves of one
// moment in a room, instead of a user-joined or user-left for each.
QJsonObject batchingPresence(QJsonObject hello);

} // namespace Chat::Requests
