#!/usr/bin/env bash
# Two lvsctl directors with the user's scenario (VRID 100, priority 100/50, advert_int 1, auth
# PASS 12345, one VIP): the VIP sits on the master only; kill -9 the master and the VIP moves to
# the backup; restart the master and it takes the VIP back (preempt), the backup releases it.
# SIGTERM (priority-0 advert) also hands the VIP over, sooner than Master_Down_Interval would.
# status --json reports the states.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3

dir_lab
dir_conf "$LAB_TMP/master.conf" 100 MASTER
dir_conf "$LAB_TMP/backup.conf" 50 BACKUP

dir_lvsctl d1 "$LAB_TMP/master.conf"; master=$LAB_LAST_PID
dir_lvsctl d2 "$LAB_TMP/backup.conf"; backup=$LAB_LAST_PID

lab_wait 10 "dir_vip_on d1" || lab_fail "VIP never came up on the master"
# Four adverts accepted by the backup: longer than its Master_Down_Interval (3.8 s) since it started.
adverts_received() { dir_status "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["vrrp_instances"][0]["adverts_received"])'; }
lab_wait 20 '[ "$(adverts_received d2)" -ge 4 ]' || lab_fail "the backup did not accept 4 adverts: $(dir_status d2)"
dir_vip_on d2 && lab_fail "VIP on the backup too (split brain)"
[ "$(dir_state d1)" = MASTER ] || lab_fail "d1 status is not MASTER: $(dir_status d1)"
[ "$(dir_state d2)" = BACKUP ] || lab_fail "d2 status is not BACKUP: $(dir_status d2)"
dir_status d1 | python3 -c '
import json, sys
s = json.load(sys.stdin)["vrrp_instances"][0]
assert s["name"] == "VIP_NSQ_100", s
assert s["priority"] == 100 and s["effective_priority"] == 100, s
assert s["vips"] == ["203.0.113.100/32"], s
assert s["master_address"] == "203.0.113.104", s
' || lab_fail "status --json fields"
dir_status d2 | python3 -c '
import json, sys
s = json.load(sys.stdin)["vrrp_instances"][0]
assert s["master_address"] == "203.0.113.104", s
assert s["adverts_received"] > 0, s
' || lab_fail "backup status --json fields"
lab_log "master/backup settled"

# kill -9 the master: the backup takes over after Master_Down (about 3.8 s).
kill -KILL "$master"
lab_wait 10 "dir_vip_on d2" || lab_fail "VIP did not move to the backup after kill -9"
lab_log "VIP moved to the backup after kill -9"

# Restart: the master removes its stale VIP (kill -9 left it on d1), then preempts; the backup
# releases the VIP. The address events of d1 show the daemon deleting the stale VIP first.
dir_vip_on d1 || lab_fail "kill -9 left no stale VIP on d1 (test premise)"
dir_addr_monitor d1 "$LAB_TMP/d1-addr-events"; monitor=$LAB_LAST_PID
dir_lvsctl d1 "$LAB_TMP/master.conf"; master=$LAB_LAST_PID
lab_wait 10 "dir_vip_on d1 && ! dir_vip_on d2" || lab_fail "restarted master did not take the VIP back"
lab_wait 5 '[ "$(dir_state d2)" = BACKUP ]' || lab_fail "d2 did not return to BACKUP: $(dir_status d2)"
kill "$monitor"
dir_stale_vip_removed "$LAB_TMP/d1-addr-events" "$VIP" \
  || lab_fail "the restarted master did not remove its stale VIP: $(cat "$LAB_TMP/d1-addr-events")"
lab_log "restarted master removed its stale VIP and preempted"

# SIGTERM: priority-0 advert, VIP removed from the master, the backup takes over after its
# Skew_Time (0.8 s), not after Master_Down_Interval (3 x 1 s + 0.8 s), as the capture shows.
dir_capture d2 "$LAB_TMP/d2.pcap.txt"
lab_wait 10 "dir_captured $LAB_TMP/d2.pcap.txt 203.0.113.104" || lab_fail "no advert of the master captured"
mark=$(dir_log_mark d2)
kill -TERM "$master"
lab_wait 10 "! dir_vip_on d1 && dir_vip_on d2" || lab_fail "SIGTERM did not hand the VIP over"
lab_wait 10 "! kill -0 $master" || lab_fail "master did not exit on SIGTERM"
lab_wait 10 "dir_resigned_to $LAB_TMP/d2.pcap.txt 203.0.113.104 203.0.113.105 3.8047" \
  || lab_fail "SIGTERM: $(dir_resigned_to "$LAB_TMP/d2.pcap.txt" 203.0.113.104 203.0.113.105 3.8047 2>&1)"
dir_resigned_to "$LAB_TMP/d2.pcap.txt" 203.0.113.104 203.0.113.105 3.8047 >&2
dir_log_since d2 "$mark" | grep -q "Entering MASTER" || lab_fail "no new 'Entering MASTER' log line on d2"
lab_log "PASS"
