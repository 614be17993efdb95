#include "metricstext.h"

#include "histogram.h"

#include <QLocale>

#include <cmath>

namespace Chat {

namespace {
QByteArray escapeHelp(const QByteArray &help)
{
    QByteArray out;
    out.reserve(help.size());
    for (const char c : help) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

const char *typeName(MetricsText::Type type)
{
    switch (type) {
    case MetricsText::Type::Counter:
        return "counter";
    case MetricsText::Type::Gauge:
        return "gauge";
    case MetricsText::Type::Histogram:
        return "histogram";
    }
    return "untyped";
}
} // namespace

QByteArray MetricsText::number(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    // Whole numbers as integers up to 2^53 (counters read naturally), else the
    // shortest form that reads back to the same double.
    if (value == std::floor(value) && std::fabs(value) < 9007199254740992.0)
        return QByteArray::number(qint64(value));
    // As Go's client writes them: plain decimals from 1e-4 up, exponents below.
    const double magnitude = std::fabs(value);
    return QByteArray::number(value, magnitude >= 1e-4 && magnitude < 1e21 ? 'f' : 'g',
                              QLocale::FloatingPointShortest);
}

QByteArray MetricsText::escapeLabelValue(const QByteArray &value)
{
    QByteArray out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

void MetricsText::family(const QByteArray &name, Type type, const QByteArray &help)
{
    m_name = name;
    m_text += "# HELP " + name + ' ' + escapeHelp(help) + '\n';
    m_text += "# TYPE " + name + ' ' + typeName(type) + '\n';
}

void MetricsText::sample(double value, const Labels &labels)
{
    line({}, value, labels);
}

void MetricsText::counter(const QByteArray &name, const QByteArray &help, double value)
{
    family(name, Type::Counter, help);
    sample(value);
}

void MetricsText::gauge(const QByteArray &name, const QByteArray &help, double value)
{
    family(name, Type::Gauge, help);
    sample(value);
}

void MetricsText::histogram(const QByteArray &name, const QByteArray &help,
                            const Histogram &histogram, const Labels &labels)
{
    family(name, Type::Histogram, help);
    quint64 cumulative = 0;
    const QList<double> &bounds = histogram.bounds();
    for (qsizetype i = 0; i <= bounds.size(); ++i) {
        cumulative += histogram.counts().at(i);
        Labels withLe = labels;
        withLe.emplaceBack("le", i < bounds.size() ? number(bounds.at(i)) : QByteArray("+Inf"));
        line("_bucket", double(cumulative), withLe);
    }
    line("_sum", histogram.sum(), labels);
    line("_count", double(histogram.count()), labels);
}

void MetricsText::line(const QByteArray &suffix, double value, const Labels &labels)
{
    m_text += m_name + suffix;
    if (!labels.isEmpty()) {
        m_text += '{';
        for (qsizetype i = 0; i < labels.size(); ++i) {
            if (i)
                m_text += ',';
            m_text += labels.at(i).first + "=\"" + escapeLabelValue(labels.at(i).second) + '"';
        }
        m_text += '}';
    }
    m_text += ' ' + number(value) + '\n';
}

} // namespace Chat
