#!/usr/bin/env bash
# DNS_CHECK inside `lvsctl director run` (nftables datapath, as the host kernel has no IPVS):
#   r1 runs dnsmasq (the real server, answering www.example.test A): up; dnsmasq stopped, the
#   kernel's ICMP port unreachable takes it down; dnsmasq again: up.
#   r2 runs a hostile responder whose answer is read from a file at every query: a good answer is
#   up; REFUSED, a header cut short, answers with another id (skipped, then silence) and garbage
#   are down; 100 foreign datagrams before the good answer do not hide it: up.
# Each transition is logged once with its reason, `status --json` shows it, the nftables backends
# map follows, and the director never dies.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3
lab_require nft
lab_require dnsmasq

lab_ns d1; lab_ns r1; lab_ns r2
lab_link d1 eth0 203.0.113.104/24
lab_link r1 eth0 203.0.113.101/24
lab_link r2 eth0 203.0.113.102/24

dnsmasq_up() {  # dnsmasq in r1, in the foreground, by pid; sets r1 once port 53 is bound
  lab_spawn r1 dnsmasq --no-daemon --conf-file=/dev/null --no-resolv --no-hosts --user=root \
    --listen-address=203.0.113.101 --bind-interfaces --port=53 \
    --address=/example.test/203.0.113.50 --pid-file="$LAB_TMP/dnsmasq.pid" --log-facility=- \
    2>>"$LAB_TMP/dnsmasq.log"
  r1=$LAB_LAST_PID
  lab_wait 10 "lab_exec r1 ss -Huln 'sport = :53' | grep -q 203.0.113.101" || lab_fail "no dnsmasq: $(cat "$LAB_TMP/dnsmasq.log")"
}

cat >"$LAB_TMP/hostile.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("203.0.113.102", 53))
while True:
    q, peer = s.recvfrom(2048)
    if len(q) < 12:
        continue
    mode = open(sys.argv[1]).read().strip()
    head = b"\x00\x01\x00\x01\x00\x00\x00\x00" + q[12:]  # QD 1, AN 1, our question echoed
    good = q[:2] + b"\x81\x80" + head
    other_id = bytes([q[0] ^ 0xff, q[1]]) + b"\x81\x80" + head
    out = {
        "good": [good],
        "refused": [q[:2] + b"\x81\x85" + head],
        "truncated": [good[:5], good[:12]],  # too short to be ours, then a bare header
        "wrongid": [other_id],
        "garbage": [b"\xde\xad\xbe\xef" * 64, b"\x00"],
        "flood": [other_id] * 100 + [good],
    }[mode]
    for d in out:
        s.sendto(d, peer)
PY
echo good >"$LAB_TMP/mode"
lab_spawn r2 python3 "$LAB_TMP/hostile.py" "$LAB_TMP/mode"
lab_wait 10 "lab_exec r2 ss -Huln 'sport = :53' | grep -q 203.0.113.102" || lab_fail "no responder in r2"
dnsmasq_up
lab_exec d1 python3 - <<'PY' || lab_fail "dnsmasq does not answer the lab's query"
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
s.sendto(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03www\x07example\x04test\x00\x00\x01\x00\x01", ("203.0.113.101", 53))
a = s.recv(512)
assert a[:2] == b"\x12\x34" and a[3] & 15 == 0 and a[-4:] == bytes([203, 0, 113, 50]), a
PY

cat >"$LAB_TMP/dns.conf" <<'CONF'
global_defs {
    lb_backend nftables
}
virtual_server 203.0.113.100 53 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol UDP
    real_server 203.0.113.101 53 {
        DNS_CHECK {
            type A
            name www.example.test
            connect_timeout 1
            retry 1
        }
    }
    real_server 203.0.113.102 53 {
        DNS_CHECK {
            name example.test
            connect_timeout 1
            retry 1
            delay_before_retry 0.5
        }
    }
}
CONF
"$LVSCTL" director check-config -f "$LAB_TMP/dns.conf" >/dev/null || lab_fail "check-config refuses the DNS_CHECKs: $("$LVSCTL" director check-config -f "$LAB_TMP/dns.conf" 2>&1)"
dir_lvsctl d1 "$LAB_TMP/dns.conf"; director=$LAB_LAST_PID
log="$LAB_TMP/d1.log"

healthy() {  # healthy INDEX: true/false from status --json
  dir_status d1 | python3 -c "import json,sys; print(str(json.load(sys.stdin)['virtual_servers'][0]['real_servers'][$1]['healthy']).lower())"
}
in_map() {  # the whole listing first: `nft | grep -q` under pipefail fails when grep exits early
  local map
  map=$(lab_exec d1 nft list map ip lvsctl backends 2>/dev/null) || return 1
  grep -q "$1" <<<"$map"
}
transitions() { grep -c "$1:53 $2" "$log" || true; }
alive() { kill -0 "$director" 2>/dev/null || lab_fail "the director died: $(tail -20 "$log")"; }

lab_wait 20 '[ "$(healthy 0)" = true ] && [ "$(healthy 1)" = true ]' || lab_fail "not both up: $(dir_status d1); $(cat "$log")"
lab_wait 10 'in_map 203.0.113.101 && in_map 203.0.113.102' || lab_fail "backends map: $(lab_exec d1 nft list ruleset)"
# Real servers start up (keepalived's default): wait for the first answers themselves.
checked() {
  dir_status d1 | python3 -c '
import json, sys
rs = json.load(sys.stdin)["virtual_servers"][0]["real_servers"]
assert all(r["last_check"] and r["last_check"]["result"] == "success" for r in rs), rs
' 2>/dev/null
}
lab_wait 20 checked || lab_fail "last_check: $(dir_status d1)"
lab_log "both up, both in the backends map"

# r1: dnsmasq stops; the ICMP port unreachable takes it down, once, with its reason.
kill "$r1"; wait "$r1" 2>/dev/null || true
lab_wait 15 '[ "$(healthy 0)" = false ]' || lab_fail "r1 not down without dnsmasq: $(dir_status d1)"
grep -q "203.0.113.101:53 DOWN: .*Connection refused (ICMP port unreachable)" "$log" || lab_fail "no ICMP reason: $(grep 203.0.113.101 "$log")"
lab_wait 10 '! in_map 203.0.113.101' || lab_fail "r1 still in the map"
in_map 203.0.113.102 || lab_fail "r2 left the map with r1"
sleep 3  # three delay_loops down: still one DOWN line
[ "$(transitions 203.0.113.101 DOWN)" = 1 ] || lab_fail "DOWN logged more than once: $(grep ':53 DOWN' "$log")"
dnsmasq_up
lab_wait 15 '[ "$(healthy 0)" = true ]' || lab_fail "r1 not back up with dnsmasq: $(dir_status d1)"
lab_wait 10 'in_map 203.0.113.101' || lab_fail "r1 not back in the map"
[ "$(transitions 203.0.113.101 UP)" = 1 ] || lab_fail "UP lines: $(grep '101:53 UP' "$log")"
lab_log "r1: $(grep -E '101:53 (UP|DOWN)' "$log" | tr '\n' '|')"

# r2: each hostile answer takes it down with its reason; the good answer (also behind a flood
# of foreign datagrams) brings it back.
r2_round() {  # r2_round MODE STATE REASON_PATTERN
  local n
  n=$(transitions 203.0.113.102 "$([ "$2" = false ] && echo DOWN || echo UP)")
  echo "$1" >"$LAB_TMP/mode.new"; mv "$LAB_TMP/mode.new" "$LAB_TMP/mode"
  lab_wait 15 "[ \"\$(healthy 1)\" = $2 ]" || lab_fail "r2 not healthy=$2 with '$1': $(dir_status d1); $(grep 102:53 "$log")"
  alive
  [ "$(transitions 203.0.113.102 "$([ "$2" = false ] && echo DOWN || echo UP)")" = $((n + 1)) ] || lab_fail "'$1': not one transition: $(grep 102:53 "$log")"
  grep "203.0.113.102:53 $([ "$2" = false ] && echo DOWN || echo UP)" "$log" | tail -1 | grep -q "$3" || lab_fail "'$1': reason: $(grep 102:53 "$log" | tail -1)"
  if [ "$2" = false ]; then
    lab_wait 10 '! in_map 203.0.113.102' || lab_fail "'$1': r2 still in the map"
  else
    lab_wait 10 'in_map 203.0.113.102' || lab_fail "'$1': r2 not in the map"
  fi
}
r2_round refused false "DNS answer rcode REFUSED"
r2_round flood true "DNS answer NOERROR"
r2_round truncated false "DNS answer's question is malformed"
r2_round good true "DNS answer NOERROR"
r2_round wrongid false "no DNS answer within 1 s (1 datagrams not an answer to the query)"
r2_round good true "DNS answer NOERROR"
r2_round garbage false "no DNS answer within 1 s (2 datagrams not an answer to the query)"
sleep 2
alive
[ "$(healthy 0)" = true ] || lab_fail "r1 went down with r2: $(dir_status d1)"
dir_status d1 | python3 -c '
import json, sys
rs = json.load(sys.stdin)["virtual_servers"][0]["real_servers"]
assert rs[1]["healthy"] is False and rs[1]["last_check"]["result"] != "success", rs[1]
' || lab_fail "status of r2: $(dir_status d1)"
lab_log "r2: $(grep -E '102:53 (UP|DOWN)' "$log" | tr '\n' '|')"
lab_log "PASS"
