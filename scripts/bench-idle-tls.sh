#!/usr/bin/env bash
# Idle memory per connection over wss:// and ws:// (tests/bench/idle-tls.mjs), on a
# Release build: scripts/bench-idle-tls.sh [N]   (default 2000 connections)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/install-deps.sh" run
BUILD_TYPE=Release "$here/scripts/build.sh" >/dev/null
ulimit -n 20000 2>/dev/null || true
NODE_PATH="$here/tests/node_modules" exec node "$here/tests/bench/idle-tls.mjs" "$here/build/app-server/chat-server" "${1:-2000}"
