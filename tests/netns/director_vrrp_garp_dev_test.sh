#!/usr/bin/env bash
# Gratuitous ARP of a VIP declared on another device (`198.51.100.100/24 dev eth1` in
# virtual_ipaddress): keepalived sends it out of that device, where the VIP's neighbours are.
# d1 (alone, MASTER) has eth0 (the instance's interface) and eth1; tcpdump on the switch-side peer
# of each of d1's links, inbound only (what d1 sent on that link), sees after the takeover:
# the eth1 VIP's GARP on eth1's peer and not on eth0's; the eth0 VIP's GARP on eth0's peer.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require tcpdump

dir_lab
lab_link d1 eth1 198.51.100.1/24
hub_peer() {  # hub_peer IFNAME: the hub-side veth of d1's IFNAME
  local index
  index=$(ip -n "${LAB}-d1" -o link show dev "$1" | sed -n "s/^[0-9]*: $1@if\([0-9]*\):.*/\1/p")
  ip -n "${LAB}-hub" -o link show | awk -F': ' -v i="$index" '$1 == i {sub(/@.*/, "", $2); print $2}'
}
peer0=$(hub_peer eth0); peer1=$(hub_peer eth1)
[ -n "$peer0" ] && [ -n "$peer1" ] || lab_fail "no hub-side peers for d1's links"

capture() {  # capture PEER FILE: ARP frames d1 sent on the link of PEER
  lab_spawn hub tcpdump -i "$1" -Q in -n -l -U -e arp >"$2" 2>"$2.err"
  lab_wait 10 "grep -q 'listening on' '$2.err'" || lab_fail "tcpdump on $1: $(cat "$2.err")"
}
capture "$peer0" "$LAB_TMP/eth0.arp"
capture "$peer1" "$LAB_TMP/eth1.arp"

dir_conf "$LAB_TMP/m.conf" 100 MASTER
sed -i "s|^        $VIP\$|        $VIP\n        198.51.100.100/24 dev eth1|" "$LAB_TMP/m.conf"
grep -q 'dev eth1' "$LAB_TMP/m.conf" || lab_fail "no dev line in $(cat "$LAB_TMP/m.conf")"
dir_lvsctl d1 "$LAB_TMP/m.conf"
lab_wait 30 "dir_vip_on d1 && lab_has_addr d1 eth1 198.51.100.100" \
  || lab_fail "VIPs not on d1: $(ip -n "${LAB}-d1" -o addr; cat "$LAB_TMP/d1.log")"

garp() { grep -q "Request who-has $2 .*tell $2," "$1" || grep -q "Reply $2 is-at" "$1"; }
lab_wait 20 "garp '$LAB_TMP/eth1.arp' 198.51.100.100" \
  || lab_fail "no gratuitous ARP for 198.51.100.100 out of eth1: $(cat "$LAB_TMP/eth1.arp" "$LAB_TMP/d1.log")"
lab_wait 20 "garp '$LAB_TMP/eth0.arp' $VIP" \
  || lab_fail "no gratuitous ARP for $VIP out of eth0: $(cat "$LAB_TMP/eth0.arp")"
if garp "$LAB_TMP/eth0.arp" 198.51.100.100; then
  lab_fail "gratuitous ARP for the eth1 VIP went out of eth0: $(cat "$LAB_TMP/eth0.arp")"
fi
if garp "$LAB_TMP/eth1.arp" "$VIP"; then
  lab_fail "gratuitous ARP for the eth0 VIP went out of eth1: $(cat "$LAB_TMP/eth1.arp")"
fi
lab_log "PASS: each VIP's gratuitous ARP left from its own device"
