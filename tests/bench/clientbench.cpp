// chat-client-bench: how the desktop client's message list copes with a room of
// 100,000 messages: time to load them into the model (as history pages), time
// for the view to lay them out, time to scroll through, time to search them and
// jump to a hit, and memory per message.
// Prints figures; it is a benchmark, not a test.
#include "messagemodel.h"
#include "messageview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QScrollBar>

#include <cstdio>

using namespace Chat;

static long rssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').constFirst().toLong();
    }
    return 0;
}

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int count = argc > 1 ? std::atoi(argv[1]) : 100000;
    const long before = rssKiB();

    MessageModel model(QStringLiteral("general"));
    model.setOwnName(QStringLiteral("Aminah"));
    QElapsedTimer timer;
    timer.start();
    // As the client gets them: the newest page first, then older pages of 200.
    const qint64 base = QDateTime::currentMSecsSinceEpoch() - qint64(count) * 60000;
    auto message = [&](qint64 id) {
        return ChatMessage {
            QStringLiteral("general"),
            id,
            id % 7 == 0 ? QStringLiteral("Ben") : QStringLiteral("Siti"),
            id % 10 == 0
                ? QStringLiteral("Message %1 with a link: https://example.org/%1").arg(id)
                : QStringLiteral("Message number %1 with some ordinary words in it, long enough "
                                 "to wrap on a narrow window now and then")
                      .arg(id),
            base + id * 60000,
            {}};
    };
    for (qint64 top = count; top > 0; top -= 200) {
        QList<ChatMessage> page;
        for (qint64 id = std::max<qint64>(1, top - 199); id <= top; ++id)
            page.append(message(id));
        model.prependHistory(page, [](const ChatMessage &) { return false; });
    }
    const qint64 loadMs = timer.elapsed();
    const long afterModel = rssKiB();

    MessageView view;
    view.resize(800, 600);
    view.show();
    timer.restart();
    view.setModel(&model);
    // Batched layout: wait until the whole list is laid out.
    while (view.verticalScrollBar()->maximum() == 0 || view.indexAt(QPoint(5, 5)).row() < 0)
        app.processEvents();
    QElapsedTimer settle;
    settle.start();
    int lastMax = -1;
    while (settle.elapsed() < 30000) {
        app.processEvents();
        const int max = view.verticalScrollBar()->maximum();
        if (max == lastMax && view.indexAt(QPoint(5, view.viewport()->height() - 5)).isValid())
            break;
        lastMax = max;
    }
    const qint64 layoutMs = timer.elapsed();

    // Scroll from the bottom to the top a page at a time, painting every page.
    QScrollBar *bar = view.verticalScrollBar();
    timer.restart();
    int pages = 0;
    qint64 worstPageMs = 0;
    for (int value = bar->maximum(); value >= 0 && pages < 2000;
         value -= view.viewport()->height()) {
        QElapsedTimer page;
        page.start();
        bar->setValue(value);
        view.viewport()->repaint();
        worstPageMs = std::max(worstPageMs, page.elapsed());
        ++pages;
    }
    const qint64 scrollMs = timer.elapsed();
    const long afterView = rssKiB();

    // Search as the find bar does: scan every row, then show the newest hit.
    qint64 worstSearchMs = 0;
    qint64 worstJumpMs = 0;
    qsizetype hits = 0;
    for (const QString &needle : {QStringLiteral("link"), QStringLiteral("siti"),
                                  QStringLiteral("zebra"), QStringLiteral("message 4242 ")}) {
        QElapsedTimer search;
        search.start();
        const QList<int> rows = model.find(needle);
        worstSearchMs = std::max(worstSearchMs, search.elapsed());
        hits += rows.size();
        for (int i = 0; i < 20 && i < rows.size(); ++i) {
            QElapsedTimer jump;
            jump.start();
            view.scrollTo(model.index(rows.at(rows.size() / 20 * i)),
                          QAbstractItemView::PositionAtCenter);
            view.viewport()->repaint();
            worstJumpMs = std::max(worstJumpMs, jump.elapsed());
        }
    }
    std::printf(
        "{\"scenario\":\"client-100k\",\"messages\":%d,\"load_ms\":%lld,\"layout_ms\":%lld,"
        "\"scroll_pages\":%d,"
        "\"scroll_ms_per_page\":%.2f,\"worst_page_ms\":%lld,\"model_bytes_per_message\":%.0f,"
        "\"total_bytes_per_message\":%.0f,\"worst_search_ms\":%lld,\"worst_jump_to_hit_ms\":%lld,"
        "\"search_hits\":%lld}\n",
        model.rowCount(), qint64(loadMs), qint64(layoutMs), pages,
        pages ? double(scrollMs) / pages : 0.0, qint64(worstPageMs),
        double(afterModel - before) * 1024.0 / count, double(afterView - before) * 1024.0 / count,
        qint64(worstSearchMs), qint64(worstJumpMs), qint64(hits));
    return 0;
}
