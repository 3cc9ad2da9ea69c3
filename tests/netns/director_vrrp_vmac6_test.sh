#!/usr/bin/env bash
# use_vmac on an IPv6 (VRRPv3) instance: d1 runs the same file under lvsctl, then under keepalived
# 2.2.7. Each time, on MASTER: a macvlan vrrp.60 (mode private) on eth0 with MAC
# 00:00:5e:00:02:3c (RFC 5798 7.3: 02 for IPv6, VRID 60) holds the VIP and a link-local address
# (/64, eth0's own link-local: keepalived gives the VMAC its parent's), the adverts leave from
# that MAC with that link-local source, unsolicited Neighbour Adverts for the VIP leave from that
# MAC, and a client in another namespace resolves the VIP to that MAC (never eth0's). Stopped:
# the macvlan is gone. Both implementations give the same link, addresses and capture facts.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 tcpdump keepalived

VMAC=vrrp.60
MAC=00:00:5e:00:02:3c
VIP6=2001:db8::100
dir_lab
ip -n "${LAB}-cl" addr add 2001:db8::10/64 dev eth0 nodad
lab_wait 10 "lab_exec d1 ip -6 addr show dev eth0 scope link | grep -q fe80 && ! lab_exec d1 ip -6 addr show dev eth0 | grep -q tentative" \
  || lab_fail "no usable link-local address on d1's eth0"
eth0_mac=$(ip -n "${LAB}-d1" -j link show dev eth0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
eth0_ll=$(ip -n "${LAB}-d1" -j -6 addr show dev eth0 scope link | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["addr_info"][0]["local"])')

cat >"$LAB_TMP/vmac6.conf" <<CONF
global_defs {
   router_id LVS_TEST
   vrrp_version 3
}
vrrp_instance VI_6 {
    state MASTER
    interface eth0
    use_vmac
    virtual_router_id 60
    priority 100
    advert_int 1
    virtual_ipaddress {
        $VIP6/64
    }
}
CONF
"$LVSCTL" director check-config -f "$LAB_TMP/vmac6.conf" >"$LAB_TMP/check.out" 2>&1 \
  || lab_fail "check-config refused use_vmac on IPv6: $(cat "$LAB_TMP/check.out")"

# "kind mode mac parent | addresses" of the VMAC in d1 (link-local ones included)
vmac_facts() {
  local link addrs
  link=$(ip -n "${LAB}-d1" -j -d link show dev "$VMAC" 2>/dev/null) || return 1
  addrs=$(ip -n "${LAB}-d1" -j addr show dev "$VMAC") || return 1
  python3 -c '
import json, sys
l = json.loads(sys.argv[1])[0]; a = json.loads(sys.argv[2])[0]
info = l.get("linkinfo", {})
addrs = sorted("%s/%s" % (x["local"], x["prefixlen"]) for x in a.get("addr_info", []))
print(info.get("info_kind"), info.get("info_data", {}).get("mode"), l["address"], l.get("link"),
      "|", " ".join(addrs))' "$link" "$addrs"
}

# round IMPL: start IMPL in d1 with the file, check the VMAC from inside and outside, stop it.
# Sets FACTS to vmac_facts on MASTER, ADVERT to "source MAC, source address" of its adverts.
round() {
  local impl=$1 pid cap=$LAB_TMP/$1.cap
  ip -n "${LAB}-cl" -6 neigh flush all
  lab_spawn cl tcpdump -i eth0 -n -e -l -U "ip6 and (ip6 proto 112 or icmp6)" >"$cap" 2>"$cap.err"
  local tcpdump=$LAB_LAST_PID
  lab_wait 10 "grep -q 'listening on' '$cap.err'" || lab_fail "tcpdump: $(cat "$cap.err")"
  dir_start "$impl" d1 "$LAB_TMP/vmac6.conf"; pid=$LAB_LAST_PID
  lab_wait 30 "lab_has_addr d1 $VMAC $VIP6" \
    || lab_fail "$impl: VIP not on $VMAC: $(ip -n "${LAB}-d1" -o addr; tail -20 "$LAB_TMP/d1.log")"
  # the link-local address comes with (keepalived) or before (lvsctl) the VIP
  lab_wait 10 "[[ \$(vmac_facts) == *fe80:* ]]" || true
  FACTS=$(vmac_facts) || lab_fail "$impl: no $VMAC"
  lab_log "$impl: $VMAC: $FACTS"
  [[ $FACTS == "macvlan private $MAC eth0 | $VIP6/64 $eth0_ll/64" ]] \
    || lab_fail "$impl: $VMAC is: $FACTS (eth0's link-local: $eth0_ll)"
  lab_has_addr d1 eth0 "$VIP6" && lab_fail "$impl: the VIP is on eth0 too"
  # Adverts leave from the VMAC's MAC with the link-local source, to ff02::12.
  lab_wait 10 "grep -q ' $MAC > 33:33:00:00:00:12, .* $eth0_ll > ff02::12: VRRPv3, Advertisement, vrid 60,' '$cap'" \
    || lab_fail "$impl: no advert from $MAC / $eth0_ll: $(cat "$cap")"
  grep -q " $eth0_mac > 33:33:00:00:00:12, .*VRRP" "$cap" \
    && lab_fail "$impl: adverts from eth0's MAC: $(cat "$cap")"
  # Unsolicited Neighbour Adverts for the VIP from the VMAC's MAC.
  lab_wait 10 "grep -q ' $MAC > 33:33:00:00:00:01, .*neighbor advertisement, tgt is $VIP6,' '$cap'" \
    || lab_fail "$impl: no unsolicited NA from $MAC: $(cat "$cap")"
  # The client resolves the VIP: the answer comes from the VMAC's MAC (only).
  # (a UDP datagram to the VIP makes the client's kernel solicit its neighbour)
  local neigh
  lab_wait 10 "lab_exec cl python3 -c 'import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).sendto(b\"x\", (\"$VIP6\", 9))'; ip -n '${LAB}-cl' -6 neigh show $VIP6 dev eth0 | grep -q lladdr" \
    || lab_fail "$impl: the client did not resolve $VIP6: $(ip -n "${LAB}-cl" -6 neigh; cat "$cap")"
  neigh=$(ip -n "${LAB}-cl" -6 neigh show "$VIP6" dev eth0)
  [[ $neigh == *"lladdr $MAC "* ]] || lab_fail "$impl: the client resolved $VIP6 as: $neigh"
  lab_wait 5 "grep -q ' $MAC > .*neighbor advertisement, tgt is $VIP6,' '$cap'" || true
  grep -q " $eth0_mac > .*neighbor advertisement, tgt is $VIP6," "$cap" \
    && lab_fail "$impl: eth0 answered for the VIP: $(cat "$cap")"
  ADVERT="$MAC $eth0_ll"
  kill -TERM "$pid"
  lab_wait 15 "! kill -0 $pid 2>/dev/null" || lab_fail "$impl did not stop"
  kill -TERM "$tcpdump"
  lab_wait 10 "! ip -n '${LAB}-d1' link show dev $VMAC" || lab_fail "$impl left $VMAC behind"
}

round lvsctl
lvsctl_facts=$FACTS
round keepalived
[ "$FACTS" = "$lvsctl_facts" ] || lab_fail "keepalived's VMAC: $FACTS; lvsctl's: $lvsctl_facts"
lab_log "PASS: $VMAC as keepalived makes it: $FACTS; adverts from $ADVERT"
