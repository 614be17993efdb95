#!/usr/bin/env bash
# The packages under systemd, as on a Debian box: boots a container
# (systemd-nspawn) whose root is this machine's own, overlaid with a throwaway
# tmpfs, installs DEBDIR's packages in it with dpkg -i, lets systemd start
# chat-server.service, and has a one-shot unit inside look at it and power the
# container off. Prints what it saw as key=value lines. No network of its own
# but loopback; nothing it writes reaches this machine. Needs root.
# Usage: boot.sh DEBDIR
set -euo pipefail
debs=$(cd "$1" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "boot.sh: needs root" >&2; exit 1; }
command -v systemd-nspawn > /dev/null || { echo "boot.sh: systemd-nspawn is missing (systemd-container)" >&2; exit 1; }
work=$(mktemp -d /tmp/chat-boot-XXXXXX)
root=$work/root
cleanup() {
    umount "$root" 2> /dev/null || true
    umount "$work/upper" 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/upper" "$root"
mount -t tmpfs chat-boot "$work/upper"
mkdir -p "$work/upper/data" "$work/upper/work"
mount -t overlay chat-boot -o "lowerdir=/,upperdir=$work/upper/data,workdir=$work/upper/work" "$root"
# A machine of its own (its journal apart from this one's), not yet set up.
systemd-id128 new > "$root/etc/machine-id"
rm -f "$root/etc/systemd/system/multi-user.target.wants/chat-server.service"
# A fresh machine has no state of the service's: whatever this one keeps there
# (the packaging test's data left after its purge) stays out of the container.
rm -rf "$root/var/lib/lanchat" "$root/var/lib/private/lanchat"

nspawn=(systemd-nspawn --quiet --register=no --keep-unit -D "$root")
"${nspawn[@]}" --bind-ro="$debs:/debs" sh -c 'dpkg -i /debs/lanchat-server_*.deb > /dev/null' \
    || { echo "boot.sh: dpkg -i failed in the container" >&2; exit 1; }

# The look inside, once chat-server.service has started (or failed to).
cat > "$root/usr/local/sbin/lanchat-check" << 'CHECK'
#!/bin/sh
out=/lanchat-check.txt
for _ in $(seq 100); do
    state=$(systemctl is-active chat-server.service)
    [ "$state" = active ] || [ "$state" = failed ] && break
    sleep 0.1
done
{
    echo "enabled=$(systemctl is-enabled chat-server.service)"
    echo "active=$(systemctl is-active chat-server.service)"
    systemctl show chat-server.service -p Type -p DynamicUser -p NRestarts -p Result
    pid=$(systemctl show chat-server.service -p MainPID --value)
    echo "user=$(ps -o user= -p "$pid" | tr -d ' ')"
    echo "capabilities=$(grep CapEff /proc/"$pid"/status | awk '{print $2}')"
    echo "no_new_privs=$(grep NoNewPrivs /proc/"$pid"/status | awk '{print $2}')"
    echo "seccomp=$(grep '^Seccomp:' /proc/"$pid"/status | awk '{print $2}')"
    echo "healthz=$(curl -fsS http://127.0.0.1:8080/healthz)"
    echo "upgrade=$(curl -s -i -m 3 -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
        -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \
        http://127.0.0.1:8080/ | head -1 | tr -d '\r')"
    echo "metrics_lines=$(curl -fsS http://127.0.0.1:8080/metrics | grep -c '^chat_')"
    echo "store=$(ls /var/lib/lanchat/chat.sqlite 2> /dev/null)"
    echo "store_owner=$(stat -c %U /var/lib/private/lanchat/chat.sqlite 2> /dev/null)"
    systemctl reload chat-server.service
    sleep 0.5
    echo "after_reload=$(systemctl is-active chat-server.service) pid_kept=$([ "$(systemctl show chat-server.service -p MainPID --value)" = "$pid" ] && echo yes || echo no)"
    echo "reloaded_logged=$(journalctl -u chat-server.service -o cat | grep -c 'configuration reloaded')"
    # A misspelt setting: the reload is refused with a warning, the service goes on.
    cp /etc/lanchat/chat-server.conf /root/conf.saved
    echo "rate-limt=3" >> /etc/lanchat/chat-server.conf
    systemctl reload chat-server.service
    sleep 0.5
    echo "bad_reload=$(systemctl is-active chat-server.service) warned=$(journalctl -u chat-server.service -p warning -o cat | grep -c 'unknown setting rate-limt')"
    cp /root/conf.saved /etc/lanchat/chat-server.conf
    echo "journal_priorities=$(journalctl -u chat-server.service -o json | grep -o '"PRIORITY":"[0-9]"' | sort -u | tr '\n' ' ')"
    echo "journal_timestamp_prefix=$(journalctl -u chat-server.service -o cat | grep -c '^20[0-9][0-9]-')"
    echo "backup=$(chat-server --config /etc/lanchat/chat-server.conf backup /root/backup.sqlite 2>&1)"
    echo "exposure=$(systemd-analyze security chat-server.service --no-pager 2>&1 | sed -n 's/.*Overall exposure level for chat-server.service: \([0-9.]*\).*/\1/p')"
    systemctl stop chat-server.service
    echo "stopped=$(systemctl is-active chat-server.service) result=$(systemctl show chat-server.service -p Result --value)"
    echo "log_tail<<"
    journalctl -u chat-server.service -o cat --no-pager | tail -5
} > "$out" 2>&1
systemctl poweroff
CHECK
chmod 755 "$root/usr/local/sbin/lanchat-check"
cat > "$root/etc/systemd/system/lanchat-check.service" << 'UNIT'
[Unit]
Description=Look at chat-server.service, then power off
After=chat-server.service
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/lanchat-check
[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/lanchat-check.service "$root/etc/systemd/system/multi-user.target.wants/lanchat-check.service"

timeout 180 "${nspawn[@]}" --private-network -b > "$work/boot.log" 2>&1 || true
if [ ! -s "$root/lanchat-check.txt" ]; then
    echo "boot.sh: the container did not report; its console:" >&2
    tail -40 "$work/boot.log" >&2
    exit 1
fi
cat "$root/lanchat-check.txt"
