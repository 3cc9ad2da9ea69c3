#!/usr/bin/env bash
# use_vmac (keepalived.conf(5)): d1 runs the same file under lvsctl, then under keepalived 2.2.7.
# Each time, on MASTER: a macvlan vrrp.100 (mode private) on eth0 with MAC 00:00:5e:00:01:64
# (VRID 100) holds the VIP; a client in another namespace resolves the VIP to that MAC (and never
# to eth0's), and the adverts leave from that MAC. Stopped: the macvlan is gone (and, with
# lvsctl, eth0's ARP sysctls are as before; keepalived leaves them set). Both implementations
# give the same link (name, kind, mode, MAC, parent) and the same addresses on it.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 tcpdump arping keepalived

VMAC=vrrp.100
MAC=00:00:5e:00:01:64
dir_lab
dir_conf "$LAB_TMP/vmac.conf" 100 MASTER
sed -i 's/^    interface eth0$/    interface eth0\n    use_vmac/' "$LAB_TMP/vmac.conf"
grep -q '^    use_vmac$' "$LAB_TMP/vmac.conf" || lab_fail "no use_vmac in $(cat "$LAB_TMP/vmac.conf")"
"$LVSCTL" director check-config -f "$LAB_TMP/vmac.conf" >"$LAB_TMP/check.out" 2>&1 \
  || lab_fail "check-config refused use_vmac: $(cat "$LAB_TMP/check.out")"

eth0_mac=$(ip -n "${LAB}-d1" -j link show dev eth0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
sysctls() { lab_exec d1 cat /proc/sys/net/ipv4/conf/eth0/arp_ignore /proc/sys/net/ipv4/conf/eth0/arp_filter | tr '\n' ' '; }
sysctls_before=$(sysctls)

# "kind mode mac parent | addresses" of the VMAC in d1
vmac_facts() {
  local link addrs
  link=$(ip -n "${LAB}-d1" -j -d link show dev "$VMAC" 2>/dev/null) || return 1
  addrs=$(ip -n "${LAB}-d1" -j addr show dev "$VMAC") || return 1
  python3 -c '
import json, sys
l = json.loads(sys.argv[1])[0]; a = json.loads(sys.argv[2])[0]
info = l.get("linkinfo", {})
addrs = sorted("%s/%s" % (x["local"], x["prefixlen"]) for x in a.get("addr_info", [])
               if not x["local"].startswith("fe80:"))
print(info.get("info_kind"), info.get("info_data", {}).get("mode"), l["address"], l.get("link"),
      "|", " ".join(addrs))' "$link" "$addrs"
}

# round IMPL: start IMPL in d1 with the file, check the VMAC from inside and outside, stop it.
# Sets FACTS to vmac_facts on MASTER.
round() {
  local impl=$1 pid
  ip -n "${LAB}-cl" neigh flush all
  lab_spawn cl tcpdump -i eth0 -n -e -l -U "arp or ip proto 112" >"$LAB_TMP/$impl.cap" 2>"$LAB_TMP/$impl.cap.err"
  local cap=$LAB_LAST_PID
  lab_wait 10 "grep -q 'listening on' '$LAB_TMP/$impl.cap.err'" || lab_fail "tcpdump: $(cat "$LAB_TMP/$impl.cap.err")"
  dir_start "$impl" d1 "$LAB_TMP/vmac.conf"; pid=$LAB_LAST_PID
  lab_wait 30 "lab_has_addr d1 $VMAC $VIP" \
    || lab_fail "$impl: VIP not on $VMAC: $(ip -n "${LAB}-d1" -o addr; tail -20 "$LAB_TMP/d1.log")"
  FACTS=$(vmac_facts) || lab_fail "$impl: no $VMAC"
  lab_log "$impl: $VMAC: $FACTS"
  [[ $FACTS == "macvlan private $MAC eth0 | $VIP/32" ]] || lab_fail "$impl: $VMAC is: $FACTS"
  lab_has_addr d1 eth0 "$VIP" && lab_fail "$impl: the VIP is on eth0 too"
  # The client asks who has the VIP: the answer comes from the VMAC's MAC (only).
  local answers
  answers=$(lab_exec cl arping -c 3 -w 5 -i eth0 "$VIP" 2>&1) || true
  grep -qi "bytes from $MAC ($VIP)" <<<"$answers" || lab_fail "$impl: ARP answers for $VIP: $answers"
  grep -qi "bytes from $eth0_mac" <<<"$answers" && lab_fail "$impl: eth0 answered too: $answers"
  lab_wait 10 "grep -q ' $MAC > 01:00:5e:00:00:12.*vrid 100' '$LAB_TMP/$impl.cap'" \
    || lab_fail "$impl: no advert from $MAC: $(cat "$LAB_TMP/$impl.cap")"
  grep -q "Reply $VIP is-at $eth0_mac" "$LAB_TMP/$impl.cap" \
    && lab_fail "$impl: eth0 answered ARP for the VIP: $(cat "$LAB_TMP/$impl.cap")"
  grep -q " $MAC > ff:ff:ff:ff:ff:ff.*Request who-has $VIP .*tell $VIP," "$LAB_TMP/$impl.cap" \
    || grep -q " $MAC >.*Reply $VIP is-at $MAC" "$LAB_TMP/$impl.cap" \
    || lab_fail "$impl: no gratuitous ARP from $MAC: $(cat "$LAB_TMP/$impl.cap")"
  kill -TERM "$pid"
  lab_wait 15 "! kill -0 $pid 2>/dev/null" || lab_fail "$impl did not stop"
  kill -TERM "$cap"
  lab_wait 10 "! ip -n '${LAB}-d1' link show dev $VMAC" || lab_fail "$impl left $VMAC behind"
  # keepalived 2.2.7 leaves eth0's arp_ignore/arp_filter at 1 1; lvsctl puts them back.
  [ "$impl" = keepalived ] || [ "$(sysctls)" = "$sysctls_before" ] || lab_fail "$impl left eth0's arp_ignore/arp_filter at $(sysctls) (was $sysctls_before)"
}

round lvsctl
lvsctl_facts=$FACTS
round keepalived
[ "$FACTS" = "$lvsctl_facts" ] || lab_fail "keepalived's VMAC: $FACTS; lvsctl's: $lvsctl_facts"
lab_log "PASS: $VMAC as keepalived makes it: $FACTS"
