// Requests that wait: names asked of the other servers (a cluster) and pages
// read on the store's reader thread (a shared store). The request that asked
// is kept with what the client sends meanwhile, and runs again with the answer
// in hand (Session::runAgain).
#include "sessionwait.h"

#include "identityregistry.h"
#include "storeworker.h"
#include "validation.h"

namespace Chat {

Session::Claim Session::claimName(const QString &username)
{
    const QString key = Validation::usernameKey(username);
    if (m_wait && m_wait->answered && !m_wait->read && !m_wait->account && !m_wait->takeOver
        && m_wait->key == key) {
        const std::unique_ptr<Wait> answer = std::move(m_wait);
        return {answer->identity, false, answer->unavailable};
    }
    if (!m_ctx.identities->isShared())
        return {m_ctx.identities->claim(username), false, false};
    waitForName(username, false);
    m_ctx.identities->claimShared(
        username,
        [self = QPointer<Session>(this),
         registry = m_ctx.identities](Identity *identity, IdentityRegistry::Refusal refusal) {
            if (self)
                self->onNameAnswer(identity, refusal == IdentityRegistry::Refusal::Unavailable);
            else if (identity)
                registry->release(identity); // the connection went meanwhile
        });
    return {nullptr, true, false};
}

void Session::refuseName(const Claim &claim, const QString &username, const QString &ref)
{
    if (claim.waiting)
        return; // not refused: asked
    if (claim.unavailable) {
        sendError(ErrorCode::ServerBusy,
                  QStringLiteral("Names cannot be checked with the other servers right now; "
                                 "try again in a moment."),
                  ref);
        return;
    }
    sendError(ErrorCode::NameTaken,
              QStringLiteral("The name %1 is already taken; choose another.").arg(username), ref);
}

void Session::waitForName(const QString &username, bool takeOver)
{
    Q_ASSERT(m_request);
    QList<QByteArray> deferred = m_wait ? std::move(m_wait->deferred) : QList<QByteArray> {};
    m_wait = std::make_unique<Wait>();
    m_wait->request = *m_request;
    m_wait->username = username;
    m_wait->key = Validation::usernameKey(username);
    m_wait->takeOver = takeOver;
    m_wait->deferred = std::move(deferred);
}

void Session::onNameAnswer(Identity *identity, bool unavailable)
{
    if (!m_wait || m_wait->answered || m_finished) {
        if (identity && identity->session() == nullptr)
            m_ctx.identities->release(identity); // nobody to give it to
        return;
    }
    m_wait->answered = true;
    m_wait->identity = identity;
    m_wait->unavailable = unavailable;
    runAgain();
}

void Session::runAgain()
{
    const Request request = m_wait->request;
    QList<QByteArray> later = std::exchange(m_wait->deferred, {});
    dispatch(request); // takes the answer (claimName, or the resume in handleHello)
    if (m_wait && m_wait->answered) {
        // The request went another way this time: nobody took the answer.
        if (m_wait->identity && m_wait->identity->session() != this)
            m_ctx.identities->release(m_wait->identity);
        m_wait.reset();
    }
    for (qsizetype i = 0; i < later.size() && !m_finished; ++i) {
        if (m_wait) { // waiting again: the rest waits too, in order
            m_wait->deferred = later.mid(i) + m_wait->deferred;
            return;
        }
        m_channel->beginDeferred();
        onChannelMessage(later[i]);
        m_channel->endDeferred();
    }
}

void Session::waitForRead(const QString &room, qint64 watermark, int tries, qint64 since,
                          bool forJoin)
{
    Q_ASSERT(m_request);
    QList<QByteArray> deferred = m_wait ? std::move(m_wait->deferred) : QList<QByteArray> {};
    m_wait = std::make_unique<Wait>();
    m_wait->request = *m_request;
    m_wait->deferred = std::move(deferred);
    m_wait->read = true;
    m_wait->room = room;
    m_wait->watermark = watermark;
    m_wait->tries = tries;
    const Request &r = m_wait->request;
    const int limit = forJoin
        ? (since >= 0 ? m_ctx.limits.historyPageMax : m_ctx.limits.historyOnJoin)
        : (r.limit > 0 ? r.limit : m_ctx.limits.historyOnJoin);
    const qint64 before = r.before.value_or(0);
    m_ctx.reader->run(
        [room, watermark, since, limit, forJoin, before](MessageStore &store) {
            ReadAnswer answer;
            if (!forJoin) {
                answer.page = store.before(
                    room, before > 0 ? qMin(before, watermark + 1) : watermark + 1, limit);
                return answer;
            }
            if (since >= 0) {
                const qint64 first = store.firstId(room);
                const bool gap = since < watermark && (first == 0 || since + 1 < first);
                answer.reset = since > watermark || gap;
            }
            answer.page = since >= 0 && !answer.reset ? store.after(room, since, limit)
                                                      : store.before(room, watermark + 1, limit);
            return answer;
        },
        [self = QPointer<Session>(this)](ReadAnswer answer) {
            if (!self || !self->m_wait || !self->m_wait->read || self->m_wait->answered
                || self->m_finished)
                return;
            self->m_wait->answered = true;
            self->m_wait->page = std::move(answer);
            self->runAgain();
        });
}

bool Session::readInHand(const QString &room, qint64 watermark, ReadAnswer *answer, bool forJoin,
                         qint64 since)
{
    if (!m_ctx.reader) {
        return false; // the caller reads on its own connection, here
    }
    if (m_wait && m_wait->answered && m_wait->read && m_wait->room == room) {
        const std::unique_ptr<Wait> done = std::move(m_wait);
        // Delivered here while it was read: the page would miss them (this
        // client is not a member yet). Read again, a few times, then top up here.
        if (done->watermark != watermark && done->tries < Wait::MaxReadTries) {
            waitForRead(room, watermark, done->tries + 1, since, forJoin);
            return false;
        }
        *answer = done->page;
        if (done->watermark < watermark && !answer->reset && !answer->page.more) {
            const MessageStore::Page rest
                = m_ctx.store->after(room, done->watermark, m_ctx.limits.historyPageMax);
            answer->page.messages.append(rest.messages);
        }
        return true;
    }
    waitForRead(room, watermark, 1, since, forJoin);
    return false;
}

} // namespace Chat
