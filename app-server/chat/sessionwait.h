// Session::Wait: a request that waits for an answer from elsewhere (a name
// asked of the other servers, a page read on the store's reader thread), with
// what the client sends meanwhile. Private to session.cpp and sessionwait.cpp.
#pragma once

#include "accountservice.h"
#include "identity.h"
#include "session.h"

#include <QPointer>

namespace Chat {

struct Session::Wait
{
    // What a client may send while its name is being asked about (a hello, then
    // a join and a few posts at once is normal); more is a client not waiting.
    static constexpr qsizetype MaxDeferred = 64;
    // A join's page read again when messages were delivered while it was read.
    static constexpr int MaxReadTries = 4;

    Request request; // runs again with the answer
    QList<QByteArray> deferred; // what the client sent meanwhile, in order
    bool answered = false;
    // A name asked of the other servers.
    QString username; // the name asked about
    QString key; // ... case-folded
    bool takeOver = false; // a resume of an identity held on another server
    bool unavailable = false; // the answer: the servers could not agree now
    QPointer<Identity> identity; // the answer: null if refused
    // Or an account request on the accounts worker (a sign-in, a token).
    bool account = false;
    // Or a page read on the store's reader (a shared store).
    bool read = false;
    QString room;
    qint64 watermark = 0; // the room's, when the read was asked
    int tries = 0;
    ReadAnswer page;
};

struct Session::AccountAnswer
{
    AccountService::Outcome outcome;
};

} // namespace Chat
