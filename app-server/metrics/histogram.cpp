#include "histogram.h"

#include <algorithm>

namespace Chat {

Histogram::Histogram(QList<double> bounds) : m_bounds(std::move(bounds))
{
    Q_ASSERT(std::is_sorted(m_bounds.cbegin(), m_bounds.cend()));
    m_counts.fill(0, m_bounds.size() + 1);
}

void Histogram::observe(double value)
{
    // "le": the first bound the value does not exceed.
    const auto at = std::lower_bound(m_bounds.cbegin(), m_bounds.cend(), value);
    ++m_counts[at - m_bounds.cbegin()];
    m_sum += value;
    ++m_count;
}

QList<double> Histogram::latencyBounds()
{
    return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
}

} // namespace Chat
