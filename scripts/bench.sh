#!/usr/bin/env bash
# Runs chat-bench against chat-server and the documents' Node `ws` server
# (../shared/peers/node-ws-chat, copied and installed under build/peer) in one run.
# Extra arguments go to chat-bench, e.g. scripts/bench.sh --scenarios fanout --fanout 1000
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/install-deps.sh" run
BUILD_TYPE=Release "$here/scripts/build.sh" >/dev/null
peer_src=${PEER_DIR:-$here/../shared/peers/node-ws-chat}
peer=$here/build/peer
mkdir -p "$peer"
cp "$peer_src/server.js" "$peer_src/package.json" "$peer_src/package-lock.json" "$peer/"
(cd "$peer" && npm ci --no-audit --no-fund --loglevel=error)
ulimit -n 20000 2>/dev/null || true
exec "$here/build/tests/bench/chat-bench" --server "$here/build/app-server/chat-server" --peer "$peer/server.js" "$@"
