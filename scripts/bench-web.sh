#!/usr/bin/env bash
# The browser client's message list in Chromium (tests/bench/web-list.mjs): time
# per appended message from 100 to 10,000, and a 100,000-message room scrolled.
# Usage: scripts/bench-web.sh [APPEND_MAX] [SCROLL_ROOM]   (defaults 10000 100000)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/install-deps.sh" test
BUILD_TYPE=Release "$here/scripts/build.sh" >/dev/null
CHAT_SERVER_BIN="$here/build/app-server/chat-server" NODE_PATH="$here/tests/node_modules" \
    exec node "$here/tests/bench/web-list.mjs" "$@"
