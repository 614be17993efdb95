// Comparing secrets (the server password, resume tokens) without leaking, through
// timing, where the first difference is.
#pragma once

#include <QString>

namespace Chat {

// Compares fixed-size digests of both, every byte looked at.
bool sameSecret(const QString &a, const QString &b);

} // namespace Chat
