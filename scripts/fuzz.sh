#!/usr/bin/env bash
# The fuzz stage of CI: every parser that takes outside bytes (tests/fuzz), with
# libFuzzer under ASan and UBSan. Deterministic: each target first runs its whole
# seed corpus (tests/fuzz/corpus/NAME) as a regression, then a fixed number of
# runs from a fixed seed, so the same commit always gives the same result. For
# that the address space is not randomised (setarch -R) and comparisons are not
# traced (-use_cmp=0): traced operands include pointers, whose values would
# steer the mutations differently from run to run. The long random fuzz keeps both.
# Usage: scripts/fuzz.sh [RUNS]   (default 500,000 per target, 10-60 s each)
# The long random fuzz that finds new inputs is scripts/fuzz-long.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-500000}
# shellcheck source=fuzz-common.sh
. "$here/scripts/fuzz-common.sh"
# Same addresses every run, where the kernel allows it.
fixed=(setarch "$(uname -m)" -R)
"${fixed[@]}" true 2>/dev/null || fixed=()
for target in $fuzz_targets; do
    corpus=$here/tests/fuzz/corpus/${target#fuzz_}
    work=$(mktemp -d)
    echo "== $target: $(ls "$corpus" | wc -l) corpus inputs, then $runs runs from seed 1"
    # 1. Every seed as a regression test.
    "${fixed[@]}" "$build/tests/fuzz/$target" -runs=0 -use_cmp=0 "${fuzz_flags[@]}" "$corpus" 2>&1 | grep -E "DONE|ERROR|SUMMARY|Done"
    # 2. A bounded, seeded search (new inputs go to a scratch folder, not the corpus).
    "${fixed[@]}" "$build/tests/fuzz/$target" -seed=1 -runs="$runs" -use_cmp=0 "${fuzz_flags[@]}" "$work" "$corpus" 2>&1 \
        | grep -E "DONE|ERROR|SUMMARY|Done"
    rm -rf "$work"
done
echo "fuzz: $fuzz_targets: corpus and $runs seeded runs each, no crash, no sanitizer report"
