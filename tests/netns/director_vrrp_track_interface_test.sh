#!/usr/bin/env bash
# track_interface (README: VRRP instances with track_interface). d1 (priority 100) tracks its
# second link eth1; d2 (priority 50) is its backup; a bystander watches the wire.
#  1. no weight: eth1 set down on d1 -> d1's instance goes FAULT, its VIP is removed, d2 takes
#     over; eth1 up -> d1 recovers and preempts (VIP on d1 only, d2 BACKUP);
#  2. weight -20, carrier lost (the switch side of eth1 down): d1 stays MASTER and advertises
#     priority 80 on the wire (status: effective 80); carrier back -> priority 100 again;
#  3. weight -60: eth1 down -> d1 advertises 40, below d2's 50: d2 preempts, d1 BACKUP with
#     effective priority 40 (no FAULT); eth1 up -> d1 takes the VIP back.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
. "$(dirname "$0")/../lib/director_events.sh"
lab_require_root
lab_require python3

dir_lab
lab_link d1 eth1 198.51.100.1/24
dev_watch_start cl
# The switch side of d1's eth1 (its veth peer in the hub namespace), to cut the carrier.
peer_index=$(ip -n "${LAB}-d1" -o link show dev eth1 | sed -n 's/^[0-9]*: eth1@if\([0-9]*\):.*/\1/p')
peer=$(ip -n "${LAB}-hub" -o link show | awk -F': ' -v i="$peer_index" '$1 == i {sub(/@.*/, "", $2); print $2}')
[ -n "$peer" ] || lab_fail "no hub-side peer for d1's eth1"

d1_conf() {  # d1_conf [WEIGHT]: the scenario's master config, tracking eth1
  dir_conf "$LAB_TMP/m.conf" 100 MASTER
  local track="        eth1${1:+ weight $1}"
  sed -i "s/^    interface eth0\$/    interface eth0\n    track_interface {\n$track\n    }/" "$LAB_TMP/m.conf"
  grep -q "^$track\$" "$LAB_TMP/m.conf" || lab_fail "no track_interface in $(cat "$LAB_TMP/m.conf")"
}
dir_conf "$LAB_TMP/b.conf" 50 BACKUP
MASTER='203\.0\.113\.104 > 224\.0\.0\.18 VRRPv2 vrid 100 prio'
BACKUP='203\.0\.113\.105 > 224\.0\.0\.18 VRRPv2 vrid 100 prio 50 '
field() { dev_instance "$1" VIP_NSQ_100 "$2"; }

start_pair() {  # start_pair [WEIGHT]
  d1_conf "${1:-}"
  dir_lvsctl d1 "$LAB_TMP/m.conf"; master=$LAB_LAST_PID
  lab_wait "$DEV_WAIT" "dir_vip_on d1" || dev_fail "VIP never came up on d1"
  dir_lvsctl d2 "$LAB_TMP/b.conf"; backup=$LAB_LAST_PID
  lab_wait "$DEV_WAIT" "dir_backup_accepts d2" || dev_fail "d2 did not settle as BACKUP"
}
settled_on_d1() {  # settled_on_d1 WHEN: d1 MASTER at 100 with the VIP, d2 BACKUP without
  lab_wait "$DEV_WAIT" "dir_vip_on d1 && ! dir_vip_on d2" || dev_fail "$1: the VIP is not on d1 only"
  lab_wait "$DEV_WAIT" '[ "$(field d1 state)" = MASTER ] && [ "$(field d2 state)" = BACKUP ]' \
    || dev_fail "$1: states $(dir_status d1) / $(dir_status d2)"
  [ "$(field d1 effective_priority)" = 100 ] || dev_fail "$1: d1's effective priority: $(dir_status d1)"
  dev_wait_adverts 2 "$MASTER 100 "
}

# --- 1. no weight: FAULT ------------------------------------------------------------------------
start_pair
settled_on_d1 "start"
ip -n "${LAB}-d1" link set eth1 down
lab_wait "$DEV_WAIT" '[ "$(field d1 state)" = FAULT ]' || dev_fail "d1 not FAULT after eth1 down: $(dir_status d1)"
lab_wait "$DEV_WAIT" "! dir_vip_on d1" || dev_fail "FAULT d1 still holds the VIP"
lab_wait "$DEV_WAIT" "dir_vip_on d2" || dev_fail "d2 did not take over from the FAULT d1"
dev_wait_adverts 2 "$BACKUP"
[ "$(field d2 state)" = MASTER ] || dev_fail "d2 not MASTER: $(dir_status d2)"
dir_vip_on d1 && dev_fail "FAULT d1 got the VIP back while eth1 is down"
grep -q "VIP_NSQ_100) Entering FAULT" "$LAB_TMP/d1.log" || dev_fail "no 'Entering FAULT' in d1's log"
lab_log "1. eth1 down: d1 FAULT, VIP removed, d2 MASTER"
ip -n "${LAB}-d1" link set eth1 up
settled_on_d1 "eth1 up again"
lab_log "1. eth1 up: d1 recovered and preempted"
dir_stop_pair "$master" "$backup" "$VIP/32"

# --- 2. weight -20, carrier lost: the advertised priority drops, d1 stays MASTER -----------------
: >"$LAB_TMP/d1.log"; : >"$LAB_TMP/d2.log"
start_pair -20
settled_on_d1 "weight -20, start"
ip -n "${LAB}-hub" link set "$peer" down
dev_wait_adverts 3 "$MASTER 80 "
[ "$(field d1 state)" = MASTER ] || dev_fail "weight -20: d1 left MASTER: $(dir_status d1)"
[ "$(field d1 effective_priority)" = 80 ] || dev_fail "weight -20: effective priority: $(dir_status d1)"
dir_vip_on d1 && ! dir_vip_on d2 || dev_fail "weight -20: the VIP moved"
[ "$(dev_count d1 'Entering FAULT')" -eq 0 ] || dev_fail "weight -20: d1 went FAULT (a weight only lowers the priority)"
[ "$(dev_count d2 'Entering MASTER')" -eq 0 ] || dev_fail "weight -20: d2 became MASTER"
lab_log "2. carrier lost, weight -20: d1 advertises 80, still MASTER"
ip -n "${LAB}-hub" link set "$peer" up
dev_wait_adverts 2 "$MASTER 100 "
settled_on_d1 "weight -20, carrier back"
lab_log "2. carrier back: d1 advertises 100"
dir_stop_pair "$master" "$backup" "$VIP/32"

# --- 3. weight -60: below the backup, which preempts ---------------------------------------------
: >"$LAB_TMP/d1.log"; : >"$LAB_TMP/d2.log"
start_pair -60
settled_on_d1 "weight -60, start"
ip -n "${LAB}-d1" link set eth1 down
lab_wait "$DEV_WAIT" "dir_vip_on d2 && ! dir_vip_on d1" || dev_fail "weight -60: d2 did not preempt d1 at 40"
lab_wait "$DEV_WAIT" '[ "$(field d1 state)" = BACKUP ] && [ "$(field d2 state)" = MASTER ]' \
  || dev_fail "weight -60: states $(dir_status d1) / $(dir_status d2)"
[ "$(field d1 effective_priority)" = 40 ] || dev_fail "weight -60: effective priority: $(dir_status d1)"
[ "$(dev_adverts "$MASTER 40 ")" -ge 1 ] || dev_fail "weight -60: d1 never advertised 40"
[ "$(dev_count d1 'Entering FAULT')" -eq 0 ] || dev_fail "weight -60: d1 went FAULT"
dev_wait_adverts 2 "$BACKUP"
lab_log "3. eth1 down, weight -60: d1 advertised 40, d2 preempted, d1 BACKUP"
ip -n "${LAB}-d1" link set eth1 up
settled_on_d1 "weight -60, eth1 up"
lab_log "3. eth1 up: d1 took the VIP back"
lab_log PASS
