// Where the desktop client keeps an accounts server's sign-in token: the
// system keychain (QtKeychain: the Secret Service, KWallet, ...), one entry per
// server. Never the password. Without a keychain (a bare desktop, a test
// machine) nothing is kept: the person signs in again next time, and is told
// so once (unavailable()).
#pragma once

#include <QObject>
#include <QUrl>

#include <functional>

namespace Chat {

class AccountKeychain final : public QObject
{
    Q_OBJECT
public:
    explicit AccountKeychain(QObject *parent = nullptr);

    // The token kept for the server (empty if none), later, on this thread.
    void load(const QUrl &server, std::function<void(const QString &token)> done);
    // Keeps it (an empty token: forgets it).
    void store(const QUrl &server, const QString &token);
    static QString keyFor(const QUrl &server);

signals:
    void unavailable(const QString &why);

private:
    bool m_warned = false;
};

} // namespace Chat
