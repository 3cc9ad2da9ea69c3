#!/usr/bin/env bash
# A SIGHUP that adds a VIP to VI_OUT, a member of vrrp_sync_group VG_1 (with VI_IN), on a master +
# backup pair: VI_OUT is updated in place (the new VIP comes up on the master, no state change, no
# priority 0, the backup stays silent), and it stays in its group: link down on the master's eth1
# faults VI_IN, and the group still moves VI_OUT with it, the new VIP included, to the backup.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
. "$(dirname "$0")/../lib/director_events.sh"
lab_require_root
lab_require python3

dir_lab
lab_link d1 eth1 198.51.100.104/24
lab_link d2 eth1 198.51.100.105/24
VIP_IN=198.51.100.100
VIP_ADDED=203.0.113.101
dev_watch_start cl

group_conf() {  # group_conf FILE PRIO STATE VI_OUT_VIPS
  local vips="" v
  for v in $4; do vips+="        $v"$'\n'; done
  cat >"$1" <<CONF
vrrp_sync_group VG_1 {
    group {
        VI_OUT
        VI_IN
    }
}
vrrp_instance VI_OUT {
    state $3
    interface eth0
    virtual_router_id 100
    priority $2
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 12345
    }
    virtual_ipaddress {
$vips    }
}
vrrp_instance VI_IN {
    state $3
    interface eth1
    virtual_router_id 101
    priority $2
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 12345
    }
    virtual_ipaddress {
        $VIP_IN
    }
}
CONF
}
confs() {
  group_conf "$LAB_TMP/m.conf" 100 MASTER "$1"
  group_conf "$LAB_TMP/b.conf" 50 BACKUP "$1"
}
all_on() { lab_has_addr "$1" eth0 "$VIP" && lab_has_addr "$1" eth0 "$VIP_ADDED" && lab_has_addr "$1" eth1 "$VIP_IN"; }
none_on() { ! lab_has_addr "$1" eth0 "$VIP" && ! lab_has_addr "$1" eth0 "$VIP_ADDED" && ! lab_has_addr "$1" eth1 "$VIP_IN"; }
states() { dir_status "$1" | python3 -c 'import json,sys; print(" ".join(i["name"]+"="+i["state"] for i in json.load(sys.stdin)["vrrp_instances"]))'; }
from_master() { echo "203\\.0\\.113\\.104 > 224\\.0\\.0\\.18 VRRPv2 vrid 100 prio 100 "; }

confs "$VIP"
dir_lvsctl d1 "$LAB_TMP/m.conf"; MASTER_PID=$LAB_LAST_PID
lab_wait "$DEV_WAIT" "[ \"\$(states d1)\" = 'VI_OUT=MASTER VI_IN=MASTER' ]" || dev_fail "d1 not MASTER: $(states d1)"
dir_lvsctl d2 "$LAB_TMP/b.conf"; BACKUP_PID=$LAB_LAST_PID
lab_wait "$DEV_WAIT" "[ \"\$(states d2)\" = 'VI_OUT=BACKUP VI_IN=BACKUP' ]" || dev_fail "d2 not BACKUP: $(states d2)"
dev_wait_adverts 5 "$(from_master)"
lab_log "start: d1 $(states d1), d2 $(states d2)"

confs "$VIP $VIP_ADDED"
dev_hup d2 "$BACKUP_PID" 'Reloaded in'
dev_hup d1 "$MASTER_PID" 'Reloaded in'
[ "$(dev_count d1 'VI_OUT) VIPs changed in place')" -eq 1 ] || dev_fail "VI_OUT not updated in place on d1"
lab_wait "$DEV_WAIT" "all_on d1" || dev_fail "the VIPs (with $VIP_ADDED) not all on d1: $(states d1): $(ip -n "${LAB}-d1" -o addr)"
# More than a Master_Down_Interval of adverts with the new list.
dev_wait_adverts 5 "$(from_master).*vips 203\\.0\\.113\\.100,203\\.0\\.113\\.101\$"
[ "$(dev_adverts '203\.0\.113\.105 > ')" -eq 0 ] || dev_fail "the backup advertised (it was MASTER)"
[ "$(dev_adverts ' prio 0 ')" -eq 0 ] || dev_fail "a priority-0 advert (an instance resigned)"
[ "$(dev_count d1 'VRRP_Instance(.*) Entering')" -eq 4 ] || dev_fail "d1 changed state on the reload"
[ "$(states d1)" = "VI_OUT=MASTER VI_IN=MASTER" ] || dev_fail "d1 states: $(states d1)"
none_on d2 || dev_fail "d2 holds a VIP: $(states d2)"
lab_log "reload with an added VIP: on d1, d1 $(states d1), d2 silent"

ip -n "${LAB}-d1" link set eth1 down
lab_wait "$DEV_WAIT" "all_on d2" || dev_fail "d2 did not take all VIPs (the group did not move VI_OUT): d1 $(states d1), d2 $(states d2)"
lab_wait "$DEV_WAIT" "none_on d1" || dev_fail "d1 kept a VIP: $(states d1)"
[ "$(states d1)" = "VI_OUT=FAULT VI_IN=FAULT" ] || dev_fail "d1 states: $(states d1)"
[ "$(states d2)" = "VI_OUT=MASTER VI_IN=MASTER" ] || dev_fail "d2 states: $(states d2)"
lab_log "eth1 down on d1: the group moved VI_OUT too, all VIPs on d2 (d1 $(states d1))"
lab_log PASS
