#!/usr/bin/env bash
# Fuzzes the protocol decoder and validation with libFuzzer under ASan and UBSan
# for a bounded time. Usage: scripts/fuzz.sh [SECONDS]   (default 60)
# New inputs go to a scratch folder; tests/fuzz/corpus (the seeds) is only read.
# A crash leaves its input in build-fuzz/ and fails the run.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is missing (apt-get install clang)"; exit 1; }
dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q "install ok installed" || {
    echo "fuzz.sh: libclang-rt-14-dev is missing"; exit 1; }
build=$here/build-fuzz
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DCHAT_FUZZ=ON >/dev/null
cmake --build "$build" -j2 --target fuzz_protocol
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
"$build/tests/fuzz/fuzz_protocol" "$work" "$here/tests/fuzz/corpus" -max_total_time="$seconds" \
    -max_len=4096 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$build/" -print_final_stats=1 2>&1 | tail -25
echo "fuzz: ${seconds} s on the protocol decoder, no crash, no sanitizer report"
