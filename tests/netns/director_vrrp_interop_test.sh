#!/usr/bin/env bash
# lvsctl and keepalived 2.2.7 as VRRP peers, both ways, VRRPv2 with PASS authentication and
# VRRPv3: failover and preemption work, and each accepts the other's adverts. A peer with the
# wrong auth_pass (logged) or VRID is ignored, never obeyed.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 keepalived

dir_lab

# run_pair VERSION MASTER_IMPL BACKUP_IMPL: impl is lvsctl or keepalived.
start_impl() {  # start_impl IMPL NS CONF -> sets started_pid
  if [ "$1" = lvsctl ]; then dir_lvsctl "$2" "$3"; else lab_keepalived "$2" "$3" >>"$LAB_TMP/$2.log" 2>&1; fi
  started_pid=$LAB_LAST_PID
}

run_pair() {
  local version=$1 m_impl=$2 b_impl=$3 advert=1
  [ "$version" = 3 ] && advert=0.1
  lab_log "--- v$version: $m_impl master (d1) + $b_impl backup (d2)"
  dir_conf "$LAB_TMP/m.conf" 100 MASTER "$version" 12345 "$advert"
  dir_conf "$LAB_TMP/b.conf" 50 BACKUP "$version" 12345 "$advert"
  start_impl "$m_impl" d1 "$LAB_TMP/m.conf"; local m=$started_pid
  start_impl "$b_impl" d2 "$LAB_TMP/b.conf"; local b=$started_pid
  lab_wait 10 "dir_vip_on d1" || lab_fail "v$version: VIP not on the $m_impl master"
  sleep 2
  dir_vip_on d2 && lab_fail "v$version: $b_impl backup also holds the VIP: it does not accept $m_impl's adverts"
  if [ "$b_impl" = lvsctl ]; then
    [ "$(dir_state d2)" = BACKUP ] || lab_fail "lvsctl backup not BACKUP"
    dir_status d2 | python3 -c 'import json,sys; s=json.load(sys.stdin)["vrrp_instances"][0]; assert s["adverts_received"]>0 and s["adverts_rejected"]==0, s' \
      || lab_fail "lvsctl backup did not accept keepalived's adverts"
  fi
  kill -KILL "$m"
  lab_wait 10 "dir_vip_on d2" || lab_fail "v$version: $b_impl backup did not take over from $m_impl"
  # kill -9 leaves the VIP on the dead master (keepalived too); remove it as a restart would.
  ip -n "${LAB}-d1" addr del "$VIP/32" dev eth0 2>/dev/null || true
  start_impl "$m_impl" d1 "$LAB_TMP/m.conf"; m=$started_pid
  lab_wait 10 "dir_vip_on d1 && ! dir_vip_on d2" || lab_fail "v$version: $m_impl did not preempt $b_impl"
  kill -TERM "$m" "$b"
  lab_wait 10 "! kill -0 $m 2>/dev/null && ! kill -0 $b 2>/dev/null" || true
  kill -KILL "$m" "$b" 2>/dev/null || true
  ip -n "${LAB}-d1" addr del "$VIP/32" dev eth0 2>/dev/null || true
  ip -n "${LAB}-d2" addr del "$VIP/32" dev eth0 2>/dev/null || true
  sleep 0.5
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
