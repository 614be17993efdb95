#!/usr/bin/env bash
# Runs one of the Node benchmarks in tests/bench/ against a Release build of
# chat-server: scripts/bench-node.sh SCRIPT [ARGS...] (the script gets
# --server PATH first). CPU=1 pins the Node load to CPU 1 (taskset).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/install-deps.sh" test
BUILD_TYPE=Release "$here/scripts/build.sh" >/dev/null
ulimit -n 20000 2>/dev/null || true
cd "$here/tests"
script=$1
shift
pin=()
[ -n "${CPU:-}" ] && pin=(taskset -c "$CPU")
exec "${pin[@]}" node "$script" --server "$here/build/app-server/chat-server" "$@"
