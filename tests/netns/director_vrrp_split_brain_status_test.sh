#!/usr/bin/env bash
# Issue 13 row 6: a split brain is visible in the master's log and status, and clears.
# d1 MASTER (priority 100), d2 BACKUP (50). d2's firewall drops VRRP coming in, so d2 hears
# nothing and becomes MASTER too; d1 hears d2's adverts (50, lower: it does not yield). Asserted:
# d1 logs "another master 203.0.113.105 (priority 50) on eth0" once, its status JSON has
# conflict {peer, priority, since} and its text status a CONFLICT line; d2 (which hears nothing)
# reports none. The firewall rule removed, d2 hears d1, yields and falls silent: d1 logs the end
# once and its status conflict is null again.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require nft python3

dir_lab
dir_conf "$LAB_TMP/m.conf" 100 MASTER
dir_conf "$LAB_TMP/b.conf" 50 BACKUP
dir_lvsctl d1 "$LAB_TMP/m.conf"; m=$LAB_LAST_PID
lab_wait 15 "dir_vip_on d1" || lab_fail "VIP never on the master"
dir_lvsctl d2 "$LAB_TMP/b.conf"; b=$LAB_LAST_PID
lab_wait 15 "dir_backup_accepts d2" || lab_fail "the backup does not accept the master's adverts"

conflict() {  # conflict NS: the first instance's conflict as JSON ("null" when none)
  dir_status "$1" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["vrrp_instances"][0]["conflict"]))'
}
[ "$(conflict d1)" = null ] || lab_fail "conflict reported before any split brain: $(conflict d1)"

lab_exec d2 nft -f - <<'NFT'
table ip lvsctl_test {
  chain input { type filter hook input priority 0; policy accept; ip protocol vrrp drop; }
}
NFT
lab_wait 20 "dir_vip_on d2" || lab_fail "d2 did not become MASTER behind its firewall"
dir_vip_on d1 || lab_fail "d1 lost the VIP"
lab_wait 10 "grep -q 'another master 203.0.113.105 (priority 50) on eth0 - split brain?' '$LAB_TMP/d1.log'" \
  || { tail -n 20 "$LAB_TMP/d1.log" >&2; lab_fail "d1 did not log the other master"; }
c=$(conflict d1)
lab_log "d1 status conflict: $c"
python3 -c 'import json,sys; c=json.loads(sys.argv[1]); sys.exit(0 if c and c["peer"]=="203.0.113.105" and c["priority"]==50 and c["since"].endswith("Z") else 1)' "$c" \
  || lab_fail "d1 status has no conflict with 203.0.113.105: $c"
lab_exec d1 "$LVSCTL" director status --run-dir "$LAB_TMP/run-d1" | grep -q 'CONFLICT: another master 203.0.113.105 (priority 50)' \
  || lab_fail "d1 text status has no CONFLICT line"
[ "$(conflict d2)" = null ] || lab_fail "d2, which hears nothing, reports a conflict"
[ "$(dir_state d1)" = MASTER ] && [ "$(dir_state d2)" = MASTER ] || lab_fail "not both MASTER"
# Several more adverts of d2: still one line.
lab_wait 10 "[ \$(dir_status d1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"vrrp_instances\"][0][\"adverts_received\"])') -ge 5 ]" || true
[ "$(grep -c 'another master 203.0.113.105 (priority 50)' "$LAB_TMP/d1.log")" -eq 1 ] \
  || lab_fail "the conflict was logged more than once"
lab_log "split brain: logged once, in d1's status JSON and text"

lab_exec d2 nft delete table ip lvsctl_test
lab_wait 20 "! dir_vip_on d2" || lab_fail "d2 did not yield once it hears d1"
lab_wait 20 "[ \"\$(conflict d1)\" = null ]" || lab_fail "d1's conflict did not clear: $(conflict d1)"
grep -q 'another master 203.0.113.105 on eth0: conflict over after' "$LAB_TMP/d1.log" \
  || lab_fail "d1 did not log the end of the conflict"
[ "$(grep -c 'conflict over' "$LAB_TMP/d1.log")" -eq 1 ] || lab_fail "the end was logged more than once"
dir_vip_on d1 || lab_fail "d1 lost the VIP"
lab_log "healed: conflict cleared in log and status"
dir_stop_pair "$m" "$b" "$VIP/32"
