// The process's own figures, under the names Prometheus' client libraries use
// (process_cpu_seconds_total, process_resident_memory_bytes, ...), read from
// getrusage(), /proc/self and getrlimit().
#pragma once

#include <QtGlobal>

namespace Chat {

class MetricsText;

struct ProcessMetrics
{
    double cpuSeconds = 0; // user + system
    double residentBytes = 0;
    double virtualBytes = 0;
    double openFds = -1; // -1: unknown
    double maxFds = -1;
    double startTimeSeconds = 0; // since the Unix epoch

    static ProcessMetrics read();
    void writeTo(MetricsText &out) const;
};

} // namespace Chat
