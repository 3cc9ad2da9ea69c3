#!/bin/bash
# bench/vip_rps.sh [SECONDS] [THREADS]: requests per second through the VIP, IPVS vs nftables,
# in one VM (Debian's kernel under qemu, tests/vm/run-in-vm.sh), same lab, same run, printed
# side by side. The lab is tests/lib/nat_lab.sh (client, NAT director, two real servers);
# `lvsctl director run --lb-backend ipvs|nftables` with one rr virtual server; the load is
# bench_vip_load (THREADS clients, each a loop of whole short TCP connections: connect, read the
# real server's name, close) for SECONDS, twice per datapath in the order ipvs, nftables, ipvs,
# nftables. Then, in the same VM, bench_health_change --backend ipvs (one health change end to end
# at 10,000 x 4 on real IPVS). Not part of CI; prints figures, asserts nothing.
# Build first: cmake --build build --target lvsctl bench_vip_load bench_health_change
# Environment: LVSCTL_BUILD_DIR (default ./build), VIP_RPS_SERVICES (default 10000).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/.." && pwd)
build=$(cd "${LVSCTL_BUILD_DIR:-$src/build}" && pwd)
seconds=${1:-10} threads=${2:-4}

if [ "${LVSCTL_IN_VM:-0}" != 1 ]; then
  for f in "$build/lvsctl" "$build/bench/bench_vip_load" "$build/bench/bench_health_change"; do
    [ -x "$f" ] || { echo "vip_rps.sh: $f is not built" >&2; exit 2; }
  done
  export LVSCTL="$build/lvsctl" LVSCTL_SOURCE_DIR="$src" LVSCTL_BUILD_DIR="$build"
  exec bash "$src/tests/vm/run-in-vm.sh" --timeout 1500 -- bash "$here/vip_rps.sh" "$seconds" "$threads"
fi

. "$src/tests/lib/netns.sh"
. "$src/tests/lib/nat_lab.sh"
load_tool="$build/bench/bench_vip_load"
nat_lab
for ns in rs1 rs2; do lab_spawn "$ns" "$load_tool" serve "$ns" 10010; done
for ns in rs1 rs2; do
  lab_wait 30 "[ -n \"\$(lab_exec $ns ss -Hltn 'sport = :10010')\" ]" || lab_fail "$ns did not listen"
done
conf="$LAB_TMP/rps.conf"
cat >"$conf" <<CONF
virtual_server $NAT_VIP 10010 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 198.51.100.11 10010 {
        weight 1
    }
    real_server 198.51.100.12 10010 {
        weight 1
    }
}
CONF

declare -A FIG
measure() {  # measure BACKEND ROUND
  nat_run "$1" "$conf"
  lab_wait 60 "lab_exec client $load_tool load $NAT_VIP 10010 0.2 1 | grep -q 'rs1=.* rs2='" ||
    { cat "$LAB_TMP/$1.log" >&2; lab_fail "$1: the VIP did not answer from both real servers"; }
  lab_exec client "$load_tool" load "$NAT_VIP" 10010 1 "$threads" >/dev/null  # warm-up
  FIG[$1:$2]=$(lab_exec client "$load_tool" load "$NAT_VIP" 10010 "$seconds" "$threads")
  lab_log "$1 (round $2): ${FIG[$1:$2]}"
  nat_stop
}
for round in 1 2; do measure ipvs "$round"; measure nftables "$round"; done
rate() { sed -E 's/.*: ([0-9]+) req\/s.*/\1/' <<<"$1"; }
echo "=== requests per second through the VIP (NAT, rr, 2 real servers; $threads clients, ${seconds} s each; one VM, $(nproc) vCPUs, TCG)"
printf '%-10s %12s %12s\n' round ipvs nftables
for round in 1 2; do
  printf '%-10s %12s %12s\n' "$round" "$(rate "${FIG[ipvs:$round]}")" "$(rate "${FIG[nftables:$round]}")"
done
for k in ipvs:1 nftables:1 ipvs:2 nftables:2; do echo "$k: ${FIG[$k]}"; done

echo "=== one health change end to end on IPVS (bench_health_change --backend ipvs)"
"$build/bench/bench_health_change" --backend ipvs --services "${VIP_RPS_SERVICES:-10000}" --dests 4 --changes 10
