#!/usr/bin/env bash
# `lvsctl lab demo` end to end on the host kernel (no IPVS: the nftables NAT datapath, chosen by
# `auto`): exit 0 and every step's outcome printed - the client gets answers from both real
# servers on all three ports through the VIP; split brain flagged by `director watch` and healed
# by `firewall allow-vrrp`; kill -9 of the MASTER moves the service to the backup (the requests
# lost are counted); a stopped service leaves the table (the client sees only the other real
# server) and comes back. Afterwards nothing of the lab is left.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/lab_cli.sh"
lab_require_root
lab_require nft
[ -z "$(labcli_namespaces)" ] || lab_skip "a lab is running here (lvslab-* namespaces): lvsctl lab down first"

tables_before=$(nft list tables)
rc=0
labcli demo >"$LAB_TMP/demo.out" 2>&1 || rc=$?
out=$(cat "$LAB_TMP/demo.out")
cat "$LAB_TMP/demo.out" >&2
[ "$rc" = 0 ] || lab_fail "demo exited $rc"

expect_line() {  # expect_line WHAT EXTENDED-REGEX
  grep -Eq -- "$2" <<<"$out" || lab_fail "no line for $1 (/$2/)"
}
expect_line "the datapath auto picks" "datapath nftables \(lb_backend auto"
expect_line "who is MASTER" "MASTER: d1 \(priority 100\) holds 203\.0\.113\.100; d2 \(priority 50\) is BACKUP"
for port in 10010 10020 10030; do
  expect_line "both real servers on :$port" ":$port r1 [1-9][0-9]*, r2 [1-9][0-9]*(;|$)"
done
expect_line "split brain" "split brain: d1 MASTER and d2 MASTER"
expect_line "watch flags it" "director watch \(exit 3\): TWO MASTERS for VRID 100 \(VRRPv2\): 203\.0\.113\.104 prio 100 and 203\.0\.113\.105 prio 50"
expect_line "healed" "healed: .firewall allow-vrrp. on d2: d2 BACKUP after [0-9.]+ s, d1 the only MASTER"
expect_line "failover counted" "failover: d2 MASTER after [0-9.]+ s; the client's packets go to d2 and are answered after [0-9.]+ s; [0-9]+ of [1-9][0-9]* requests failed"
expect_line "a stopped service leaves the table" "r2 left :10010 after [0-9.]+ s .*; the client now sees: r1 6$"
expect_line "and comes back" "r2's service on :10010 restarted: back after [0-9.]+ s; the client sees: r1 [1-9][0-9]*, r2 [1-9][0-9]*$"
expect_line "down" "down: the lab's namespaces, processes and state are gone"
expect_line "passed" "demo passed in [0-9.]+ s"
labcli_expect_nothing_left "" "$tables_before"
lab_log "PASS"
