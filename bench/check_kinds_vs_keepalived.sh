#!/bin/bash
# bench/check_kinds_vs_keepalived.sh [SECONDS] [N]: CPU per check of the datagram checkers
# (UDP_CHECK, PING_CHECK and DNS_CHECK: the KINDS table below), keepalived
# 2.2.7's checker and `lvsctl director run` on the SAME config, one after the other, SECONDS each
# (default 30), N real servers (default 500), delay_loop 1, inside the vm tier's VM (Debian 6.1
# under qemu TCG, --smp 2 --mem 1024, real IPVS), in one boot. On the host it re-runs itself in
# the VM. The sibling of bench/check_vs_keepalived.sh (TCP_CHECK), with its layout: real server i
# is 203.0.113.(1 + i / 2000) port 20000 + i % 2000 (addresses on lo of one namespace), N/100
# virtual servers (198.51.100.1, ports 1000..) of 100 real servers each.
#   UDP_CHECK:  payload "ping", require_reply "ping"; the real servers are bench_check_listeners
#               in udp mode (one echo socket per port); a check is a datagram to ports 20000+.
#   PING_CHECK: the namespace's kernel answers; a check is an ICMP echo request.
#   DNS_CHECK:  dnsmasq on 203.0.113.1:53 (connect_port 53) answers A check.test; a check is a
#               datagram to port 53.
# Checks are counted by an nftables counter in the real servers' namespace, so the same count
# serves both implementations.
# Printed per kind and implementation: CPU% (user+sys, share of one core) of the checker process
# (keepalived: its checker child, -C, logging to syslog nobody reads in the VM; lvsctl: the
# daemon) and of all its processes, checks/s, the achieved period (N / checks/s), checker CPU per
# check (us), the checker's RSS and peak RSS.
# Env: LVSCTL (default build/lvsctl), BENCH_IMPLS (default "keepalived lvsctl"), BENCH_KINDS (a
# subset of the enabled kinds), BENCH_DIR (the build's bench/ directory, default next to LVSCTL).
# Figures only, no assertions (bench/ rule).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/.." && pwd)
secs=${1:-30}
n=${2:-500}

# kind        enabled   (one line each; enabled=0: not in lvsctl yet)
KINDS=(
  "UDP_CHECK   1"
  "PING_CHECK  1"
  "DNS_CHECK   1"
)

if [ "${LVSCTL_IN_VM:-0}" != 1 ]; then
  export LVSCTL=${LVSCTL:-$src/build/lvsctl}
  export BENCH_DIR=${BENCH_DIR:-$(dirname "$LVSCTL")/bench}
  [ -x "$LVSCTL" ] || { echo "check_kinds_vs_keepalived.sh: no lvsctl at $LVSCTL (set LVSCTL)" >&2; exit 2; }
  [ -x "$BENCH_DIR/bench_check_listeners" ] ||
    { echo "check_kinds_vs_keepalived.sh: no bench_check_listeners in $BENCH_DIR (set BENCH_DIR)" >&2; exit 2; }
  export LVSCTL_SOURCE_DIR=$src BENCH_IMPLS=${BENCH_IMPLS:-keepalived lvsctl} BENCH_KINDS=${BENCH_KINDS:-}
  exec bash "$src/tests/vm/run-in-vm.sh" --smp 2 --mem 1024 --timeout 3000 -- \
    bash "$here/check_kinds_vs_keepalived.sh" "$secs" "$n"
fi

command -v keepalived >/dev/null || { echo "SKIP: keepalived is not installed"; exit 77; }
ns="bench-kinds-$$"
work=$(mktemp -d /tmp/bench-kinds.XXXXXX)
server="" daemon=""
stop_pid() {  # stop_pid PID: TERM, then KILL after 3 s
  [ -n "$1" ] || return 0
  kill -TERM "$1" 2>/dev/null
  for _ in $(seq 30); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
cleanup() {
  stop_pid "$daemon"
  stop_pid "$server"
  ip netns delete "$ns" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns" && ip -n "$ns" link set lo up || exit 1
for a in $(seq 1 $(( (n + 1999) / 2000 ))); do ip -n "$ns" addr add "203.0.113.$a/32" dev lo || exit 1; done
ip netns exec "$ns" nft -f - <<'NFT' || exit 1
table inet bench_kinds {
  chain in {
    type filter hook input priority 0; policy accept;
    udp dport 20000-21999 counter
    icmp type echo-request counter
    udp dport 53 counter
  }
}
NFT
counter() {  # counter N: packets of the chain's Nth rule (1 UDP_CHECK, 2 PING_CHECK, 3 DNS_CHECK)
  ip netns exec "$ns" nft list chain inet bench_kinds in |
    awk -v want="$1" '/counter packets/ { r++; if (r == want) for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
ticks() {  # ticks PID...: utime+stime in clock ticks
  local t=0 p
  for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$t"
}
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hz=$(getconf CLK_TCK)

block() {  # block KIND: the checker block of one real server
  case $1 in
    UDP_CHECK) printf 'UDP_CHECK {\n            connect_timeout 5\n            payload 70696e67\n            require_reply 70696e67\n        }' ;;
    PING_CHECK) printf 'PING_CHECK {\n            connect_timeout 5\n        }' ;;
    DNS_CHECK) printf 'DNS_CHECK {\n            connect_port 53\n            connect_timeout 5\n            type A\n            name check.test\n        }' ;;
  esac
}
conf() {  # conf KIND FILE
  local b; b=$(block "$1")
  awk -v n="$n" -v block="$b" 'BEGIN {
    for (v = 0; v * 100 < n; v++) {
      printf "virtual_server 198.51.100.1 %d {\n    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n    protocol UDP\n", 1000 + v
      for (i = v * 100; i < n && i < (v + 1) * 100; i++)
        printf "    real_server 203.0.113.%d %d {\n        %s\n    }\n", 1 + int(i / 2000), 20000 + i % 2000, block
      printf "}\n"
    }
  }' >"$2"
}
start_server() {  # start_server KIND: the real servers of KIND; sets server
  server=""
  case $1 in
    UDP_CHECK)
      ip netns exec "$ns" "$BENCH_DIR/bench_check_listeners" "$n" "$work/count" udp >"$work/server.log" 2>&1 &
      server=$!
      for _ in $(seq 600); do grep -q listening "$work/server.log" && break; sleep 0.1; done ;;
    DNS_CHECK)
      ip netns exec "$ns" dnsmasq -k -C /dev/null --no-resolv --no-hosts --bind-interfaces \
        --listen-address=203.0.113.1 --port=53 --address=/check.test/192.0.2.53 --pid-file= \
        --user=root --group=root >"$work/server.log" 2>&1 &
      server=$!
      sleep 1 ;;
  esac
}

rule=0
printf '%-10s %-10s %6s %12s %14s %9s %8s %9s %8s %9s\n' kind impl RS "checker CPU" "all procs CPU" checks/s period "us/check" RSS "peak RSS"
for row in "${KINDS[@]}"; do
  read -r kind enabled <<<"$row"
  rule=$((rule + 1))
  [ "$enabled" = 1 ] || continue
  [ -z "${BENCH_KINDS:-}" ] || grep -qw "$kind" <<<"$BENCH_KINDS" || continue
  if [ "$kind" = DNS_CHECK ] && ! command -v dnsmasq >/dev/null; then echo "$kind: SKIP (dnsmasq is not installed)"; continue; fi
  conf "$kind" "$work/$kind.conf"
  start_server "$kind"
  for impl in ${BENCH_IMPLS:-keepalived lvsctl}; do
    rm -rf "$work/run" && mkdir -p "$work/run"
    ip netns exec "$ns" ipvsadm -C 2>/dev/null
    if [ "$impl" = keepalived ]; then
      ip netns exec "$ns" keepalived -C -n -f "$work/$kind.conf" -p "$work/run/keepalived.pid" \
        -c "$work/run/checkers.pid" -r "$work/run/vrrp.pid" -b "$work/run/bfd.pid" >"$work/$impl.log" 2>&1 &
      daemon=$!
      for _ in $(seq 300); do [ -s "$work/run/checkers.pid" ] && break; sleep 0.1; done
      checker=$(cat "$work/run/checkers.pid" 2>/dev/null)
    else
      ip netns exec "$ns" "$LVSCTL" director run -f "$work/$kind.conf" --run-dir "$work/run" \
        >"$work/$impl.log" 2>&1 &
      daemon=$!
      checker=$daemon
    fi
    sleep 8  # start-up, IPVS programmed, warmup spread over delay_loop
    if [ -z "$checker" ] || ! kill -0 "$checker" 2>/dev/null; then
      echo "$kind $impl did not run:"; tail -n 10 "$work/$impl.log"
      stop_pid "$daemon"; daemon=""
      continue
    fi
    all=$(ip netns pids "$ns" | grep -vx "${server:-none}" | tr '\n' ' ')
    c0=$(ticks "$checker"); a0=$(ticks $all); k0=$(counter "$rule"); t0=$(date +%s.%N)
    sleep "$secs"
    c1=$(ticks "$checker"); a1=$(ticks $all); k1=$(counter "$rule"); t1=$(date +%s.%N)
    rss=$(status_kb "$checker" VmRSS); hwm=$(status_kb "$checker" VmHWM)
    live=$(ip netns exec "$ns" ipvsadm -Ln | grep -c -- '->.*Masq')
    awk -v kind="$kind" -v impl="$impl" -v n="$n" -v c="$((c1 - c0))" -v a="$((a1 - a0))" -v k="$((k1 - k0))" \
        -v t0="$t0" -v t1="$t1" -v hz="$hz" -v rss="$rss" -v hwm="$hwm" 'BEGIN {
      w = t1 - t0; rate = k / w
      printf "%-10s %-10s %6d %11.1f%% %13.1f%% %9.0f %7.3fs %9s %5.1f MB %6.1f MB\n", kind, impl, n, 100 * c / hz / w,
             100 * a / hz / w, rate, (rate > 0 ? n / rate : 0), (rate > 0 ? sprintf("%.0f", 1e6 * c / hz / w / rate) : "-"),
             rss / 1024, hwm / 1024
    }'
    echo "           ($live of $n real servers up in the IPVS table at the end)"
    stop_pid "$daemon"; daemon=""
  done
  stop_pid "$server"; server=""
done
