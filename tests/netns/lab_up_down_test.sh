#!/usr/bin/env bash
# `lvsctl lab up` / `lab down` twice, then after a crash of `up` and beside a stale namespace:
# each `down` (or the next `up`) leaves nothing behind - no lvslab-* namespace, no process the
# lab started, no state dir - and the root namespace's nftables tables are as before (read only:
# `nft list tables`, never changed by the test).
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/lab_cli.sh"
lab_require_root
lab_require nft
[ -z "$(labcli_namespaces)" ] || lab_skip "a lab is running here (lvslab-* namespaces): lvsctl lab down first"

tables_before=$(nft list tables)

for round in 1 2; do
  out=$(labcli up 2>&1) || lab_fail "up (round $round) failed: $out"
  grep -q "d1 MASTER (holds 203.0.113.100), d2 BACKUP" <<<"$out" || lab_fail "up did not report the masters: $out"
  status=$(labcli status 2>&1) || lab_fail "status after up exited $?: $status"
  grep -q "VRRP VIP_NSQ_100 VRID 100 on eth0: MASTER" <<<"$status" || lab_fail "no MASTER in status: $status"
  grep -Eq "client 203.0.113.10 -> 203.0.113.100: :10010 (r1|r2) [0-9]+, (r1|r2) [0-9]+" <<<"$status" \
    || lab_fail "the client does not reach both real servers: $status"
  [ "$(labcli_namespaces | wc -l)" = 6 ] || lab_fail "expected 6 namespaces: $(labcli_namespaces)"
  pids=$(labcli_recorded_pids)
  [ "$(wc -w <<<"$pids")" = 8 ] || lab_fail "expected 8 recorded processes (2 directors, 6 services): $pids"
  labcli down || lab_fail "down (round $round) failed"
  labcli_expect_nothing_left "$pids" "$tables_before"
  labcli down || lab_fail "a second down (round $round) failed"
  lab_log "round $round: up, status, down: nothing left"
done

# A crash of `up` halfway: killed once its services run, before or while the directors start.
"$LVSCTL" lab --state-dir "$LABCLI_STATE" up >"$LAB_TMP/up-crash.log" 2>&1 &
up_pid=$!
lab_wait 60 "[ -s '$LABCLI_STATE/pids/r2-10030' ]" || lab_fail "up never started the services: $(cat "$LAB_TMP/up-crash.log")"
kill -KILL "$up_pid"; wait "$up_pid" 2>/dev/null || true
pids=$(labcli_recorded_pids)
[ -n "$(labcli_namespaces)" ] || lab_fail "nothing to clean after the crash (test broken)"
labcli_alive "${pids%% *}" || lab_fail "the crashed up left no process (test broken)"
labcli down || lab_fail "down after a crashed up failed"
labcli_expect_nothing_left "$pids" "$tables_before"
lab_log "crashed up: down cleaned it"

# A stale namespace with a process inside and no state dir at all: the next `up` removes it.
ip netns add lvslab-stale
ip netns exec lvslab-stale sleep 1000 &
stale_pid=$!
lab_wait 10 "[ \"\$(ip netns pids lvslab-stale)\" = $stale_pid ]" || lab_fail "stale process not in the namespace"
out=$(labcli up 2>&1) || lab_fail "up beside a stale namespace failed: $out"
labcli_namespaces | grep -qx lvslab-stale && lab_fail "up left the stale namespace"
lab_wait 10 "! labcli_alive $stale_pid" || lab_fail "the stale namespace's process still runs"
wait "$stale_pid" 2>/dev/null || true
pids=$(labcli_recorded_pids)
labcli down || lab_fail "down failed"
labcli_expect_nothing_left "$pids $stale_pid" "$tables_before"
lab_log "stale namespace: up removed it, down cleaned the rest"
lab_log "PASS"
