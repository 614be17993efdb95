// JSON numbers are doubles. A field that must hold an integer holds one only if
// the double is finite, whole and within range; anything else is refused, never
// cast (converting an out-of-range double to an integer is undefined behaviour).
#pragma once

#include <QJsonValue>

#include <optional>

namespace Chat {

// The largest integer a JSON number (a double) holds exactly: 2^53 - 1.
inline constexpr qint64 MaxSafeInteger = 9007199254740991;

// The integer in `value`, if it is a number, whole, and within [minimum, maximum]
// (maximum is capped at MaxSafeInteger). Otherwise nullopt.
std::optional<qint64> jsonInteger(const QJsonValue &value, qint64 minimum,
                                  qint64 maximum = MaxSafeInteger);

} // namespace Chat
