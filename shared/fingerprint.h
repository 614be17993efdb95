// A certificate's SHA-256 fingerprint as people compare it: "AB:CD:...".
// chat-server prints it; the desktop client shows and pins it.
#pragma once

#include <QSslCertificate>
#include <QString>

namespace Chat {
QString certificateFingerprint(const QSslCertificate &certificate);
} // namespace Chat
