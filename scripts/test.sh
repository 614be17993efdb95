#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds with warnings as errors,
# and runs every test with ctest.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/install-deps.sh" test
BUILD_DIR=${BUILD_DIR:-$here/build} "$here/scripts/build.sh" -DCHAT_WERROR=ON
ctest --test-dir "${BUILD_DIR:-$here/build}" --output-on-failure -j2 --timeout 900
