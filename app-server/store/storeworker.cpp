// The store's writer thread.
#include "storeworker.h"

#include "messagestore.h"

#include <QCoreApplication>
#include <QThread>

namespace Chat {

StoreWorker::StoreWorker(QObject *parent)
    : QObject(parent), m_thread(std::make_unique<QThread>()), m_runner(std::make_unique<QObject>())
{
    m_thread->setObjectName(QStringLiteral("store-writer"));
    m_runner->moveToThread(m_thread.get());
}

StoreWorker::~StoreWorker()
{
    stop();
}

bool StoreWorker::start(std::unique_ptr<MessageStore> store, QString *error, Mode mode)
{
    if (m_store || !store)
        return false;
    if (mode == Mode::Inline) {
        if (!store->open(error))
            return false;
        m_store = store.release();
        m_inline = true;
        return true;
    }
    m_thread->start();
    MessageStore *opened = nullptr;
    QString why;
    QMetaObject::invokeMethod(
        m_runner.get(),
        [&opened, &why, candidate = store.release()] {
            if (candidate->open(&why))
                opened = candidate;
            else
                delete candidate; // its connection belongs to this thread
        },
        Qt::BlockingQueuedConnection);
    if (!opened) {
        if (error)
            *error = why;
        m_thread->quit();
        m_thread->wait();
        return false;
    }
    m_store = opened;
    return true;
}

void StoreWorker::finish()
{
    while (m_pending > 0 && !m_inline) {
        // Jobs run in order: when this one has run, every earlier one has, and
        // their completions are posted to this object.
        QMetaObject::invokeMethod(
            m_runner.get(), [] {}, Qt::BlockingQueuedConnection);
        QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
    }
}

void StoreWorker::stop()
{
    if (!m_store)
        return;
    if (m_inline) {
        delete std::exchange(m_store, nullptr);
        return;
    }
    finish();
    MessageStore *store = std::exchange(m_store, nullptr);
    QMetaObject::invokeMethod(
        m_runner.get(), [store] { delete store; }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

} // namespace Chat
