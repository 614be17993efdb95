#!/usr/bin/env bash
# Installs what is missing, builds, and runs the chat: chat-server on port 8080
# (SQLite in the app-data folder) and, where there is a display, the desktop client.
# Extra arguments go to chat-server, e.g. scripts/run.sh --port 9000
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/install-deps.sh" run
"$here/scripts/build.sh"
bin=$here/build
port=8080
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    [ "${args[$i]}" = --port ] && port=${args[$((i + 1))]}
done

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$bin/app-client/chat-client" ]; then
    "$bin/app-server/chat-server" "$@" &
    server=$!
    trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT INT TERM
    for _ in $(seq 50); do
        curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
        sleep 0.1
    done
    echo "chat-server is running; browser users: http://$(hostname -I 2>/dev/null | awk '{print $1}'):$port/"
    "$bin/app-client/chat-client" --server "ws://127.0.0.1:$port"
else
    exec "$bin/app-server/chat-server" "$@"
fi
