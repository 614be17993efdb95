#!/usr/bin/env bash
# The long random fuzz, for developers before resolving work that touches a
# parser (not run by CI): each target for SECONDS (default 600) from a random
# seed. A crash stops with its input in build-fuzz/; add it to the target's
# corpus (tests/fuzz/corpus/NAME) once fixed. With --merge, the inputs that
# reach new code are minimised into the corpus, to be committed.
# Usage: scripts/fuzz-long.sh [--merge] [SECONDS] [TARGET...]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
merge=0
if [ "${1:-}" = --merge ]; then merge=1; shift; fi
seconds=${1:-600}
[ $# -gt 0 ] && shift
# shellcheck source=fuzz-common.sh
. "$here/scripts/fuzz-common.sh"
targets=${*:-$fuzz_targets}
for target in $targets; do
    corpus=$here/tests/fuzz/corpus/${target#fuzz_}
    work=$build/found/${target#fuzz_}
    mkdir -p "$work"
    echo "== $target: ${seconds} s from a random seed"
    "$build/tests/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 "${fuzz_flags[@]}" \
        "$work" "$corpus" 2>&1 | tail -12
    if [ "$merge" = 1 ]; then
        "$build/tests/fuzz/$target" -merge=1 "${fuzz_flags[@]}" "$corpus" "$work" 2>&1 | tail -2
    fi
done
echo "fuzz-long: $targets, ${seconds} s each, no crash"
