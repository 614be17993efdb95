#!/usr/bin/env bash
# The cluster smoke benchmark: 1, 2 and 3 chat-servers on one PostgreSQL and one
# Redis started here (tests/lib/postgres.mjs, tests/lib/redis.mjs), clients
# spread over them in one room. A benchmark, not a test: figures, no pass or fail.
# Extra arguments go to tests/bench/cluster.mjs, e.g. --clients 300 --rate 20
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/install-deps.sh" test
BUILD_TYPE=Release "$here/scripts/build.sh" >/dev/null
ulimit -n 20000 2>/dev/null || true
cd "$here/tests"
exec node bench/cluster.mjs --server "$here/build/app-server/chat-server" "$@"
