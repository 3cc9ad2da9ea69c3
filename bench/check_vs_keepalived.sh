#!/bin/bash
# bench/check_vs_keepalived.sh [SECONDS] [N ...]: TCP_CHECK with delay_loop 1 against N real
# servers (default 2000 500), keepalived 2.2.7's checker and `lvsctl director run` on the SAME
# config, one after the other, SECONDS each (default 60), inside the vm tier's VM (Debian 6.1 under
# qemu TCG, --smp 2 --mem 1024, real IPVS), in one boot. On the host it re-runs itself in the VM.
#
# Real servers: bench_check_listeners in a namespace (203.0.113.1.. on lo, 2,000 ports per
# address from 20000). Checks are counted as the SYNs that reach those ports (an nftables counter
# in the namespace): one per check whether the checker completes the handshake (keepalived) or
# probes half-open (lvsctl with `tcp_check_mode syn`; its default, connect, completes it too). The config has N/100 virtual servers (198.51.100.1, ports 1000..) of 100 real servers
# each, TCP_CHECK connect_timeout 5, delay_loop 1.
# Printed per implementation and N: CPU% (user+sys, share of one core) of the checker process
# (keepalived: its checker child, started with -C and logging to syslog, which nobody reads in the
# VM, so its console is not in the figures; lvsctl: the daemon) and of all its processes,
# checks/s, the achieved period (N / checks/s), and the checker's RSS and peak RSS (VmHWM).
# Env: LVSCTL (default build/lvsctl), BENCH_IMPLS (default "keepalived lvsctl"), BENCH_DIR (the build's bench/ directory with
# bench_check_listeners; default next to LVSCTL). Figures only, no assertions (bench/ rule).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/.." && pwd)
secs=${1:-60}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2000 500)

if [ "${LVSCTL_IN_VM:-0}" != 1 ]; then
  export LVSCTL=${LVSCTL:-$src/build/lvsctl}
  export BENCH_DIR=${BENCH_DIR:-$(dirname "$LVSCTL")/bench}
  [ -x "$LVSCTL" ] || { echo "check_vs_keepalived.sh: no lvsctl at $LVSCTL (set LVSCTL)" >&2; exit 2; }
  [ -x "$BENCH_DIR/bench_check_listeners" ] ||
    { echo "check_vs_keepalived.sh: no bench_check_listeners in $BENCH_DIR (set BENCH_DIR)" >&2; exit 2; }
  export LVSCTL_SOURCE_DIR=$src BENCH_IMPLS=${BENCH_IMPLS:-keepalived lvsctl}
  exec bash "$src/tests/vm/run-in-vm.sh" --smp 2 --mem 1024 --timeout 3000 -- \
    bash "$here/check_vs_keepalived.sh" "$secs" "${sizes[@]}"
fi

command -v keepalived >/dev/null || { echo "SKIP: keepalived is not installed"; exit 77; }
ns="bench-check-$$"
work=$(mktemp -d /tmp/bench-check.XXXXXX)
listeners="" daemon=""
stop_pid() {  # stop_pid PID: TERM, then KILL after 3 s
  [ -n "$1" ] || return 0
  kill -TERM "$1" 2>/dev/null
  for _ in $(seq 30); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
cleanup() {
  stop_pid "$daemon"
  stop_pid "$listeners"
  ip netns delete "$ns" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns" && ip -n "$ns" link set lo up || exit 1
max=0
for n in "${sizes[@]}"; do [ "$n" -gt "$max" ] && max=$n; done
for a in $(seq 1 $(( (max + 1999) / 2000 ))); do ip -n "$ns" addr add "203.0.113.$a/32" dev lo || exit 1; done

ticks() {  # ticks PID...: utime+stime in clock ticks
  local t=0 p
  for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$t"
}
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
ip netns exec "$ns" nft -f - <<'NFT' || exit 1
table inet bench_checks {
  chain in {
    type filter hook input priority 0; policy accept;
    tcp dport 20000-21999 tcp flags & (syn | ack) == syn counter
  }
}
NFT
syns() {  # SYNs that reached the real servers so far
  ip netns exec "$ns" nft list chain inet bench_checks in |
    awk '/counter packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
hz=$(getconf CLK_TCK)

conf() {  # conf N FILE
  awk -v n="$1" 'BEGIN {
    for (v = 0; v * 100 < n; v++) {
      printf "virtual_server 198.51.100.1 %d {\n    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n", 1000 + v
      for (i = v * 100; i < n && i < (v + 1) * 100; i++) {
        printf "    real_server 203.0.113.%d %d {\n        TCP_CHECK {\n            connect_timeout 5\n        }\n    }\n", 1 + int(i / 2000), 20000 + i % 2000
      }
      printf "}\n"
    }
  }' >"$2"
}

printf '%-10s %6s %14s %14s %9s %8s %8s %9s\n' impl "RS" "checker CPU" "all procs CPU" checks/s period RSS "peak RSS"
for n in "${sizes[@]}"; do
  conf "$n" "$work/check-$n.conf"
  ip netns exec "$ns" "$BENCH_DIR/bench_check_listeners" "$n" "$work/count" >"$work/listeners.log" 2>&1 &
  listeners=$!
  for _ in $(seq 600); do grep -q listening "$work/listeners.log" && break; sleep 0.1; done
  for impl in ${BENCH_IMPLS:-keepalived lvsctl}; do
    rm -rf "$work/run" && mkdir -p "$work/run"
    ip netns exec "$ns" ipvsadm -C 2>/dev/null
    if [ "$impl" = keepalived ]; then
      ip netns exec "$ns" keepalived -C -n -f "$work/check-$n.conf" -p "$work/run/keepalived.pid" \
        -c "$work/run/checkers.pid" -r "$work/run/vrrp.pid" -b "$work/run/bfd.pid" >"$work/$impl.log" 2>&1 &
      daemon=$!
      for _ in $(seq 300); do [ -s "$work/run/checkers.pid" ] && break; sleep 0.1; done
      checker=$(cat "$work/run/checkers.pid" 2>/dev/null)
    else
      ip netns exec "$ns" "$LVSCTL" director run -f "$work/check-$n.conf" --run-dir "$work/run" \
        >"$work/$impl.log" 2>&1 &
      daemon=$!
      checker=$daemon
    fi
    sleep 8  # start-up, IPVS programmed, warmup spread over delay_loop
    if [ -z "$checker" ] || ! kill -0 "$checker" 2>/dev/null; then
      echo "$impl did not run:" >&2; tail -n 20 "$work/$impl.log" >&2; exit 1
    fi
    all=$(ip netns pids "$ns" | grep -vx "$listeners" | tr '\n' ' ')
    c0=$(ticks "$checker"); a0=$(ticks $all); n0=$(syns); t0=$(date +%s.%N)
    sleep "$secs"
    c1=$(ticks "$checker"); a1=$(ticks $all); n1=$(syns); t1=$(date +%s.%N)
    rss=$(status_kb "$checker" VmRSS); hwm=$(status_kb "$checker" VmHWM)
    awk -v impl="$impl" -v n="$n" -v c="$((c1 - c0))" -v a="$((a1 - a0))" -v k="$((n1 - n0))" \
        -v t0="$t0" -v t1="$t1" -v hz="$hz" -v rss="$rss" -v hwm="$hwm" 'BEGIN {
      w = t1 - t0; rate = k / w
      printf "%-10s %6d %13.1f%% %13.1f%% %9.0f %7.3fs %5.1f MB %6.1f MB\n", impl, n, 100 * c / hz / w,
             100 * a / hz / w, rate, (rate > 0 ? n / rate : 0), rss / 1024, hwm / 1024
      printf "%-10s %6s %s us of checker CPU per check\n", "", "", (rate > 0 ? sprintf("%.0f", 1e6 * c / hz / w / rate) : "-")
    }'
    stop_pid "$daemon"; daemon=""
    grep -ciE 'down|fail|timeout' "$work/$impl.log" | awk -v i="$impl" '$1 > 0 {print "  (" i ": " $1 " log lines mention down/fail/timeout, first ones:)"}'
    grep -iE 'down|fail|timeout' "$work/$impl.log" | head -n 3 | cut -c1-160 | sed 's/^/    /'
  done
  stop_pid "$listeners"; listeners=""
done
