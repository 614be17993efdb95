#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds with warnings as errors,
# runs every test with ctest, then builds and runs the suite again under
# AddressSanitizer + UndefinedBehaviorSanitizer, then fuzzes every parser: the
# seed corpus, then FUZZ_RUNS (default 500,000) runs per target from a fixed seed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/install-deps.sh" test

echo "== build and test"
BUILD_DIR=$here/build "$here/scripts/build.sh" -DCHAT_WERROR=ON -DCHAT_SANITIZE=OFF
ctest --test-dir "$here/build" --output-on-failure -j2 --timeout 900

if [ "${SKIP_SANITIZERS:-0}" != 1 ]; then
    echo "== build and test under ASan + UBSan"
    BUILD_DIR=$here/build-asan "$here/scripts/build.sh" -DCHAT_WERROR=ON -DCHAT_SANITIZE=ON
    # A small quarantine: ASan's default keeps 256 MiB of freed memory resident,
    # which the memory-bound checks of the hostile-input suite would count.
    export ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:quarantine_size_mb=16
    export LSAN_OPTIONS=suppressions=$here/tests/sanitizers/lsan.supp:print_suppressions=0
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    ctest --test-dir "$here/build-asan" --output-on-failure -j2 --timeout 1800
    unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS

    echo "== fuzz every parser (corpus, then seeded runs)"
    "$here/scripts/fuzz.sh" "${FUZZ_RUNS:-500000}"
fi
