#!/usr/bin/env bash
# SIGHUP of a master + backup pair of lvsctl directors running VRRP instances (README: "SIGHUP
# reloads by difference"). A bystander watches the wire the whole time; the backup (d2) must never
# send one advert (it advertises only as MASTER) and the master (d1) never a priority 0 for VI_A.
#  1. unchanged files: the log says unchanged; no full reload, no instance restarts;
#  2. a new vrrp_instance VI_B (both directors): it starts, MASTER on d1 with its VIP, BACKUP on
#     d2 without it; VI_A untouched (not restarted, no state change);
#  3. VI_B removed (backup first, then master): its VIP goes away, it leaves status, VI_A
#     untouched.
# (A VIP added to a running instance: director_reload_vrrp_vip_test.sh.)
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
. "$(dirname "$0")/../lib/director_events.sh"
. "$(dirname "$0")/../lib/director_pair.sh"
lab_require_root
lab_require python3

pair_both "$VIP"
pair_start
master=$MASTER_PID backup=$BACKUP_PID

# --- 1. unchanged reload ------------------------------------------------------------------------
for ns in d1 d2; do
  pid=$master; [ "$ns" = d2 ] && pid=$backup
  dev_hup "$ns" "$pid" 'Reload: configuration unchanged'
  [ "$(dev_count "$ns" 'Reloaded in')" -eq 0 ] || dev_fail "$ns: an unchanged reload reloaded in full"
  [ "$(dev_count "$ns" 'starting on')" -eq 1 ] || dev_fail "$ns: an unchanged reload restarted VI_A"
done
dev_wait_adverts 2 "$(pair_from_master 100)"
pair_quiet_backup "unchanged reload"
[ "$(dev_count d1 'Entering')" -eq 2 ] || dev_fail "d1 changed state on an unchanged reload"
lab_log "1. unchanged reload: nothing happened"

# --- 2. a new vrrp_instance ---------------------------------------------------------------------
pair_both "$VIP" with-b
a_entering=$(dev_count d1 'VI_A) Entering')
a_starts=$(dev_count d1 'VI_A) starting on')
dev_hup d2 "$backup" 'Reloaded in'
dev_hup d1 "$master" 'Reloaded in'
lab_wait "$DEV_WAIT" "lab_has_addr d1 eth0 $VIP_B" || dev_fail "VI_B's VIP never came up on the master"
[ "$(dev_count d1 'VI_B) starting on')" -eq 1 ] || dev_fail "no 'VI_B starting' on d1"
[ "$(dev_count d2 'VI_B) starting on')" -eq 1 ] || dev_fail "no 'VI_B starting' on d2"
lab_wait "$DEV_WAIT" '[ "$(dev_instance d1 VI_B state)" = MASTER ] && [ "$(dev_instance d2 VI_B state)" = BACKUP ]' \
  || dev_fail "VI_B states: $(dir_status d1) / $(dir_status d2)"
dev_wait_adverts 5 "$(pair_from_master 101)"
! lab_has_addr d2 eth0 "$VIP_B" || dev_fail "VI_B's VIP on the backup"
pair_quiet_backup "reload with a new instance"
[ "$(dev_count d1 'VI_A) Entering')" -eq "$a_entering" ] || dev_fail "adding VI_B changed VI_A's state"
[ "$(dev_count d1 'VI_A) starting on')" -eq "$a_starts" ] || dev_fail "adding VI_B restarted VI_A"
lab_log "2. new instance VI_B: started, MASTER on d1, BACKUP on d2; VI_A untouched"

# --- 3. VI_B removed ------------------------------------------------------------------------------
pair_both "$VIP"
dev_hup d2 "$backup" 'Reloaded in'
dev_hup d1 "$master" 'Reloaded in'
lab_wait "$DEV_WAIT" "! lab_has_addr d1 eth0 $VIP_B" || dev_fail "removed VI_B's VIP is still on the master"
lab_wait "$DEV_WAIT" '[ -z "$(dev_instance d1 VI_B state)" ] && [ -z "$(dev_instance d2 VI_B state)" ]' \
  || dev_fail "VI_B still in status: $(dir_status d1)"
dev_wait_adverts 5 "$(pair_from_master 100)"
! lab_has_addr d2 eth0 "$VIP_B" || dev_fail "VI_B's VIP on the backup after its removal"
dir_vip_on d1 || dev_fail "VI_A's VIP left the master"
pair_quiet_backup "reload removing an instance"
[ "$(dev_count d1 'VI_A) Entering')" -eq "$a_entering" ] || dev_fail "removing VI_B changed VI_A's state"
[ "$(dev_count d1 'VI_A) starting on')" -eq "$a_starts" ] || dev_fail "removing VI_B restarted VI_A"
lab_log "3. VI_B removed: its VIP gone, VI_A untouched"
lab_log "PASS"
