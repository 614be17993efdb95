#!/usr/bin/env bash
# Builds the Debian packages lanchat-server and lanchat-client (Release, with
# CPack) into OUTDIR (default: dist/), then runs lintian on them when it is
# installed. Usage: scripts/package.sh [OUTDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$here/dist}" && cd "${1:-$here/dist}" && pwd)
build=${CHAT_PACKAGE_BUILD_DIR:-$here/build-package}
"$here/scripts/install-deps.sh" package

# Debian's hardening flags: fortified libc calls, full RELRO and BIND_NOW.
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cxxflags="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CXXFLAGS)"
ldflags=$(dpkg-buildflags --get LDFLAGS)
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
    -DCMAKE_CXX_FLAGS="$cxxflags" -DCMAKE_EXE_LINKER_FLAGS="$ldflags" \
    -DCHAT_BUILD_TESTS=OFF -DCHAT_WERROR=ON > "$out/configure.log" \
    || { cat "$out/configure.log"; exit 1; }
cmake --build "$build" -j"${CHAT_JOBS:-2}"
# What Debian's dh_strip removes besides the symbols CPack strips: the
# compilers' ident strings (crt files and libraries carry them too).
for binary in "$build/app-server/chat-server" "$build/app-client/chat-client"; do
    [ -e "$binary" ] && objcopy --remove-section=.comment "$binary"
done
(cd "$build" && cpack -G DEB -B "$out/cpack" > "$out/cpack.log") \
    || { cat "$out/cpack.log"; exit 1; }
# CPack leaves its work folder beside the packages.
mv "$out"/cpack/*.deb "$out"/
rm -rf "$out/cpack"
ls -1 "$out"/*.deb
if command -v lintian > /dev/null; then
    # The packages carry their overrides, each explained
    # (resources/packaging/lintian/); anything else fails the build.
    lintian --fail-on error,warning --display-info "$out"/*.deb
fi
