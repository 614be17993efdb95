#!/usr/bin/env bash
# Socket.IO fan-out: chat-server against the npm socket.io server running the
# documents' kampung handlers (tests/bench/socketio-peer.mjs), in one run; the
# servers on CPU 0, the socket.io-client load on CPU 1. A benchmark, not a test.
# Extra arguments go to tests/bench/socketio-fanout.mjs, e.g. --clients 1000 --seconds 10
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/install-deps.sh" test
BUILD_TYPE=Release "$here/scripts/build.sh" >/dev/null
ulimit -n 20000 2>/dev/null || true
cd "$here/tests"
exec taskset -c 1 node bench/socketio-fanout.mjs --server "$here/build/app-server/chat-server" "$@"
