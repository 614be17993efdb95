#!/usr/bin/env bash
# A LAN of the test's own: a network namespace with two addresses on a veth
# pair (10.77.x.1 and 10.77.x.2), a private system bus (dbus-daemon) and an
# avahi-daemon on it, nothing shared with the machine's own network or buses.
# Runs COMMAND... inside it with DBUS_SYSTEM_BUS_ADDRESS set, then tears it all
# down. Needs root (ip netns). Usage: lan.sh COMMAND...
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "lan.sh: needs root (ip netns, mounts)" >&2; exit 1; }
for tool in ip dbus-daemon avahi-daemon unshare; do
    command -v "$tool" > /dev/null || { echo "lan.sh: $tool is missing" >&2; exit 1; }
done
ns=chat-lan-$$
work=$(mktemp -d /tmp/chat-lan-XXXXXX)
net=$(( ($$ % 200) + 20 ))
cleanup() {
    for pidfile in "$work"/*.pid; do
        [ -e "$pidfile" ] && kill "$(cat "$pidfile")" 2> /dev/null || true
    done
    ip netns pids "$ns" 2> /dev/null | xargs -r kill 2> /dev/null || true
    ip netns del "$ns" 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$ns"
in_ns() { ip netns exec "$ns" "$@"; }
in_ns ip link set lo up
in_ns ip link add lana type veth peer name lanb
in_ns ip addr add "10.77.$net.1/24" dev lana
in_ns ip addr add "10.77.$net.2/24" dev lanb
in_ns ip link set lana up
in_ns ip link set lanb up

cat > "$work/bus.conf" << CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$work/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
CONF
cat > "$work/avahi.conf" << CONF
[server]
use-ipv4=yes
use-ipv6=no
allow-interfaces=lana,lanb
enable-dbus=yes
ratelimit-interval-usec=1000000
ratelimit-burst=1000
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
CONF
in_ns dbus-daemon --config-file="$work/bus.conf" --fork --print-pid > "$work/dbus.pid"
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/system_bus_socket"
for _ in $(seq 100); do [ -S "$work/system_bus_socket" ] && break; sleep 0.05; done
touch "$work/avahi.log"
# avahi-daemon keeps its pid file and socket in /run/avahi-daemon: a private
# tmpfs there (a mount namespace of its own) keeps it apart from any other.
in_ns unshare -m sh -c "mkdir -p /run/avahi-daemon && mount -t tmpfs chat-lan /run/avahi-daemon && exec avahi-daemon --no-drop-root --no-chroot --no-rlimits -f '$work/avahi.conf'" \
    > "$work/avahi.log" 2>&1 &
echo $! > "$work/avahi.pid"
for _ in $(seq 200); do grep -q "Server startup complete" "$work/avahi.log" && break; sleep 0.05; done
grep -q "Server startup complete" "$work/avahi.log" || { cat "$work/avahi.log" >&2; exit 1; }
echo "lan.sh: namespace $ns, addresses 10.77.$net.1 and 10.77.$net.2, avahi-daemon up" >&2
export CHAT_LAN_ADDRESSES="10.77.$net.1 10.77.$net.2"
set +e
in_ns env DBUS_SYSTEM_BUS_ADDRESS="$DBUS_SYSTEM_BUS_ADDRESS" CHAT_LAN_ADDRESSES="$CHAT_LAN_ADDRESSES" "$@"
status=$?
[ $status -ne 0 ] && { echo "--- avahi-daemon:" >&2; tail -20 "$work/avahi.log" >&2; }
exit $status
