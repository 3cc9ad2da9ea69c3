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
counters() {  # counters NS: "RECEIVED REJECTED" of the first instance
  dir_status "$1" | python3 -c 'import json,sys; s=json.load(sys.stdin)["vrrp_instances"][0]; print(s["adverts_received"], s["adverts_rejected"])'
}
dir_conf "$LAB_TMP/l.conf" 50 BACKUP 2 12345 1
dir_lvsctl d2 "$LAB_TMP/l.conf"; l=$LAB_LAST_PID
lab_wait 10 "dir_vip_on d2" || lab_fail "lvsctl alone did not become MASTER"
dir_capture d2 "$LAB_TMP/d2.pcap.txt"
[ "$(counters d2)" = "0 0" ] || lab_fail "lvsctl alone counted adverts: $(counters d2)"
mark=$(dir_log_mark d2)
# keepalived with priority 200 and the wrong password: obeyed, its first advert would make lvsctl
# BACKUP. Three of its adverts reached d2 (the capture): each was rejected, none obeyed.
dir_conf "$LAB_TMP/bad.conf" 200 MASTER 2 wrongpw 1
lab_keepalived d1 "$LAB_TMP/bad.conf" >>"$LAB_TMP/d1-bad.log" 2>&1; bad=$LAB_LAST_PID
lab_wait 40 "dir_captured $LAB_TMP/d2.pcap.txt 203.0.113.104 100 3" \
  || lab_fail "keepalived (wrong auth_pass) sent no adverts: $(cat "$LAB_TMP/d1-bad.log")"
dir_vip_on d2 || lab_fail "lvsctl obeyed an advert with the wrong auth_pass"
[ "$(dir_state d2)" = MASTER ] || lab_fail "lvsctl left MASTER for a wrong-auth peer"
lab_wait 10 '[ "$(counters d2 | cut -d" " -f2)" -ge 3 ]' || lab_fail "wrong-auth adverts not rejected: $(dir_status d2)"
[ "$(counters d2 | cut -d' ' -f1)" = 0 ] || lab_fail "wrong-auth adverts counted as received: $(dir_status d2)"
dir_log_since d2 "$mark" | grep -q "VRRP_Instance(VIP_NSQ_100) ignored a packet.*: auth mismatch" \
  || lab_fail "the wrong auth_pass was not logged: $(dir_log_since d2 "$mark")"
kill -KILL "$bad"
lab_wait 10 "! kill -0 $bad 2>/dev/null" || lab_fail "keepalived did not stop"

# keepalived with priority 200 on VRID 101: another router. Three of its adverts reached d2; the
# lvsctl instance (VRID 100) neither obeyed nor even saw them (the kernel filter keeps them from
# its socket, so no counter moves; `lvsctl director watch` shows every VRID on the wire).
before=$(counters d2)
dir_conf "$LAB_TMP/vrid.conf" 200 MASTER 2 12345 1
sed -i 's/virtual_router_id 100/virtual_router_id 101/' "$LAB_TMP/vrid.conf"
rm -rf "$LAB_TMP/ka-d1"
lab_keepalived d1 "$LAB_TMP/vrid.conf" >>"$LAB_TMP/d1-vrid.log" 2>&1
lab_wait 20 "dir_captured $LAB_TMP/d2.pcap.txt 203.0.113.104 101 3" \
  || lab_fail "keepalived (VRID 101) sent no adverts: $(cat "$LAB_TMP/d1-vrid.log")"
dir_vip_on d2 || lab_fail "lvsctl gave up the VIP for a peer with another VRID"
[ "$(dir_state d2)" = MASTER ] || lab_fail "lvsctl left MASTER for a peer with another VRID"
[ "$(counters d2)" = "$before" ] || lab_fail "adverts of VRID 101 reached the VRID 100 instance: $before -> $(counters d2)"
lab_log "PASS"
