// The sign-in token in the system keychain (accountkeychain.h).
#include "accountkeychain.h"

#include "clientlogging.h"

#include <qt6keychain/keychain.h>

namespace Chat {

namespace {
const QString &service()
{
    static const QString name = QStringLiteral("lanchat");
    return name;
}
} // namespace

AccountKeychain::AccountKeychain(QObject *parent) : QObject(parent) { }

QString AccountKeychain::keyFor(const QUrl &server)
{
    return QStringLiteral("sign-in %1://%2:%3")
        .arg(server.scheme(), server.host())
        .arg(server.port(server.scheme() == QLatin1String("wss") ? 443 : 80));
}

void AccountKeychain::load(const QUrl &server, std::function<void(const QString &)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(service(), this);
    job->setAutoDelete(true);
    job->setKey(keyFor(server));
    connect(job, &QKeychain::Job::finished, this, [this, job, done = std::move(done)] {
        if (job->error() == QKeychain::NoError) {
            done(job->textData());
            return;
        }
        if (job->error() != QKeychain::EntryNotFound && !m_warned) {
            m_warned = true;
            qCInfo(lcClientUi) << "no keychain:" << job->errorString();
            emit unavailable(job->errorString());
        }
        done({});
    });
    job->start();
}

void AccountKeychain::store(const QUrl &server, const QString &token)
{
    QKeychain::Job *job = nullptr;
    if (token.isEmpty()) {
        auto *remove = new QKeychain::DeletePasswordJob(service(), this);
        job = remove;
    } else {
        auto *write = new QKeychain::WritePasswordJob(service(), this);
        write->setTextData(token);
        job = write;
    }
    job->setAutoDelete(true);
    job->setKey(keyFor(server));
    connect(job, &QKeychain::Job::finished, this, [this, job, forget = token.isEmpty()] {
        if (job->error() == QKeychain::NoError
            || (forget && job->error() == QKeychain::EntryNotFound))
            return;
        if (!m_warned) {
            m_warned = true;
            qCInfo(lcClientUi) << "no keychain:" << job->errorString();
            emit unavailable(job->errorString());
        }
    });
    job->start();
}

} // namespace Chat
