#!/usr/bin/env bash
# Socket.IO fan-out: chat-server against the npm socket.io server running the
# documents' kampung handlers (tests/bench/socketio-peer.mjs), in one run; the
# servers on CPU 0, the socket.io-client load on CPU 1. A benchmark, not a test.
# Extra arguments go to tests/bench/socketio-fanout.mjs, e.g. --clients 1000 --seconds 10
CPU=1 exec "$(dirname "$0")/bench-node.sh" bench/socketio-fanout.mjs "$@"
