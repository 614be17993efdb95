#!/usr/bin/env bash
# Screenshot of the desktop client's main window under Xvfb, with a real server
# and a few people chatting: tests/client/screenshots/main-window[-LANG].png
# Usage: tests/client/screenshot.sh [BUILD_DIR] [LANG]
# With SEARCH=word (needs xdotool) the find bar is opened and the word searched:
# main-window-search.png. With ACCOUNTS=1 the server has --auth accounts and
# Aminah an account: the shot is the client asking for her password
# (sign-in[-LANG].png).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
lang=${2:-}
out=$here/tests/client/screenshots
mkdir -p "$out"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

auth=()
if [ -n "${ACCOUNTS:-}" ]; then
    echo 'a long desktop password' | "$build/app-server/chat-server" --db "$work/chat.sqlite" user add Aminah >/dev/null
    auth=(--auth accounts)
fi
"$build/app-server/chat-server" --host 127.0.0.1 --port 0 --db "$work/chat.sqlite" --log warning "${auth[@]}" >"$work/server.out" &
for _ in $(seq 100); do grep -q 'listening on port' "$work/server.out" && break; sleep 0.1; done
port=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$work/server.out")
if [ -z "${ACCOUNTS:-}" ]; then
    node "$here/tests/tools/seed.mjs" "$port"
    node "$here/tests/tools/seed.mjs" "$port" --live >/dev/null 2>&1 &
fi

name=main-window${lang:+-$lang}${SEARCH:+-search}
[ -n "${ACCOUNTS:-}" ] && name=sign-in${lang:+-$lang}
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
xvfb-run -a -s "-screen 0 960x640x24" bash -c "
    '$build/app-client/chat-client' --server ws://127.0.0.1:$port --user Aminah \
        --room general --room random --room design ${lang:+--lang $lang} &
    client=\$!
    sleep 6
    if [ -n '${SEARCH:-}' ]; then
        xdotool search --onlyvisible --name 'LAN chat' windowfocus; sleep 0.3; xdotool key ctrl+f; sleep 0.5; xdotool type '${SEARCH:-}'; sleep 1
    fi
    import -window root '$out/$name.png'
    kill \$client
"
echo "$out/$name.png"
