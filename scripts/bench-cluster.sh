#!/usr/bin/env bash
# The cluster smoke benchmark: 1, 2 and 3 chat-servers on one PostgreSQL and one
# Redis started here (tests/lib/postgres.mjs, tests/lib/redis.mjs), clients
# spread over them in one room. A benchmark, not a test: figures, no pass or fail.
# Extra arguments go to tests/bench/cluster.mjs, e.g. --clients 300 --rate 20
exec "$(dirname "$0")/bench-node.sh" bench/cluster.mjs "$@"
