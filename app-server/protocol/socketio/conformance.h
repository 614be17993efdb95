// What the official test suites (docs/engine.io-protocol/v4-test-suite and
// docs/socket.io-protocol/v5-test-suite in socketio/socket.io) expect of the
// server they test, for --socketio-conformance (tests only): an Engine.IO echo,
// and Socket.IO namespaces "/" and "/custom" that emit "auth" with the CONNECT
// payload, answer "message" with "message-back" and "message-with-ack" through
// the ack, attachments included.
#pragma once

#include "socketioconnection.h"

namespace Chat::Conformance {

// Rides on an Engine.IO session: every message goes back as it came.
std::unique_ptr<QObject> engineEcho(EngineIoSession *session);

class EchoNamespace final : public SocketIoNamespace
{
public:
    void connected(SocketIoSocket *socket, const QJsonObject &auth) override;
};

} // namespace Chat::Conformance
