// Range- and integrality-checked JSON integers.
#include "jsoninteger.h"

#include <cmath>

namespace Chat {

std::optional<qint64> jsonInteger(const QJsonValue &value, qint64 minimum, qint64 maximum)
{
    if (!value.isDouble())
        return std::nullopt;
    maximum = std::min(maximum, MaxSafeInteger);
    minimum = std::max(minimum, -MaxSafeInteger);
    const double d = value.toDouble();
    // Written so that NaN fails every comparison; both bounds are exact doubles.
    if (!(d >= double(minimum) && d <= double(maximum)) || std::floor(d) != d)
        return std::nullopt;
    return static_cast<qint64>(d);
}

} // namespace Chat
