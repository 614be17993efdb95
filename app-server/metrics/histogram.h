// A Prometheus histogram: counts of observations at or under fixed upper
// bounds, their sum and their count. Cumulative buckets are made when written.
#pragma once

#include <QList>

namespace Chat {

class Histogram
{
public:
    // `bounds`: increasing upper bounds; +Inf is implied.
    explicit Histogram(QList<double> bounds);

    void observe(double value);

    const QList<double> &bounds() const { return m_bounds; }
    // Observations at or under bounds()[i] and above the bound before it; the
    // last entry counts those above every bound.
    const QList<quint64> &counts() const { return m_counts; }
    double sum() const { return m_sum; }
    quint64 count() const { return m_count; }

    // Seconds from 100 µs to 10 s, for latencies of the event loop and the store.
    static QList<double> latencyBounds();

private:
    QList<double> m_bounds;
    QList<quint64> m_counts;
    double m_sum = 0;
    quint64 m_count = 0;
};

} // namespace Chat
