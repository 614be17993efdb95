# Sourced by fuzz.sh and fuzz-long.sh: builds the fuzz targets into build-fuzz/.
command -v clang++ >/dev/null || { echo "fuzz: clang++ is missing (apt-get install clang)"; exit 1; }
dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q "install ok installed" || {
    echo "fuzz: libclang-rt-14-dev is missing"; exit 1; }
fuzz_targets="fuzz_protocol fuzz_servermessage fuzz_frames fuzz_deflate fuzz_requesthead fuzz_socketio fuzz_jwt"
build=$here/build-fuzz
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DCHAT_FUZZ=ON >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" -j2 --target $fuzz_targets
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export QT_HASH_SEED=0 # Qt's hashes iterate in one order, so a seeded run is repeatable
fuzz_flags=(-max_len=4096 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$build/")
