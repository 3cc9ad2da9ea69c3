#!/usr/bin/env bash
# Two lvsctl directors with the user's scenario (VRID 100, priority 100/50, advert_int 1, auth
# PASS 12345, one VIP): the VIP sits on the master only; kill -9 the master and the VIP moves to
# the backup; restart the master and it takes the VIP back (preempt), the backup releases it.
# SIGTERM (priority-0 advert) also hands the VIP over. status --json reports the states.
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
sleep 2
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

# Restart: the master removes its stale VIP, then preempts; the backup releases the VIP.
dir_lvsctl d1 "$LAB_TMP/master.conf"; master=$LAB_LAST_PID
lab_wait 10 "dir_vip_on d1 && ! dir_vip_on d2" || lab_fail "restarted master did not take the VIP back"
lab_wait 5 '[ "$(dir_state d2)" = BACKUP ]' || lab_fail "d2 did not return to BACKUP: $(dir_status d2)"
lab_log "restarted master preempted"

# SIGTERM: priority-0 advert, VIP removed from the master, the backup takes over quickly.
kill -TERM "$master"
lab_wait 5 "! dir_vip_on d1 && dir_vip_on d2" || lab_fail "SIGTERM did not hand the VIP over"
lab_wait 5 "! kill -0 $master" || lab_fail "master did not exit on SIGTERM"
grep -q "Entering MASTER" "$LAB_TMP/d2.log" || lab_fail "no 'Entering MASTER' log line on d2"
lab_log "PASS"
