#!/usr/bin/env bash
# PING_CHECK inside `lvsctl director run` (nftables datapath, as the host kernel has no IPVS), in
# two directors: d1 with ping sockets (its ping_group_range admits root's group), d2 with raw
# sockets (its ping_group_range admits nobody, as a new namespace's).
#   r1 (203.0.113.101) stops answering (icmp_echo_ignore_all=1 in its namespace): down, "no echo
#     reply"; then a namespace spoofing r1 floods both directors with bogus echo replies (every
#     identifier), echo requests and unreachables: r1 stays down, the loop keeps answering; r1
#     answers again: up.
#   r2 is checked over IPv6 (connect_ip 2001:db8::102): an nft reject (ICMPv6 administratively
#     prohibited) takes it down with that reason; without the rule, up.
#   r3 (203.0.113.103) rejects echo requests (ICMP host prohibited): down with that reason; up.
# Each transition is logged once with its reason, `status --json` shows it and the nftables
# backends map follows.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3
lab_require nft

lab_ns d1; lab_ns d2; lab_ns r1; lab_ns r2; lab_ns r3; lab_ns f1
lab_link d1 eth0 203.0.113.104/24
lab_link d2 eth0 203.0.113.105/24
lab_link r1 eth0 203.0.113.101/24
lab_link r2 eth0 203.0.113.102/24
lab_link r3 eth0 203.0.113.103/24
lab_link f1 eth0 203.0.113.106/24
for ns in d1:104 d2:105 r2:102; do
  lab_exec "${ns%:*}" ip addr add "2001:db8::${ns#*:}/64" dev eth0 nodad
done
lab_exec d1 sysctl -qw net.ipv4.ping_group_range="0 2147483647"
lab_exec d2 sysctl -qw net.ipv4.ping_group_range="1 0"
for ns in r2 r3; do  # every echo request gets its ICMP error
  lab_exec "$ns" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
done

cat >"$LAB_TMP/ping.conf" <<'CONF'
global_defs {
    lb_backend nftables
}
virtual_server 203.0.113.100 80 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 203.0.113.101 80 {
        PING_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
    real_server 203.0.113.102 80 {
        PING_CHECK {
            connect_ip 2001:db8::102
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
    real_server 203.0.113.103 80 {
        PING_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
}
CONF
dir_lvsctl d1 "$LAB_TMP/ping.conf"
dir_lvsctl d2 "$LAB_TMP/ping.conf"

healthy() {  # healthy NS INDEX: true/false from status --json
  dir_status "$1" | python3 -c "import json,sys; print(str(json.load(sys.stdin)['virtual_servers'][0]['real_servers'][$2]['healthy']).lower())"
}
all() {  # all true|false INDEX...: in both directors
  local want=$1 ns i; shift
  for ns in d1 d2; do for i in "$@"; do [ "$(healthy "$ns" "$i")" = "$want" ] || return 1; done; done
}
in_map() { local t; t=$(lab_exec "$1" nft list map ip lvsctl backends 2>/dev/null) || return 1; grep -q "$2" <<<"$t"; }
in_maps() { in_map d1 "$1" && in_map d2 "$1"; }
out_of_maps() { ! in_map d1 "$1" && ! in_map d2 "$1"; }
transitions() { grep -c "$2:80 $3" "$LAB_TMP/$1.log" || true; }
echo_replies_in() { lab_exec "$1" awk '/^Icmp:/ { if (n++) print $11 }' /proc/net/snmp; }  # InEchoReps

lab_wait 20 'all true 0 1 2' || lab_fail "not all up: $(dir_status d1; dir_status d2; cat "$LAB_TMP"/d?.log)"
lab_wait 10 'in_maps 203.0.113.101 && in_maps 203.0.113.102 && in_maps 203.0.113.103' || lab_fail "backends map: $(lab_exec d1 nft list ruleset)"
lab_log "all up in both directors, all in the backends maps"

# r1 silent, r2 and r3 rejecting: down with their reasons, out of the maps.
lab_exec r1 sysctl -qw net.ipv4.icmp_echo_ignore_all=1
lab_exec r2 nft -f - <<'NFT'
table ip6 t {
  chain in {
    type filter hook input priority 0;
    icmpv6 type echo-request reject with icmpv6 type admin-prohibited
  }
}
NFT
lab_exec r3 nft -f - <<'NFT'
table ip t {
  chain in {
    type filter hook input priority 0;
    icmp type echo-request reject with icmp type host-prohibited
  }
}
NFT
lab_wait 15 'all false 0 1 2' || lab_fail "not all down: $(dir_status d1; dir_status d2)"
for ns in d1 d2; do
  log="$LAB_TMP/$ns.log"
  grep -q "203.0.113.101:80 DOWN: no echo reply within 1 s" "$log" || lab_fail "$ns: no timeout reason: $(grep 203.0.113.101 "$log")"
  grep -q "203.0.113.102:80 DOWN: .*(ICMPv6 type 1 code 1 from 2001:db8::102)" "$log" || lab_fail "$ns: no ICMPv6 reason: $(grep 203.0.113.102 "$log")"
  grep -q "203.0.113.103:80 DOWN: .*(ICMP type 3 code 10 from 203.0.113.103)" "$log" || lab_fail "$ns: no ICMP reason: $(grep 203.0.113.103 "$log")"
done
lab_wait 10 'out_of_maps 203.0.113.101 && out_of_maps 203.0.113.102 && out_of_maps 203.0.113.103' || lab_fail "still in a map: $(lab_exec d1 nft list map ip lvsctl backends)"
lab_log "down: $(grep -h ':80 DOWN' "$LAB_TMP"/d?.log | tr '\n' '|')"

# r2 answers again.
lab_exec r2 nft delete table ip6 t
lab_wait 15 'all true 1' || lab_fail "r2 not back up: $(dir_status d1; dir_status d2)"
grep -q "203.0.113.102:80 UP: echo reply (ping socket)" "$LAB_TMP/d1.log" || lab_fail "d1 not by ping socket: $(grep 203.0.113.102 "$LAB_TMP/d1.log")"
grep -q "203.0.113.102:80 UP: echo reply (raw socket)" "$LAB_TMP/d2.log" || lab_fail "d2 not by raw socket: $(grep 203.0.113.102 "$LAB_TMP/d2.log")"

# The flood: f1 spoofs r1 towards both directors while r1 is silent.
cat >"$LAB_TMP/flood.py" <<'PY'
import os, random, socket, struct, sys, time
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def icmp(t, code, rest, data):
    m = struct.pack("!BBH4s", t, code, 0, rest) + data
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]
def ip(src, dst, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0, 64, 1, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    return h + payload
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
src, targets, seconds = sys.argv[1], sys.argv[2:], 8
end, ident, sent = time.time() + seconds, 0, 0
while time.time() < end:
    for dst in targets:
        for _ in range(64):
            ident = (ident + 1) & 0xffff
            seq = random.getrandbits(16)
            body = os.urandom(16)
            s.sendto(ip(src, dst, icmp(0, 0, struct.pack("!HH", ident, seq), body)), (dst, 0))
        quoted = ip(dst, src, icmp(8, 0, struct.pack("!HH", ident, seq), body))[:28]
        s.sendto(ip(src, dst, icmp(3, 1, b"\0" * 4, quoted)), (dst, 0))
        s.sendto(ip(src, dst, icmp(8, 0, struct.pack("!HH", ident, seq), body)), (dst, 0))
        s.sendto(ip(src, dst, icmp(13, 0, b"\0" * 4, body)), (dst, 0))
        sent += 67
print(sent)
PY
before1=$(echo_replies_in d1); before2=$(echo_replies_in d2)
lab_exec f1 python3 "$LAB_TMP/flood.py" 203.0.113.101 203.0.113.104 203.0.113.105 >"$LAB_TMP/flood.out" &
flood=$!
answers=0
while kill -0 "$flood" 2>/dev/null; do  # the directors keep answering, r1 stays down, r2 up
  all false 0 && all true 1 || lab_fail "during the flood: $(dir_status d1; dir_status d2)"
  answers=$((answers + 1))
  sleep 0.5
done
wait "$flood" || lab_fail "flood failed"
got1=$(( $(echo_replies_in d1) - before1 )); got2=$(( $(echo_replies_in d2) - before2 ))
lab_log "flood: $(cat "$LAB_TMP/flood.out") packets sent, echo replies in d1 $got1, d2 $got2; $answers status answers during it"
[ "$got1" -gt 10000 ] && [ "$got2" -gt 10000 ] || lab_fail "the flood did not arrive"
[ "$answers" -ge 2 ] || lab_fail "only $answers status answers during the flood"
sleep 2
all false 0 || lab_fail "r1 up after the flood: $(dir_status d1; dir_status d2)"
for ns in d1 d2; do
  [ "$(transitions "$ns" 203.0.113.101 UP)" = 0 ] || lab_fail "$ns: r1 UP from bogus replies: $(grep 203.0.113.101 "$LAB_TMP/$ns.log")"
done

# r1 and r3 answer again.
lab_exec r1 sysctl -qw net.ipv4.icmp_echo_ignore_all=0
lab_exec r3 nft delete table ip t
lab_wait 15 'all true 0 1 2' || lab_fail "not all back up: $(dir_status d1; dir_status d2)"
lab_wait 10 'in_maps 203.0.113.101 && in_maps 203.0.113.102 && in_maps 203.0.113.103' || lab_fail "not all back in the maps"
for ns in d1 d2; do
  for r in 101 102 103; do
    [ "$(transitions "$ns" "203.0.113.$r" DOWN)" = 1 ] && [ "$(transitions "$ns" "203.0.113.$r" UP)" = 1 ] \
      || lab_fail "$ns: .$r transitions: $(grep "203.0.113.$r:80" "$LAB_TMP/$ns.log")"
  done
  dir_status "$ns" | python3 -c '
import json, sys
rs = json.load(sys.stdin)["virtual_servers"][0]["real_servers"]
assert all(r["last_check"]["result"] == "success" for r in rs), rs
' || lab_fail "$ns last_check: $(dir_status "$ns")"
done
lab_log "PASS"
