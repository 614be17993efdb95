#!/usr/bin/env bash
# The server's layers, checked on the sources (docs/architecture.md): each folder
# includes only from the layers below it, and WebSocket frames are built and
# parsed only in transport/ (protocol/ calls its writer).
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
server=$root/app-server
status=0

# folder -> the folders (and shared/) its files may include from
declare -A allowed=(
    [logging]="logging"
    [metrics]="metrics"
    [transport]="transport logging"
    [http]="http transport logging"
    [store]="store logging shared"
    [accounts]="accounts store logging shared"
    [bus]="bus shared"
    [chat]="chat accounts store bus logging metrics shared"
    [protocol/socketio]="protocol/socketio protocol chat accounts http transport store bus logging metrics shared"
    [protocol]="protocol chat accounts transport store bus logging metrics shared"
    [app]="app http protocol protocol/socketio chat accounts transport store bus logging metrics shared"
)

where() { # the folder that holds header $1, or "?"
    local found
    for dir in logging metrics transport http store accounts bus chat protocol protocol/socketio app; do
        [[ -e $server/$dir/$1 ]] && { echo "$dir"; return; }
    done
    [[ -e $root/shared/$1 ]] && { echo shared; return; }
    echo "?"
}

for dir in "${!allowed[@]}"; do
    for file in "$server/$dir"/*.h "$server/$dir"/*.cpp; do
        [[ -e $file ]] || continue
        while read -r header; do
            [[ $header == *.moc ]] && continue
            layer=$(where "$header")
            [[ $layer == "?" ]] && continue # generated (moc, resources)
            if [[ " ${allowed[$dir]} " != *" $layer "* ]]; then
                echo "layers: app-server/$dir/$(basename "$file") includes $layer/$header"
                status=1
            fi
        done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$file")
    done
done

# Frames: the parser and the writer are used only in transport/ (and the v1 codec).
while read -r hit; do
    echo "layers: frame code outside transport/: $hit"
    status=1
done < <(grep -rnE 'FrameParser|WireFrame::|\\x81|0x81' "$server" --include=*.cpp --include=*.h \
    | grep -v "^$server/transport/" \
    | grep -vE "^$server/protocol/(v1codec|socketio/engineiosession)\.cpp:.*WireFrame::(text|frame)\(" || true)

if [[ $status == 0 ]]; then
    echo "layers: ok (${#allowed[@]} folders; frames only in transport/)"
fi
exit $status
