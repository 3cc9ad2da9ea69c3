# A master + backup pair of lvsctl directors watched from the wire, for reload tests (source after
# netns.sh, director.sh and director_events.sh).
#   pair_conf FILE PRIO STATE "VIPS" [with-b]   # VI_A (VRID 100, PASS 12345) with VIPS; plus VI_B
#                                               # (VRID 101, VIP $VIP_B) with "with-b"
#   pair_both "VIPS" [with-b]                   # that change in both files: $M (d1, 100, MASTER)
#                                               # and $B (d2, 50, BACKUP)
#   pair_start                                  # watch on cl, d1 then d2; returns once d1 is
#                                               # MASTER, d2 BACKUP and 5 adverts went by
#                                               # (sets MASTER_PID, BACKUP_PID)
#   pair_from_master VRID                       # watch regex: an advert of VRID from d1, prio 100
#   pair_quiet_backup WHEN                      # the backup never advertised (never MASTER), the
#                                               # master never sent priority 0 for VI_A, d2 BACKUP
#                                               # without $VIP
VIP_B=203.0.113.110
M=$LAB_TMP/m.conf
B=$LAB_TMP/b.conf

pair_conf() {
  local file=$1 prio=$2 state=$3 vips=$4 b=${5:-} v
  {
    printf 'global_defs {\n    router_id LVS_RELOAD\n}\n'
    printf 'vrrp_instance VI_A {\n    state %s\n    interface eth0\n    virtual_router_id 100\n' "$state"
    printf '    priority %s\n    advert_int 1\n' "$prio"
    printf '    authentication {\n        auth_type PASS\n        auth_pass 12345\n    }\n'
    printf '    virtual_ipaddress {\n'
    for v in $vips; do printf '        %s\n' "$v"; done
    printf '    }\n}\n'
    if [ "$b" = with-b ]; then
      printf 'vrrp_instance VI_B {\n    state %s\n    interface eth0\n    virtual_router_id 101\n' "$state"
      printf '    priority %s\n    advert_int 1\n' "$prio"
      printf '    virtual_ipaddress {\n        %s\n    }\n}\n' "$VIP_B"
    fi
  } >"$file"
}

pair_both() {
  pair_conf "$M" 100 MASTER "$1" "${2:-}"
  pair_conf "$B" 50 BACKUP "$1" "${2:-}"
}

pair_from_master() { echo "203\\.0\\.113\\.104 > 224\\.0\\.0\\.18 VRRPv2 vrid $1 prio 100 "; }

pair_start() {
  dir_lab
  dev_watch_start cl
  dir_lvsctl d1 "$M"; MASTER_PID=$LAB_LAST_PID
  lab_wait "$DEV_WAIT" "dir_vip_on d1" || dev_fail "VIP never came up on the master"
  dir_lvsctl d2 "$B"; BACKUP_PID=$LAB_LAST_PID
  lab_wait "$DEV_WAIT" "dir_backup_accepts d2" || dev_fail "the backup did not settle as BACKUP"
  # More adverts than Master_Down_Interval (3 x 1 s + skew): a backup that ignored them would
  # have taken over by now.
  dev_wait_adverts 5 "$(pair_from_master 100)"
  pair_quiet_backup "after start"
  [ "$(dev_count d1 'VI_A) Entering MASTER')" -eq 1 ] || dev_fail "d1 entered MASTER more than once"
  lab_log "pair settled: d1 MASTER, d2 BACKUP, backup silent on the wire"
}

pair_quiet_backup() {
  [ "$(dev_adverts '203\.0\.113\.105 > ')" -eq 0 ] || dev_fail "the backup sent adverts (it was MASTER): $1"
  [ "$(dev_adverts '203\.0\.113\.104 > .* vrid 100 prio 0 ')" -eq 0 ] \
    || dev_fail "the master sent priority 0 for VI_A (it resigned): $1"
  [ "$(dev_count d2 'Entering MASTER')" -eq 0 ] || dev_fail "the backup entered MASTER: $1"
  [ "$(dir_state d2)" = BACKUP ] || dev_fail "d2 is not BACKUP: $1: $(dir_status d2)"
  ! lab_has_addr d2 eth0 "$VIP" || dev_fail "VIP $VIP on the backup: $1"
}
