#!/usr/bin/env bash
# SIGHUP of a master + backup pair after a VIP was added to the running instance VI_A in both
# files (keepalived: the master adds the VIP and keeps advertising). Watched from the wire: the
# new VIP comes up on the master, the master's adverts carry it, VI_A stays MASTER throughout
# (no priority 0, no state change logged), the backup never advertises (never MASTER) and never
# holds a VIP. Then the VIP is removed again: it leaves the master, the same holds.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
. "$(dirname "$0")/../lib/director_events.sh"
. "$(dirname "$0")/../lib/director_pair.sh"
lab_require_root
lab_require python3

VIP_ADDED=203.0.113.101
pair_both "$VIP"
pair_start

check_kept() {  # check_kept WHEN VIPS_REGEX STATUS_VIPS
  # More than a Master_Down_Interval of adverts with the new list: a backup that heard the
  # master resign would have been heard by now.
  dev_wait_adverts 5 "$(pair_from_master 100).*vips $2\$"
  dir_vip_on d1 || dev_fail "$1: $VIP left the master"
  pair_quiet_backup "$1"
  ! lab_has_addr d2 eth0 "$VIP_ADDED" || dev_fail "$1: $VIP_ADDED on the backup"
  [ "$(dev_instance d1 VI_A state)" = MASTER ] || dev_fail "$1: VI_A not MASTER: $(dir_status d1)"
  [ "$(dev_count d1 'VI_A) Entering')" -eq 2 ] || dev_fail "$1: VI_A changed state (it should stay MASTER)"
  [ "$(dev_instance d1 VI_A vips)" = "$3" ] || dev_fail "$1: status vips: $(dir_status d1)"
}

pair_both "$VIP $VIP_ADDED"
dev_hup d2 "$BACKUP_PID" 'Reloaded in'
dev_hup d1 "$MASTER_PID" 'Reloaded in'
lab_wait "$DEV_WAIT" "lab_has_addr d1 eth0 $VIP_ADDED" || dev_fail "added VIP $VIP_ADDED not on the master"
check_kept "reload with an added VIP" '203\.0\.113\.100,203\.0\.113\.101' "$VIP/32,$VIP_ADDED/32"
lab_log "added VIP: on the master, VI_A stayed MASTER, the backup stayed silent"

pair_both "$VIP"
dev_hup d2 "$BACKUP_PID" 'Reloaded in'
dev_hup d1 "$MASTER_PID" 'Reloaded in'
lab_wait "$DEV_WAIT" "! lab_has_addr d1 eth0 $VIP_ADDED" || dev_fail "removed VIP $VIP_ADDED still on the master"
check_kept "reload with a VIP removed" '203\.0\.113\.100' "$VIP/32"
lab_log "removed VIP: gone from the master, VI_A stayed MASTER, the backup stayed silent"
lab_log PASS
