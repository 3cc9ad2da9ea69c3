#!/usr/bin/env bash
# CPU and memory of one director running N VRRP instances (default 50, VRRPv3, advert_int 0.1)
# for SECONDS (default 30), master and backup side, lvsctl and keepalived 2.2.7 in the same run.
# CPU is time on CPU (user+sys, from schedstat in ns) of every thread of every process of the
# implementation (keepalived: parent + VRRP child), as a share of one core and per advert (each
# side handles N x 10 adverts a second); RSS is the sum of VmRSS at the end. Figures only. Needs root.
# Usage: bash bench/vrrp_instances.sh [N] [SECONDS]
here=$(cd "$(dirname "$0")" && pwd)
LVSCTL=${LVSCTL:-$here/../build/lvsctl}
. "$here/../tests/lib/netns.sh"
. "$here/../tests/lib/director.sh"
lab_require_root
lab_require keepalived
N=${1:-50}
SECONDS_RUN=${2:-30}
set +e

# Two directors on the lab switch and nothing else: every advert sent is delivered to the backup
# only, as between two directors on a real switch (on one host, the receivers' packet handling is
# charged to the sender).
lab_ns d1; lab_ns d2
lab_link d1 eth0 203.0.113.104/24
lab_link d2 eth0 203.0.113.105/24
conf() {  # conf FILE PRIO STATE
  {
    echo "global_defs { vrrp_version 3 }"
    for i in $(seq "$N"); do
      cat <<CONF
vrrp_instance VI_$i {
    state $3
    interface eth0
    virtual_router_id $i
    priority $2
    advert_int 0.1
    virtual_ipaddress {
        198.51.100.$i
    }
}
CONF
    done
  } >"$1"
}
conf "$LAB_TMP/m.conf" 100 MASTER
conf "$LAB_TMP/b.conf" 50 BACKUP

cpu_ns() {  # cpu_ns PID...: time on CPU (user+sys) of every thread of the processes, in ns
  # (schedstat: exact, where /proc/PID/stat counts 10 ms ticks - 9 ticks is all a backup uses
  # in 30 s)
  local t=0 p f
  for p in "$@"; do
    for f in /proc/"$p"/task/*/schedstat; do
      [ -r "$f" ] && t=$((t + $(cut -d' ' -f1 "$f")))
    done
  done
  echo "$t"
}
rss_kb() { local t=0 p; for p in "$@"; do t=$((t + $(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0))); done; echo "$t"; }
pids_of() {  # every process in namespace NS that is not our helper shell
  ip netns pids "${LAB}-$1"
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %-7s %-12s %-16s %-10s\n' impl side "CPU (core)" "us per advert" "RSS"
row() {  # row IMPL SIDE NS PIDS...: CPU share, CPU per advert sent/received (10 per second
  # per instance), RSS
  local impl=$1 side=$2 t=$3; shift 3
  printf '%-10s %-7s %-12s %-16s %-10s\n' "$impl" "$side" \
    "$(echo "scale=3; 100 * $t / 1000000000 / $SECONDS_RUN" | bc)%" \
    "$(echo "scale=1; $t / 1000 / ($N * 10 * $SECONDS_RUN)" | bc)" "$(( $(rss_kb "$@") / 1024 )) MB"
}
for impl in lvsctl keepalived; do
  rm -rf "$LAB_TMP/ka-d1" "$LAB_TMP/ka-d2" "$LAB_TMP/run-d1" "$LAB_TMP/run-d2"
  dir_start "$impl" d1 "$LAB_TMP/m.conf"; m=$LAB_LAST_PID
  dir_start "$impl" d2 "$LAB_TMP/b.conf"; b=$LAB_LAST_PID
  sleep 6  # elections settle
  mp=$(pids_of d1); bp=$(pids_of d2)
  m0=$(cpu_ns $mp); b0=$(cpu_ns $bp)
  sleep "$SECONDS_RUN"
  m1=$(cpu_ns $mp); b1=$(cpu_ns $bp)
  row "$impl" master $((m1 - m0)) $mp
  row "$impl" backup $((b1 - b0)) $bp
  kill -TERM "$m" "$b"; sleep 1; kill -KILL $mp $bp 2>/dev/null; wait "$m" "$b" 2>/dev/null
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
