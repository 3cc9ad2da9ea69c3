#!/usr/bin/env bash
# lvsctl and keepalived 2.2.7 as VRRP peers, both ways, VRRPv2 with PASS authentication and
# VRRPv3: failover and preemption work, and each accepts the other's adverts. A peer with the
# wrong auth_pass (logged) or VRID is ignored, never obeyed.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 keepalived

dir_lab

run_pair() {  # run_pair VERSION MASTER_IMPL BACKUP_IMPL: impl is lvsctl or keepalived
  local version=$1 advert=1
  [ "$version" = 3 ] && advert=0.1
  lab_log "--- v$version: $2 master (d1) + $3 backup (d2)"
  dir_conf "$LAB_TMP/m.conf" 100 MASTER "$version" 12345 "$advert"
  dir_conf "$LAB_TMP/b.conf" 50 BACKUP "$version" 12345 "$advert"
  dir_pair_round "$2" "$3" "$VIP/32" 2
}

for v in 2 3; do
  run_pair "$v" lvsctl keepalived
  run_pair "$v" keepalived lvsctl
done

lab_log "--- wrong auth_pass and wrong VRID are ignored"
dir_conf "$LAB_TMP/l.conf" 50 BACKUP 2 12345 1
dir_lvsctl d2 "$LAB_TMP/l.conf"; l=$LAB_LAST_PID
lab_wait 10 "dir_vip_on d2" || lab_fail "lvsctl alone did not become MASTER"
dir_conf "$LAB_TMP/bad.conf" 200 MASTER 2 wrongpw 1
lab_keepalived d1 "$LAB_TMP/bad.conf" >>"$LAB_TMP/d1-bad.log" 2>&1
sleep 4
dir_vip_on d2 || lab_fail "lvsctl obeyed an advert with the wrong auth_pass"
[ "$(dir_state d2)" = MASTER ] || lab_fail "lvsctl left MASTER for a wrong-auth peer"
grep -q "auth" "$LAB_TMP/d2.log" || lab_fail "the wrong auth_pass was not logged"
dir_status d2 | python3 -c 'import json,sys; s=json.load(sys.stdin)["vrrp_instances"][0]; assert s["adverts_rejected"]>0, s' \
  || lab_fail "rejected adverts not counted"
kill -KILL "$LAB_LAST_PID"
dir_conf "$LAB_TMP/vrid.conf" 200 MASTER 2 12345 1
sed -i 's/virtual_router_id 100/virtual_router_id 101/' "$LAB_TMP/vrid.conf"
rm -rf "$LAB_TMP/ka-d1"
lab_keepalived d1 "$LAB_TMP/vrid.conf" >>"$LAB_TMP/d1-vrid.log" 2>&1
sleep 4
[ "$(dir_state d2)" = MASTER ] || lab_fail "lvsctl left MASTER for a peer with another VRID"
# Adverts of other VRIDs are another router's: the kernel filter keeps them from the instance's
# socket (`lvsctl director watch` shows every VRID on the wire).
lab_log "PASS"
