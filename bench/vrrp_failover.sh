#!/usr/bin/env bash
# Failover time in the netns lab, lvsctl and keepalived 2.2.7 in the same run.
# For each implementation and case (kill -9 / SIGTERM of the master; v2 advert_int 1 and v3
# advert_int 0.1) it measures, over RUNS runs (default 5), the time from the event until
#   - the VIP is on the backup's interface, and
#   - a client's TCP connection to the VIP is answered by the backup,
# and prints the median and range (the VIP is watched by binding to it every millisecond, the
# client connects every 5 ms), with the load average. Figures only, never assertions. Needs root.
# Usage: bash bench/vrrp_failover.sh [RUNS]   (LVSCTL=path/to/lvsctl, default build/lvsctl)
here=$(cd "$(dirname "$0")" && pwd)
LVSCTL=${LVSCTL:-$here/../build/lvsctl}
. "$here/../tests/lib/netns.sh"
. "$here/../tests/lib/director.sh"
lab_require_root
lab_require python3 keepalived
RUNS=${1:-5}
set +e  # a failed run is reported as missing, not fatal

dir_lab
# A tiny TCP server on each director answers with its name; the client polls the VIP.
cat >"$LAB_TMP/serve.py" <<'PY'
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8080)); s.listen(64)
while True:
    c, _ = s.accept(); c.sendall(sys.argv[1].encode()); c.close()
PY
cat >"$LAB_TMP/poll.py" <<'PY'
import socket, sys, time
# Prints the wall-clock time at which the VIP first answers with the wanted name (20 s deadline).
# It touches the file argv[2] once it runs, so the event is not started before it polls.
want, t0 = sys.argv[1].encode(), time.monotonic()
if len(sys.argv) > 2: open(sys.argv[2], "w").close()
while time.monotonic() - t0 < 20:
    try:
        c = socket.create_connection(("203.0.113.100", 8080), timeout=0.05)
        if c.recv(16) == want: print(f"{time.time():.6f}"); sys.exit(0)
    except OSError: pass
    time.sleep(0.005)
print("nan")
PY
cat >"$LAB_TMP/vipwait.py" <<'PY'
import socket, sys, time
# Prints the wall-clock time at which the VIP becomes an address of this namespace (a socket can
# bind to it), polling every millisecond (20 s deadline). It touches argv[2] once it runs.
vip, t0 = sys.argv[1], time.monotonic()
open(sys.argv[2], "w").close()
while time.monotonic() - t0 < 20:
    s = socket.socket()
    try:
        s.bind((vip, 0)); print(f"{time.time():.6f}"); sys.exit(0)
    except OSError: pass
    finally: s.close()
    time.sleep(0.001)
print("nan")
PY
lab_spawn d1 python3 "$LAB_TMP/serve.py" d1
lab_spawn d2 python3 "$LAB_TMP/serve.py" d2

start_impl() {  # IMPL NS CONF -> started_pid
  rm -rf "$LAB_TMP/ka-$2" "$LAB_TMP/run-$2"
  dir_start "$@"
  started_pid=$LAB_LAST_PID
}
now() { date +%s.%N; }

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) {print "n/a"; exit}; m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f s (min %.3f, max %.3f, n=%d)", m, a[1], a[NR], NR}'; }

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %-22s %-40s %s\n' impl case "VIP on backup" "client answered by backup"
for impl in lvsctl keepalived; do
  for case in "2 1 KILL" "2 1 TERM" "3 0.1 KILL" "3 0.1 TERM"; do
    set -- $case; version=$1 advert=$2 sig=$3
    dir_conf "$LAB_TMP/m.conf" 100 MASTER "$version" 12345 "$advert"
    dir_conf "$LAB_TMP/b.conf" 50 BACKUP "$version" 12345 "$advert"
    : >"$LAB_TMP/vip.txt"; : >"$LAB_TMP/client.txt"
    for _ in $(seq "$RUNS"); do
      ip -n "${LAB}-d1" addr del "$VIP/32" dev eth0 2>/dev/null
      ip -n "${LAB}-d2" addr del "$VIP/32" dev eth0 2>/dev/null
      start_impl "$impl" d1 "$LAB_TMP/m.conf"; m=$started_pid
      start_impl "$impl" d2 "$LAB_TMP/b.conf"; b=$started_pid
      lab_wait 15 "dir_vip_on d1" || { echo "master never came up"; continue; }
      sleep 2
      lab_exec cl python3 "$LAB_TMP/poll.py" d1 >/dev/null  # client ARP entry points at d1
      rm -f "$LAB_TMP/ready" "$LAB_TMP/vready"
      lab_exec cl python3 "$LAB_TMP/poll.py" d2 "$LAB_TMP/ready" >"$LAB_TMP/c.out" &
      poller=$!
      lab_exec d2 python3 "$LAB_TMP/vipwait.py" "$VIP" "$LAB_TMP/vready" >"$LAB_TMP/v.out" &
      vipwait=$!
      lab_wait 10 "[ -e $LAB_TMP/ready ] && [ -e $LAB_TMP/vready ]"
      t0=$(now)
      if [ "$impl" = keepalived ] && [ "$sig" = KILL ]; then
        # kill -9 every keepalived process (its VRRP child first), not only the parent, whose
        # death the child would otherwise notice and answer with a priority-0 advert.
        kill -KILL "$(cat "$LAB_TMP/ka-d1/vrrp.pid")" 2>/dev/null
      fi
      kill -"$sig" "$m"
      wait "$vipwait" "$poller"
      v=$(cat "$LAB_TMP/v.out"); [ "$v" != nan ] && echo "$v - $t0" | bc >>"$LAB_TMP/vip.txt"
      c=$(cat "$LAB_TMP/c.out"); [ "$c" != nan ] && echo "$c - $t0" | bc >>"$LAB_TMP/client.txt"
      kill -KILL "$m" "$b" 2>/dev/null; wait "$m" "$b" 2>/dev/null
      sleep 0.3
    done
    printf '%-10s %-22s %-40s %s\n' "$impl" "v$version advert $advert $sig" \
      "$(median <"$LAB_TMP/vip.txt")" "$(median <"$LAB_TMP/client.txt")"
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
