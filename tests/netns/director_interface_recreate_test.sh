#!/usr/bin/env bash
# The instance's interface deleted under a running MASTER and created again with the same name
# (a veth pair to the lab bridge), with and without dynamic_interfaces (keepalived 2.2.7 treats
# both alike: "Interface eth0 deleted", the instance in FAULT, its sockets closed; the new
# interface, found by name, gets them back). Asserted: while eth0 is gone the instance is FAULT
# (status says so) and the daemon runs on; once eth0 is back with its address the instance
# goes BACKUP then MASTER, the VIP is on the new eth0 and adverts go out of it to the bridge.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
. "$(dirname "$0")/../lib/director_events.sh"
lab_require_root
lab_require python3

dir_lab
dev_watch_start cl

round() {  # round NAME GLOBAL_LINE
  local name=$1 conf=$LAB_TMP/$1.conf pid mark
  dir_conf "$conf" 100 MASTER
  sed -i "s/^   router_id LVS_TEST\$/   router_id LVS_TEST\n   $2/" "$conf"
  : >"$LAB_TMP/d1.log"
  dir_lvsctl d1 "$conf"; pid=$LAB_LAST_PID
  lab_wait "$DEV_WAIT" "dir_vip_on d1" || dev_fail "$name: the VIP never came up"
  dev_wait_adverts 2 '203\.0\.113\.104 .*vrid 100 prio 100'

  ip -n "$LAB-d1" link del eth0
  lab_wait "$DEV_WAIT" "[ \"\$(dir_state d1)\" = FAULT ]" \
    || dev_fail "$name: not FAULT with eth0 gone: $(dir_status d1)"
  dir_status d1 | grep -q '"degraded": true' || dev_fail "$name: status not degraded in FAULT"
  kill -0 "$pid" 2>/dev/null || dev_fail "$name: the daemon exited when eth0 was deleted"
  lab_log "$name: eth0 deleted: the instance is FAULT, the daemon runs on"

  mark=$(dev_count d1 'Entering')
  lab_link d1 eth0 203.0.113.104/24
  lab_wait "$DEV_WAIT" "dir_vip_on d1" || dev_fail "$name: the VIP never came back on the new eth0"
  lab_wait "$DEV_WAIT" "[ \"\$(dir_state d1)\" = MASTER ]" || dev_fail "$name: not MASTER again"
  tail -n +"$((mark + 1))" <(grep 'Entering' "$LAB_TMP/d1.log") | grep -q 'Entering BACKUP STATE' \
    || dev_fail "$name: no BACKUP before MASTER after eth0 came back"
  dev_wait_adverts 3 '203\.0\.113\.104 .*vrid 100 prio 100'
  kill -0 "$pid" 2>/dev/null || dev_fail "$name: the daemon exited"
  lab_log "$name: eth0 re-created: BACKUP then MASTER, VIP on the new eth0, adverts on the wire"

  kill -TERM "$pid"
  lab_wait "$DEV_WAIT" "! kill -0 $pid 2>/dev/null" || dev_fail "$name: the daemon did not stop"
}

round plain "vrrp_version 2"
round dynamic "dynamic_interfaces"
lab_log PASS
