#!/usr/bin/env bash
# UDP_CHECK inside `lvsctl director run` (nftables datapath, as the host kernel has no IPVS):
#   r1 answers "ping" with "pong" (require_reply 706f6e67): up; answering something else: down
#   ("reply differs"); back to "pong": up.
#   r2 reads and never answers (no require_reply): up while no ICMP error comes; its socket
#   closed, the kernel's ICMP port unreachable takes it down; a new socket: up again.
# Each transition is logged once with its reason, `status --json` shows it and the nftables
# backends map follows.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3
lab_require nft

lab_ns d1; lab_ns r1; lab_ns r2
lab_link d1 eth0 203.0.113.104/24
lab_link r1 eth0 203.0.113.101/24
lab_link r2 eth0 203.0.113.102/24

cat >"$LAB_TMP/udp.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 5353))
while True:
    data, peer = s.recvfrom(2048)
    if len(sys.argv) > 1 and data == b"ping":  # the answer is read from a file at every ping
        s.sendto(open(sys.argv[1], "rb").read(), peer)
PY
udp_server() {  # udp_server NS [ANSWER_FILE]: sets LAB_LAST_PID once the port is bound
  lab_spawn "$1" python3 "$LAB_TMP/udp.py" "${@:2}"
  lab_wait 10 "lab_exec $1 ss -Huln 'sport = :5353' | grep -q 5353" || lab_fail "no UDP server in $1"
}
printf pong >"$LAB_TMP/answer"
udp_server r1 "$LAB_TMP/answer"
udp_server r2; r2=$LAB_LAST_PID

cat >"$LAB_TMP/udp.conf" <<'CONF'
global_defs {
    lb_backend nftables
}
virtual_server 203.0.113.100 5353 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol UDP
    real_server 203.0.113.101 5353 {
        UDP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
            payload 70 69 6e 67
            require_reply 706f6e67
            min_reply_length 4
            max_reply_length 4
        }
    }
    real_server 203.0.113.102 5353 {
        UDP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
}
CONF
dir_lvsctl d1 "$LAB_TMP/udp.conf"
log="$LAB_TMP/d1.log"

healthy() {  # healthy INDEX: true/false from status --json
  dir_status d1 | python3 -c "import json,sys; print(str(json.load(sys.stdin)['virtual_servers'][0]['real_servers'][$1]['healthy']).lower())"
}
in_map() { local t; t=$(lab_exec d1 nft list map ip lvsctl backends 2>/dev/null) || return 1; grep -q "$1" <<<"$t"; }
transitions() { grep -c "$1:5353 $2" "$log" || true; }

lab_wait 20 '[ "$(healthy 0)" = true ] && [ "$(healthy 1)" = true ]' || lab_fail "not both up: $(dir_status d1); $(cat "$log")"
lab_wait 10 'in_map 203.0.113.101 && in_map 203.0.113.102' || lab_fail "backends map: $(lab_exec d1 nft list ruleset)"
lab_log "both up, both in the backends map"

# r1 answers the wrong thing: down with the reason, out of the map.
printf pang >"$LAB_TMP/answer.new"; mv "$LAB_TMP/answer.new" "$LAB_TMP/answer"
lab_wait 15 '[ "$(healthy 0)" = false ]' || lab_fail "r1 not down on a wrong reply: $(dir_status d1)"
grep -q "203.0.113.101:5353 DOWN: reply differs from require_reply at byte 2" "$log" || lab_fail "no reason: $(grep 203.0.113.101 "$log")"
lab_wait 10 '! in_map 203.0.113.101' || lab_fail "r1 still in the map"
# r2 stops: ICMP port unreachable takes it down.
kill "$r2"; wait "$r2" 2>/dev/null || true
lab_wait 15 '[ "$(healthy 1)" = false ]' || lab_fail "r2 not down without its socket: $(dir_status d1)"
grep -q "203.0.113.102:5353 DOWN: .*Connection refused (ICMP port unreachable)" "$log" || lab_fail "no ICMP reason: $(grep 203.0.113.102 "$log")"
lab_wait 10 '! in_map 203.0.113.102' || lab_fail "r2 still in the map"
in_map 203.0.113.101 && lab_fail "r1 back in the map"
lab_log "down: $(grep -E ':5353 DOWN' "$log" | tr '\n' '|')"
sleep 3  # three delay_loops down: still one DOWN line each
[ "$(transitions 203.0.113.101 DOWN)" = 1 ] && [ "$(transitions 203.0.113.102 DOWN)" = 1 ] || lab_fail "DOWN logged more than once: $(grep ':5353 DOWN' "$log")"

# Both come back.
printf pong >"$LAB_TMP/answer.new"; mv "$LAB_TMP/answer.new" "$LAB_TMP/answer"
udp_server r2
lab_wait 15 '[ "$(healthy 0)" = true ] && [ "$(healthy 1)" = true ]' || lab_fail "not both back up: $(dir_status d1)"
lab_wait 10 'in_map 203.0.113.101 && in_map 203.0.113.102' || lab_fail "not both back in the map"
[ "$(transitions 203.0.113.101 UP)" = 1 ] && [ "$(transitions 203.0.113.102 UP)" = 1 ] || lab_fail "UP lines: $(grep ':5353 UP' "$log")"
dir_status d1 | python3 -c '
import json, sys
rs = json.load(sys.stdin)["virtual_servers"][0]["real_servers"]
assert all(r["last_check"]["result"] == "success" for r in rs), rs
' || lab_fail "last_check: $(dir_status d1)"
lab_log "PASS"
