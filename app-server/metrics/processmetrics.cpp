#include "processmetrics.h"

#include "metricstext.h"

#include <QDir>
#include <QFile>

#include <ctime>
#include <sys/resource.h>
#include <unistd.h>

namespace Chat {

namespace {
// When the process started: its start in clock ticks after boot (field 22 of
// /proc/self/stat) on the boot clock, put on the wall clock. Only /proc/self
// is read: a hardened unit (ProcSubset=pid) hides the rest of /proc.
double startTime()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    // The command name (field 2) is in parentheses and may hold spaces.
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    if (close < 0)
        return 0;
    const QList<QByteArray> fields = line.mid(close + 2).split(' '); // from field 3
    if (fields.size() < 20)
        return 0;
    const double sinceBoot = double(fields.at(19).toLongLong()) / double(sysconf(_SC_CLK_TCK));
    timespec boot {};
    timespec wall {};
    if (clock_gettime(CLOCK_BOOTTIME, &boot) != 0 || clock_gettime(CLOCK_REALTIME, &wall) != 0)
        return 0;
    const double bootedAt = (double(wall.tv_sec) + double(wall.tv_nsec) / 1e9)
        - (double(boot.tv_sec) + double(boot.tv_nsec) / 1e9);
    return bootedAt + sinceBoot;
}
} // namespace

ProcessMetrics ProcessMetrics::read()
{
    ProcessMetrics m;
    rusage usage {};
    if (getrusage(RUSAGE_SELF, &usage) == 0) {
        m.cpuSeconds = double(usage.ru_utime.tv_sec) + double(usage.ru_utime.tv_usec) / 1e6
            + double(usage.ru_stime.tv_sec) + double(usage.ru_stime.tv_usec) / 1e6;
    }
    // statm: sizes in pages: total program size, resident set, ...
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (statm.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> fields = statm.readAll().simplified().split(' ');
        const double page = double(sysconf(_SC_PAGESIZE));
        if (fields.size() >= 2) {
            m.virtualBytes = double(fields.at(0).toLongLong()) * page;
            m.residentBytes = double(fields.at(1).toLongLong()) * page;
        }
    }
    const QDir fds(QStringLiteral("/proc/self/fd"));
    if (fds.exists())
        m.openFds = double(fds.entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot).size());
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        m.maxFds = double(limit.rlim_cur);
    m.startTimeSeconds = startTime();
    return m;
}

void ProcessMetrics::writeTo(MetricsText &out) const
{
    out.counter("process_cpu_seconds_total", "User and system CPU time spent, in seconds.",
                cpuSeconds);
    out.gauge("process_resident_memory_bytes", "Resident memory size, in bytes.", residentBytes);
    out.gauge("process_virtual_memory_bytes", "Virtual memory size, in bytes.", virtualBytes);
    if (openFds >= 0)
        out.gauge("process_open_fds", "Open file descriptors.", openFds);
    if (maxFds >= 0)
        out.gauge("process_max_fds", "Most file descriptors the process may open.", maxFds);
    out.gauge("process_start_time_seconds",
              "Start time of the process since the Unix epoch, in seconds.", startTimeSeconds);
}

} // namespace Chat
