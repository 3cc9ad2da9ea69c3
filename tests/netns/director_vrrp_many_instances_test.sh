#!/usr/bin/env bash
# 255 VRRPv3 instances (every VRID of one interface) at advert_int 0.1 on an lvsctl master: its
# masters share one phase, so 255 adverts leave in one burst every 100 ms. An lvsctl backup and a
# keepalived 2.2.7 backup (the oracle) on the same switch must hear every instance's master: for
# 10 s neither enters MASTER for any instance, the lvsctl backup's raw socket drops nothing and
# all 255 of its instances are BACKUP with adverts received and none rejected; the master logs
# no send error.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 keepalived
N=255

lab_ns d1; lab_ns d2; lab_ns d3
lab_link d1 eth0 203.0.113.104/24
lab_link d2 eth0 203.0.113.105/24
lab_link d3 eth0 203.0.113.106/24

conf() {  # conf FILE PRIO STATE
  {
    echo "global_defs { vrrp_version 3 }"
    for i in $(seq "$N"); do
      printf 'vrrp_instance VI_%s {\n state %s\n interface eth0\n virtual_router_id %s\n' "$i" "$3" "$i"
      # VIPs 198.51.100.1-200, then 203.0.113.151-205
      printf ' priority %s\n advert_int 0.1\n virtual_ipaddress {\n %s/32\n }\n}\n' "$2" \
        "$([ "$i" -le 200 ] && echo "198.51.100.$i" || echo "203.0.113.$((i - 50))")"
    done
  } >"$1"
}
conf "$LAB_TMP/m.conf" 100 MASTER
conf "$LAB_TMP/b.conf" 50 BACKUP

dir_start lvsctl d1 "$LAB_TMP/m.conf"
lab_wait 10 '[ "$(grep -c "Entering MASTER" "$LAB_TMP/d1.log")" = "$N" ]' ||
  lab_fail "the master did not take all $N instances: $(grep -c "Entering MASTER" "$LAB_TMP/d1.log"); $(tail -3 "$LAB_TMP/d1.log")"
dir_start lvsctl d2 "$LAB_TMP/b.conf"
dir_start keepalived d3 "$LAB_TMP/b.conf"
sleep 10

raw_drops=$(lab_exec d2 awk 'NR > 1 { d += $NF } END { print d + 0 }' /proc/net/raw)
lab_log "lvsctl backup: raw socket drops $raw_drops"
[ "$raw_drops" = 0 ] || lab_fail "the lvsctl backup's VRRP socket dropped $raw_drops adverts"
! grep -q "Entering MASTER" "$LAB_TMP/d2.log" ||
  lab_fail "the lvsctl backup took over: $(grep -m3 'Entering MASTER' "$LAB_TMP/d2.log")"
! grep -q "Entering MASTER" "$LAB_TMP/d3.log" ||
  lab_fail "keepalived took over: $(grep -m3 'Entering MASTER' "$LAB_TMP/d3.log")"
! grep -qi "cannot send" "$LAB_TMP/d1.log" ||
  lab_fail "the master failed to send: $(grep -m3 -i 'cannot send' "$LAB_TMP/d1.log")"
dir_status d2 | python3 -c "
import json, sys
insts = json.load(sys.stdin)['vrrp_instances']
assert len(insts) == $N, len(insts)
bad = [i['name'] for i in insts
       if i['state'] != 'BACKUP' or i['adverts_received'] < 50 or i['adverts_rejected'] != 0]
assert not bad, bad[:5]
" || lab_fail "lvsctl backup status: not every instance BACKUP hearing its master"
lab_log "255 instances: both backups stayed BACKUP, no drops, no send errors"
