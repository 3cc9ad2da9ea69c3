#!/usr/bin/env bash
# vrrp_sync_group: two instances (VI_OUT on eth0 with 203.0.113.100, VI_IN on eth1 with
# 198.51.100.100) in one group on two lvsctl directors. Link down on the master's eth1 faults
# VI_IN, and the group moves VI_OUT with it: both VIPs go to the backup. Link up: both come back.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3

dir_lab
lab_link d1 eth1 198.51.100.104/24
lab_link d2 eth1 198.51.100.105/24
VIP_IN=198.51.100.100

group_conf() {  # group_conf FILE PRIO STATE
  cat >"$1" <<CONF
global_defs {
   router_id LVS_TEST
}
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
        $VIP
    }
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
both_on() { lab_has_addr "$1" eth0 "$VIP" && lab_has_addr "$1" eth1 "$VIP_IN"; }
none_on() { ! lab_has_addr "$1" eth0 "$VIP" && ! lab_has_addr "$1" eth1 "$VIP_IN"; }
states() { dir_status "$1" | python3 -c 'import json,sys; print(" ".join(i["name"]+"="+i["state"] for i in json.load(sys.stdin)["vrrp_instances"]))'; }

group_conf "$LAB_TMP/m.conf" 100 MASTER
group_conf "$LAB_TMP/b.conf" 50 BACKUP
dir_lvsctl d1 "$LAB_TMP/m.conf"
dir_lvsctl d2 "$LAB_TMP/b.conf"
lab_wait 10 "both_on d1" || lab_fail "VIPs not both on the master: $(states d1)"
lab_wait 4 "! none_on d2" && lab_fail "backup holds a VIP: $(states d2)"
lab_log "start: both VIPs on d1 ($(states d1)), none on d2 ($(states d2))"

ip -n "${LAB}-d1" link set eth1 down
lab_wait 10 "both_on d2" || lab_fail "backup did not take both VIPs: d1 $(states d1), d2 $(states d2)"
lab_wait 5 "none_on d1" || lab_fail "d1 kept a VIP: $(states d1)"
[ "$(states d1)" = "VI_OUT=FAULT VI_IN=FAULT" ] || lab_fail "d1 states: $(states d1)"
[ "$(states d2)" = "VI_OUT=MASTER VI_IN=MASTER" ] || lab_fail "d2 states: $(states d2)"
lab_log "eth1 down on d1: d1 $(states d1), both VIPs on d2"

ip -n "${LAB}-d1" link set eth1 up
lab_wait 15 "both_on d1 && none_on d2" || lab_fail "VIPs did not come back to d1: d1 $(states d1), d2 $(states d2)"
lab_log "eth1 up: d1 $(states d1), d2 $(states d2)"
lab_log "PASS"
