// Writes metrics in the Prometheus text exposition format (version 0.0.4):
// a family's HELP and TYPE lines once, then its samples, label values escaped.
#pragma once

#include <QByteArray>
#include <QList>

#include <utility>

namespace Chat {

class Histogram;

class MetricsText
{
public:
    using Labels = QList<std::pair<QByteArray, QByteArray>>; // name -> value (UTF-8)

    enum class Type : quint8 { Counter, Gauge, Histogram };

    // What /metrics answers with.
    static constexpr const char *ContentType = "text/plain; version=0.0.4; charset=utf-8";

    // Starts a family; the samples that follow belong to it. A counter's name
    // ends in _total (the caller's business: it is part of the name).
    void family(const QByteArray &name, Type type, const QByteArray &help);
    void sample(double value, const Labels &labels = {});
    // A family with one sample.
    void counter(const QByteArray &name, const QByteArray &help, double value);
    void gauge(const QByteArray &name, const QByteArray &help, double value);
    // A histogram family: _bucket (cumulative, le="+Inf" last), _sum, _count.
    void histogram(const QByteArray &name, const QByteArray &help, const Histogram &histogram,
                   const Labels &labels = {});

    const QByteArray &text() const { return m_text; }

    // "1", "0.25", "1e-05", "+Inf", "NaN": what the format reads back.
    static QByteArray number(double value);
    // A label value: backslash, double quote and line feed escaped.
    static QByteArray escapeLabelValue(const QByteArray &value);

private:
    void line(const QByteArray &suffix, double value, const Labels &labels);

    QByteArray m_text;
    QByteArray m_name;
};

} // namespace Chat
