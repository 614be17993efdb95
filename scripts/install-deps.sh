#!/usr/bin/env bash
# Installs what is missing on Debian 12 to build and run (`run`), to build and
# test (`test`) or to build the Debian packages (`package`) of the LAN chat.
# Safe to run again: installs only what is missing.
set -euo pipefail
profile=${1:-run}

build=(build-essential cmake ninja-build ccache pkg-config
       qt6-base-dev qt6-base-dev-tools qt6-websockets-dev
       qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev libgl-dev
       libqt6sql6-sqlite libqt6sql6-psql libqt6svg6 qt6-qpa-plugins fonts-dejavu-core curl openssl libsystemd-dev
       libhiredis-dev libsodium-dev libssl-dev zlib1g-dev qtkeychain-qt6-dev)
# scripts/package.sh: CPack's dependency list (dpkg-shlibdeps, file) and lintian.
packaging=(dpkg-dev file lintian)
# The tests besides: promtool (prometheus), the packaging test's validators,
# private buses (dbus-daemon), a LAN of the tests' own (iproute2, avahi-daemon)
# a container booted under systemd (systemd-container), and the PostgreSQL
# server the store's tests make clusters of their own with (postgresql), and
# the Redis the bus tests start (redis-server), and HAProxy for docs/cluster.md's
# load balancer (haproxy).
testing=(xvfb xauth sqlite3 chromium python3 openssl clang libclang-rt-14-dev prometheus postgresql redis-server haproxy
         "${packaging[@]}" desktop-file-utils appstream man-db systemd
         dbus-daemon iproute2 avahi-daemon systemd-container procps)

packages=("${build[@]}")
[ "$profile" = test ] && packages+=("${testing[@]}")
[ "$profile" = package ] && packages+=("${packaging[@]}")
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ "$profile" = test ]; then
    here=$(cd "$(dirname "$0")/.." && pwd)
    # playwright-core drives Debian's chromium; it never downloads a browser.
    (cd "$here/tests" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
