#!/bin/bash
# bench/ipvs_reload.sh [SERVICES] [DESTINATIONS]: how long an UNCHANGED reload (SIGHUP) of
# `lvsctl director run` takes with a large config (default 10,000 services x 4 destinations),
# measured inside the vm tier's VM (real IPVS, Debian 6.1 under qemu TCG).
# On the host it re-runs itself inside the VM through tests/vm/run-in-vm.sh.
# Prints: time to program the table at start, then for each of 3 unchanged reloads the time from
# the daemon's "Reloading" log line to its "IPVS: no change" line (parse + desired table + one
# dump of the kernel table + plan), as logged by the daemon with millisecond timestamps.
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
# servers in 203.0.113.0/24 each.
awk -v n="$services" -v d="$dests" 'BEGIN {
  for (i = 0; i < n; i++) {
    printf "virtual_server 198.51.100.%d %d {\n    lvs_sched wrr\n    lvs_method DR\n    protocol TCP\n", i % 100 + 1, 1000 + int(i / 100)
    for (k = 1; k <= d; k++) printf "    real_server 203.0.113.%d %d {\n        weight %d\n    }\n", k, 1000 + int(i / 100), k
    printf "}\n"
  }
}' >"$work/big.conf"

ms() { date -d "$1" +%s%3N; }  # "2026-11-26 04:58:20.919" -> epoch ms
log="$work/lvsctl.log"
t0=$(date +%s%3N)
ip netns exec "$ns" "$LVSCTL" director run -f "$work/big.conf" --run-dir "$work" >"$log" 2>&1 &
pid=$!
# The daemon handles one event at a time: a SIGHUP is taken only after the start-up programming
# finished, so the first reload's "Reloading" line also marks the end of the start.
for i in $(seq 1 600); do
  grep -q 'IPVS: .*added' "$log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.5
done
printf 'config: %d services x %d destinations (%d lines)\n' "$services" "$dests" "$(wc -l <"$work/big.conf")"
for r in 1 2 3; do
  before=$(grep -c 'IPVS: no change' "$log")
  kill -HUP "$pid"
  for i in $(seq 1 1200); do  # up to 600 s
    [ "$(grep -c 'IPVS: no change' "$log")" -gt "$before" ] && break
    sleep 0.5
  done
  reload_line=$(grep 'Reloading' "$log" | tail -n1)
  done_line=$(grep 'IPVS: no change' "$log" | tail -n1)
  [ -n "$done_line" ] || { echo "reload $r: no 'IPVS: no change' line" >&2; cat "$log" >&2; exit 1; }
  if [ "$r" = 1 ]; then
    start_line=$(grep -m1 'IPVS: .*added' "$log")
    printf 'start: daemon launched -> table programmed (first reload taken): %d ms (%s)\n' \
      "$(( $(ms "${reload_line:0:23}") - t0 ))" "${start_line#* info }"
  fi
  printf 'unchanged reload %d: %d ms from "Reloading" to "no change"; %s\n' "$r" \
    "$(( $(ms "${done_line:0:23}") - $(ms "${reload_line:0:23}") ))" "${done_line#* info }"
done
grep -E 'edited|deleted|added' "$log" | tail -n +2 | grep . && { echo "a reload changed the table" >&2; exit 1; }
printf 'kernel table: %d services\n' "$(ip netns exec "$ns" ipvsadm -Ln | grep -c '^TCP')"
