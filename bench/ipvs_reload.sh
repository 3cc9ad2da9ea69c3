#!/bin/bash
# bench/ipvs_reload.sh [SERVICES] [DESTINATIONS]: how long a reload (SIGHUP) of
# `lvsctl director run` takes with a large config (default 10,000 services x 4 destinations),
# measured inside the vm tier's VM (real IPVS, Debian 6.1 under qemu TCG).
# On the host it re-runs itself inside the VM through tests/vm/run-in-vm.sh.
# Prints: time to program the table at start; for 3 unchanged reloads (the daemon finds every file
# byte-identical and does nothing: its "configuration unchanged" line), 2 full reloads of the same
# configuration (a comment appended, so the files differ) and then one with a single weight
# changed, the daemon's own result line ("Reloaded in": parse / health checks / plan / apply
# split and the netlink requests the reload sent) and the time from its "Reloading" line to it;
# finally the cost of one full dump of the kernel table (what every reload paid before IpvsSync
# kept the applied table). (`director status` is not used: it dumps the whole table too.)
# The same reload path without a kernel, on the host: build/bench/bench_director_reload.
# Env: LVSCTL (the binary; default build/lvsctl next to this checkout).
# Figures only, no assertions (bench/ rule); exit non-zero only when the run itself failed.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/.." && pwd)
services=${1:-10000} dests=${2:-4}

if [ "${LVSCTL_IN_VM:-0}" != 1 ]; then
  export LVSCTL=${LVSCTL:-$src/build/lvsctl}
  [ -x "$LVSCTL" ] || { echo "ipvs_reload.sh: no lvsctl at $LVSCTL (set LVSCTL)" >&2; exit 2; }
  export LVSCTL_SOURCE_DIR=$src
  exec bash "$src/tests/vm/run-in-vm.sh" --timeout 1200 -- bash "$here/ipvs_reload.sh" "$services" "$dests"
fi

command -v ipvsadm >/dev/null || { echo "SKIP: ipvsadm is not installed"; exit 77; }
ns="bench-reload-$$"
work=$(mktemp -d /tmp/bench-reload.XXXXXX)
pid=""
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
  ip netns delete "$ns" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns" && ip -n "$ns" link set lo up || exit 1

# SERVICES virtual servers: 100 VIPs in 198.51.100.0/24 x ports from 1000; DESTINATIONS real
# servers in 203.0.113.0/24 each. write_conf BUMPED: service BUMPED's first real server gets
# weight 9 (-1: none).
write_conf() {
  awk -v n="$services" -v d="$dests" -v bumped="$1" 'BEGIN {
    for (i = 0; i < n; i++) {
      printf "virtual_server 198.51.100.%d %d {\n    lvs_sched wrr\n    lvs_method DR\n    protocol TCP\n", i % 100 + 1, 1000 + int(i / 100)
      for (k = 1; k <= d; k++) printf "    real_server 203.0.113.%d %d {\n        weight %d\n    }\n", k, 1000 + int(i / 100), (i == bumped && k == 1) ? 9 : k
      printf "}\n"
    }
  }' >"$work/big.conf"
}
write_conf -1

ms() { date -d "$1" +%s%3N; }  # "2026-11-26 04:58:20.919" -> epoch ms
log="$work/lvsctl.log"
t0=$(date +%s%3N)
ip netns exec "$ns" "$LVSCTL" director run -f "$work/big.conf" --run-dir "$work" >"$log" 2>&1 &
pid=$!
# The daemon handles one event at a time: a SIGHUP is taken only after the start-up programming
# finished, so the first reload's "Reloading" line also marks the end of the start.
for i in $(seq 1 1200); do
  grep -q 'IPVS: .*added' "$log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.5
done
printf 'config: %d services x %d destinations (%d lines)\n' "$services" "$dests" "$(wc -l <"$work/big.conf")"

# reload NAME PATTERN: SIGHUP, wait for the daemon's result line (PATTERN), print the figures.
reload() {
  local name=$1 pattern=$2 before reload_line done_line i
  before=$(grep -c "$pattern" "$log")
  kill -HUP "$pid"
  for i in $(seq 1 1200); do  # up to 600 s
    [ "$(grep -c "$pattern" "$log")" -gt "$before" ] && break
    sleep 0.5
  done
  reload_line=$(grep 'Reloading' "$log" | tail -n1)
  done_line=$(grep "$pattern" "$log" | tail -n1)
  [ "$(grep -c "$pattern" "$log")" -gt "$before" ] || { echo "$name: no '$pattern' line" >&2; tail -n 20 "$log" >&2; exit 1; }
  if [ -z "${started_ms:-}" ]; then
    started_ms=$(( $(ms "${reload_line:0:23}") - t0 ))
    printf 'start: daemon launched -> table programmed (first reload taken): %d ms (%s)\n' \
      "$started_ms" "$(grep -m1 'IPVS: .*added' "$log" | sed 's/.* info[^ ]* //')"
  fi
  printf '%s: %d ms from "Reloading" to "Reloaded" log lines; %s\n' "$name" \
    "$(( $(ms "${done_line:0:23}") - $(ms "${reload_line:0:23}") ))" \
    "$(echo "$done_line" | sed 's/.* info[^ ]* //')"
}
for r in 1 2 3; do reload "unchanged reload $r" 'configuration unchanged'; done
for r in 1 2; do
  echo "# comment $r" >>"$work/big.conf"
  reload "same configuration, files changed (full reload) $r" 'Reloaded in'
done
write_conf $((services / 2))
reload "one weight changed" 'Reloaded in'
grep 'IPVS: ' "$log" | tail -n1 | sed 's/^/  last IPVS line: /; s/ [0-9-]* [0-9:.]* \[[a-z]*\]//'
grep -c 'warning' "$log" | sed 's/^/  warnings logged in all: /'

# One full dump of the kernel table, the cost a reload no longer pays: ipvsadm reads it the way
# IpvsClient::table() does (one service dump, then one destination dump per service).
t1=$(date +%s%3N)
n=$(ip netns exec "$ns" ipvsadm -S -n | grep -c '^-A')
printf 'full kernel table dump (ipvsadm -S -n, %d services): %d ms\n' "$n" "$(( $(date +%s%3N) - t1 ))"
