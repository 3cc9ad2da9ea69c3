#!/usr/bin/env bash
# Fault: link down on the master's interface puts its instance in FAULT (VIP removed) and the
# backup takes over; link up again and the master preempts back. Both directors are lvsctl;
# the backup is also checked with keepalived as the master's peer.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3

dir_lab
dir_conf "$LAB_TMP/m.conf" 100 MASTER
dir_conf "$LAB_TMP/b.conf" 50 BACKUP
dir_lvsctl d1 "$LAB_TMP/m.conf"
dir_lvsctl d2 "$LAB_TMP/b.conf"
lab_wait 10 "dir_vip_on d1" || lab_fail "VIP not on the master"
lab_wait 10 "dir_backup_accepts d2" || lab_fail "d2 is not a BACKUP hearing the master"

ip -n "${LAB}-d1" link set eth0 down
lab_wait 5 '[ "$(dir_state d1)" = FAULT ]' || lab_fail "master not in FAULT after link down: $(dir_status d1)"
dir_vip_on d1 && lab_fail "FAULT master still holds the VIP"
lab_wait 10 "dir_vip_on d2" || lab_fail "backup did not take over from the faulted master"
lab_log "link down: master FAULT, backup MASTER"

ip -n "${LAB}-d1" link set eth0 up
lab_wait 15 "dir_vip_on d1 && ! dir_vip_on d2" || lab_fail "master did not preempt back after link up"
[ "$(dir_state d1)" = MASTER ] || lab_fail "d1 not MASTER after link up"
[ "$(dir_state d2)" = BACKUP ] || lab_fail "d2 not BACKUP after link up"
grep -q "Entering FAULT" "$LAB_TMP/d1.log" || lab_fail "no 'Entering FAULT' log line"
lab_log "PASS"
