#!/usr/bin/env bash
# systemd Type=notify for real: `lvsctl director run` in a namespace with NOTIFY_SOCKET at a unix
# datagram socket this test listens on (python3), as systemd sets it, and under the capability
# bounding set of init.d/lvs-director.service (setpriv), so the unit's set is proven enough for a
# MASTER with its VIP. Asserts: READY=1 once the daemon answers on its control socket (first
# config applied); STATUS= names the instance and its state (MASTER once the VIP is up) and the
# real servers; SIGHUP gives RELOADING=1 then READY=1; SIGTERM gives STOPPING=1 and the daemon
# exits.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 setpriv
[ -x "$LVSCTL" ] || lab_skip "LVSCTL ($LVSCTL) is not an executable"
SRC=${LVSCTL_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
UNIT="$SRC/init.d/lvs-director.service"

lab_ns d1
lab_link d1 eth0 203.0.113.104/24
CONF=$LAB_TMP/keepalived.conf
RUN=$LAB_TMP/run-d1
SOCK=$LAB_TMP/notify.sock
LOG=$LAB_TMP/notify.log
mkdir -p "$RUN"
dir_conf "$CONF" 150 MASTER

# The listener: one line per datagram, "<message> | control=yes|no vip=yes|no" as found when it
# arrived (message newlines as '\n').
lab_spawn d1 python3 -u -c '
import os, socket, subprocess, sys
sock_path, log, run, vip = sys.argv[1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sock_path)
with open(log, "a") as out:
    while True:
        msg = s.recv(4096).decode(errors="replace").replace("\n", "\\n")
        control = os.path.exists(run + "/control.sock")
        addrs = subprocess.run(["ip", "-o", "addr", "show", "dev", "eth0"], capture_output=True, text=True).stdout
        out.write("%s | control=%s vip=%s\n" % (msg, "yes" if control else "no", "yes" if (" " + vip + "/") in addrs else "no"))
        out.flush()
' "$SOCK" "$LOG" "$RUN" "$VIP"
lab_wait 30 "[ -S '$SOCK' ]" || lab_fail "the notify listener did not start"

# The unit's CapabilityBoundingSet, as setpriv spells it.
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$UNIT" | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
[ -n "$caps" ] || lab_fail "no CapabilityBoundingSet in $UNIT"
lab_log "bounding set from the unit: $caps"
lab_spawn d1 env NOTIFY_SOCKET="$SOCK" setpriv --bounding-set "-all,$caps" -- \
  "$LVSCTL" --log-level debug director run -f "$CONF" --run-dir "$RUN" >>"$LAB_TMP/d1.log" 2>&1
DPID=$LAB_LAST_PID
fail() { cat "$LAB_TMP/d1.log" >&2; echo "--- notify messages:" >&2; cat "$LOG" >&2; lab_fail "$*"; }

lab_wait 60 "grep -q '^READY=1 ' '$LOG'" || fail "no READY=1 after start"
grep -m1 '^READY=1 ' "$LOG" | grep -q 'control=yes' || fail "READY=1 came before the control socket"
lab_log "start: $(grep -m1 '^READY=1 ' "$LOG")"
lab_wait 60 "dir_vip_on d1" || fail "the VIP did not come up under the unit's capabilities"
lab_wait 30 "grep -q '^STATUS=VIP_NSQ_100 MASTER; 0/0 real servers up | .*vip=yes' '$LOG'" \
  || fail "no STATUS= with VIP_NSQ_100 MASTER once the VIP is up"
lab_log "status: $(grep '^STATUS=' "$LOG" | tail -1)"

# SIGHUP (after a change, so the reload applies something): RELOADING=1, then READY=1.
sed -i 's/priority 150/priority 160/' "$CONF"
kill -HUP "$DPID"
lab_wait 60 "[ \$(grep -c '^READY=1 ' '$LOG') -ge 2 ]" || fail "no READY=1 after SIGHUP"
order=$(grep -o '^\(READY\|RELOADING\)=1' "$LOG" | tr '\n' ' ')
[ "$order" = "READY=1 RELOADING=1 READY=1 " ] || fail "reload messages in the wrong order: $order"
lab_log "reload: $order"

kill -TERM "$DPID"
lab_wait 60 "grep -q '^STOPPING=1 ' '$LOG'" || fail "no STOPPING=1 after SIGTERM"
lab_wait 60 "! kill -0 $DPID" || fail "the daemon did not exit after SIGTERM"
lab_log "stop: $(grep '^STOPPING=1' "$LOG")"
lab_log PASS
