#!/bin/bash
# vm tier: health checks driving the real IPVS table, checked with ipvsadm and against
# keepalived 2.2.7 on the same file. A DR lab (tests/lib/dr_lab.sh: client, director, rs1 .11,
# rs2 .12) plus a sorry server (.13); `lvsctl director run` with three virtual servers:
#   :8000 TCP_CHECK                 rs2's listener stops -> rs2 leaves the table after its
#                                   failure was retried (retry 1/1) and returns when it listens
#                                   again; a client connecting all along sees no failed
#                                   connection once rs2 is out of the table (how soon the table
#                                   changes is printed, not asserted: figures in bench_check_timing)
#   :8001 HTTP_GET, inhibit         rs2's HTTP server stops -> rs2 stays with weight 0, then 1
#   :8002 quorum 3, hysteresis 1,   rs1 (weight 3) stops -> live weight 1 < 2: the sorry server
#         sorry_server, omega       is the only destination; rs2 stops and rs1 returns -> live 3,
#                                   below 3 + 1: still only the sorry server; rs2 returns -> 4:
#                                   the real servers are back and the sorry server is gone;
#                                   quorum_up/quorum_down run at each change and on shutdown
#   :8003 sorry_server_inhibit,     rs2 never listens, quorum holds with rs1: the sorry server
#         sorry_server_lvs_method   stays in the table with weight 0 (NAT)
# Then the same failures under keepalived -C: its `ipvsadm -S -n` must equal ours.
. "${LVSCTL_SOURCE_DIR:?}/tests/lib/netns.sh"
. "$LVSCTL_SOURCE_DIR/tests/lib/dr_lab.sh"
lab_require_root
lab_require ipvsadm python3 keepalived
[ "${LVSCTL_IN_VM:-0}" = 1 ] || lab_skip "needs real IPVS: runs in the vm tier only"
[ -x "${LVSCTL:-}" ] || lab_skip "LVSCTL does not point at the built lvsctl"

dr_lab 8000
# The sorry server, a DR real server like the others.
lab_ns sorry
lab_link sorry eth0 203.0.113.13/24
for k in all eth0; do
  lab_exec sorry sysctl -qw "net.ipv4.conf.$k.arp_ignore=1" "net.ipv4.conf.$k.arp_announce=2"
done
lab_exec sorry ip addr add "$DR_VIP/32" dev lo
mkdir -p "$LAB_TMP/www"
echo ok >"$LAB_TMP/www/health.txt"

declare -A PID  # PID[rs2:8000]: pid of that listener
serve() {  # serve NS PORT: greeting server (8000, 8002) or HTTP server (8001)
  if [ "$2" = 8001 ]; then
    lab_spawn "$1" "$DR_PY" -m http.server 8001 --directory "$LAB_TMP/www" 2>>"$LAB_TMP/servers.log"
  else
    lab_spawn "$1" "$DR_PY" "$LAB_TMP/server.py" "$1" "$2" 2>>"$LAB_TMP/servers.log"
  fi
  PID[$1:$2]=$LAB_LAST_PID
  lab_wait 30 "[ -n \"\$(lab_exec $1 ss -Hltn 'sport = :$2')\" ]" || lab_fail "$1:$2 did not start"
}
unserve() { kill -KILL "${PID[$1:$2]}"; wait "${PID[$1:$2]}" 2>/dev/null || true; }
# dr_lab's servers print a traceback for every TCP_CHECK (connect, close): ours log to a file.
for i in 1 2; do PID[rs$i:8000]=${DR_SERVER_PID[$i]}; unserve "rs$i" 8000; done
for ns in rs1 rs2; do serve "$ns" 8000; serve "$ns" 8001; serve "$ns" 8002; done
serve sorry 8002
serve rs1 8003

# real_server ADDR PORT WEIGHT CHECKER: one real server block (delay_loop 1 comes from the
# virtual server; connect_timeout 1, retry 1, delay_before_retry 1).
real_server() {
  printf '    real_server %s %s {\n        weight %s\n        %s {\n' "$1" "$2" "$3" "$4"
  if [ "$4" = HTTP_GET ]; then printf '            url {\n                path /health.txt\n                status_code 200\n            }\n'; fi
  printf '            connect_timeout 1\n            retry 1\n            delay_before_retry 1\n        }\n    }\n'
}
virtual_server() {  # virtual_server PORT LINES...: the service header, then the given lines
  printf 'virtual_server %s %s {\n    delay_loop 1\n    lvs_sched rr\n    lvs_method DR\n    protocol TCP\n' "$DR_VIP" "$1"
  shift
  if [ $# -gt 0 ]; then printf '    %s\n' "$@"; fi
}
conf="$LAB_TMP/health.conf"
{
  virtual_server 8000
  real_server 203.0.113.11 8000 1 TCP_CHECK
  real_server 203.0.113.12 8000 1 TCP_CHECK
  echo "}"
  virtual_server 8001 inhibit_on_failure
  real_server 203.0.113.11 8001 1 HTTP_GET
  real_server 203.0.113.12 8001 1 HTTP_GET
  echo "}"
  virtual_server 8002 "quorum 3" "hysteresis 1" "sorry_server 203.0.113.13 8002" omega \
    "quorum_up \"/bin/sh -c 'echo up >> QUORUM_FILE'\"" \
    "quorum_down \"/bin/sh -c 'echo down >> QUORUM_FILE'\""
  real_server 203.0.113.11 8002 3 TCP_CHECK
  real_server 203.0.113.12 8002 1 TCP_CHECK
  echo "}"
  virtual_server 8003 "sorry_server 203.0.113.13 8003" sorry_server_inhibit "sorry_server_lvs_method NAT"
  real_server 203.0.113.11 8003 1 TCP_CHECK
  real_server 203.0.113.12 8003 1 TCP_CHECK
  echo "}"
} >"$conf"
sed -i "s|QUORUM_FILE|$LAB_TMP/quorum|" "$conf"

dests() {  # dests PORT [TABLE]: "addr:port/weight ..." of VIP:PORT (in the kernel), sorted
  local table=${2-$(lab_exec dir ipvsadm -S -n | sort)} out="" a b c d e rest
  while read -r a b c d e rest; do  # -a -t VIP:PORT -r RS:PORT -g -w WEIGHT (bash only: TCG forks slowly)
    [ "$a" = -a ] && [ "$c" = "$DR_VIP:$1" ] && out+="$e/${rest##* } "
  done <<<"$table"
  printf '%s' "$out"
}
# The kernel table over time: a watcher in the director reads /proc/net/ip_vs every 20 ms and
# logs "TIME VIP:PORT RS:PORT/WEIGHT ..." whenever a service's destinations change, so times
# are the kernel's, not those of a slow ipvsadm poll under TCG.
cat >"$LAB_TMP/ipvs_watch.py" <<'PYEOF'
import socket, sys, time
def endpoint(hexpair):
    ip, port = hexpair.split(":")
    return f"{socket.inet_ntoa(bytes.fromhex(ip))}:{int(port, 16)}"
def table():
    services, current = {}, None
    with open("/proc/net/ip_vs") as f:
        for line in f:
            p = line.split()
            if len(p) >= 3 and p[0] in ("TCP", "UDP", "SCTP"):
                current = endpoint(p[1])
                services[current] = []
            elif len(p) >= 4 and p[0] == "->" and current and p[1] != "RemoteAddress:Port":
                services[current].append(f"{endpoint(p[1])}/{p[3]}")
    return {k: " ".join(sorted(v)) for k, v in services.items()}
with open(sys.argv[1], "w", buffering=1) as out:
    last = {}
    while True:
        now, t = table(), time.time()
        for svc in sorted(set(now) | set(last)):
            if now.get(svc) != last.get(svc):
                out.write(f"{t:.3f} {svc} {now.get(svc, '')}\n")
        last = now
        time.sleep(0.02)
PYEOF
TIMELINE="$LAB_TMP/ipvs.timeline"
changed_at() {  # changed_at PORT "EXPECTED": seconds from $t0 until VIP:PORT first showed it
  awk -v t0="$t0" -v svc="$DR_VIP:$1" -v want="${2% }" '
    $1 >= t0 && $2 == svc { d = ""; for (i = 3; i <= NF; i++) d = d (i > 3 ? " " : "") $i
                            if (d == want) { printf "%.2f", $1 - t0; exit } }' "$TIMELINE"
}
declare -A SEEN
watch_all() {  # watch_all SECONDS "EXP8000" "EXP8001" "EXP8002": sets SEEN[port]
  local -A expect=([8000]=$2 [8001]=$3 [8002]=$4)
  local port
  for port in 8000 8001 8002; do
    lab_wait "$1" "[ -n \"\$(changed_at $port '${expect[$port]}')\" ]" ||
      { tail -20 "$LAB_TMP/lvsctl.log" >&2; lab_fail "VIP:$port has '$(dests "$port")', want '${expect[$port]}'"; }
    SEEN[$port]=$(changed_at "$port" "${expect[$port]}")
  done
}
wait_dests() {  # wait_dests PORT "EXPECTED" SECONDS WHY
  lab_wait "$3" "[ \"\$(dests $1)\" = '$2' ]" ||
    { tail -20 "$LAB_TMP/lvsctl.log" >&2; lab_fail "$4: VIP:$1 has '$(dests "$1")', want '$2'"; }
}
when() { echo "at ${SEEN[$1]} s"; }
went_down_after_retry() {  # went_down_after_retry RS:PORT: its DOWN line says the retry was spent
  grep -q "$1 DOWN: .*, retry 1/1" "$LAB_TMP/lvsctl.log" ||
    lab_fail "$1 went down without its retry: $(grep "$1 DOWN" "$LAB_TMP/lvsctl.log")"
}

ALL8000="203.0.113.11:8000/1 203.0.113.12:8000/1 "
ALL8001="203.0.113.11:8001/1 203.0.113.12:8001/1 "
ALL8002="203.0.113.11:8002/3 203.0.113.12:8002/1 "
SORRY="203.0.113.13:8002/1 "

mkdir -p "$LAB_TMP/run"
lab_spawn dir "$LVSCTL" --log-level debug director run -f "$conf" --run-dir "$LAB_TMP/run" >"$LAB_TMP/lvsctl.log" 2>&1
DR_LVSCTL_PID=$LAB_LAST_PID
lab_spawn dir "$DR_PY" "$LAB_TMP/ipvs_watch.py" "$TIMELINE"
wait_dests 8000 "$ALL8000" 30 "start"
wait_dests 8001 "$ALL8001" 30 "start"
wait_dests 8002 "$ALL8002" 30 "start"
# Every checker has run (not "two delay_loops have passed"): the HTTP servers answered four
# checks and the director sent ten RSTs (the TCP_CHECKs of the five listening real servers, twice
# over: a connect closed with RST, or in tcp_check_mode syn a reset SYN-ACK).
dir_rsts() {
  lab_exec dir awk '/^Tcp:/ { if (!c) { for (i = 1; i <= NF; i++) if ($i == "OutRsts") c = i } else print $c }' \
    /proc/net/snmp
}
lab_wait 60 "[ \$(grep -c 'GET /health.txt' '$LAB_TMP/servers.log') -ge 4 ] && [ \$(dir_rsts) -ge 10 ]" ||
  lab_fail "the checkers did not run: $(grep -c 'GET /health.txt' "$LAB_TMP/servers.log") HTTP checks, $(dir_rsts) RSTs"
[ "$(dests 8002)" = "$ALL8002" ] || lab_fail "start: VIP:8002 has '$(dests 8002)'"
lab_log "lvsctl: all real servers in the table"

# A client connecting to VIP:8000 every 50 ms, all through the test.
cat >"$LAB_TMP/client.py" <<'PYEOF'
import os, socket, sys, time
vip, port, stop, log = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(log, "w", buffering=1) as out:
    while not os.path.exists(stop):
        t = time.time()
        try:
            # 10 s: under TCG beside other work a healthy connection can take seconds;
            # a removed real server answers at once (refused or reset), never by a timeout.
            with socket.create_connection((vip, port), timeout=10) as c:
                name = c.makefile("rb").readline().decode().strip()
            out.write(f"{t:.3f} ok {name}\n")
        except OSError as e:
            out.write(f"{t:.3f} fail {e}\n")
        time.sleep(0.05)
PYEOF
lab_spawn client "$DR_PY" "$LAB_TMP/client.py" "$DR_VIP" 8000 "$LAB_TMP/client.stop" "$LAB_TMP/client.log"
client=$LAB_LAST_PID
lab_wait 30 "grep -q ' ok ' '$LAB_TMP/client.log'" || lab_fail "the client got no answer"

# 1. Failures: rs2 on 8000 and 8001, rs1 on 8002.
# Expected: 8000 without rs2; 8001 rs2 with weight 0 (inhibit_on_failure); 8002 only the sorry
# server (live weight 1 < quorum 3 - hysteresis 1).
t0=$(date +%s.%N)
unserve rs2 8000; unserve rs2 8001; unserve rs1 8002
watch_all 20 "203.0.113.11:8000/1 " "203.0.113.11:8001/1 203.0.113.12:8001/0 " "$SORRY"
removed=$(awk -v s="$t0" -v d="${SEEN[8000]}" 'BEGIN { printf "%.3f", s + d }')
lab_log "after the failures: 8000 rs2 removed $(when 8000), 8001 rs2 weight 0 $(when 8001), 8002 sorry server only $(when 8002)"
grep -E "DOWN|quorum|IPVS" "$LAB_TMP/lvsctl.log" | tail -12 >&2
went_down_after_retry 203.0.113.12:8000
went_down_after_retry 203.0.113.12:8001
went_down_after_retry 203.0.113.11:8002
wait_dests 8003 "203.0.113.11:8003/1 203.0.113.13:8003/0 " 15 "sorry_server_inhibit with quorum"
ours=$(lab_exec dir ipvsadm -S -n | sort)
answer=$(lab_exec client "$DR_PY" "$LAB_TMP/hello.py" "$DR_VIP" 8002) || lab_fail "VIP:8002 did not answer"
[ "$answer" = sorry ] || lab_fail "VIP:8002 answered by '$answer', not the sorry server"
sleep 2  # an observation window: rs2 stays out
[ "$(dests 8000)" = "203.0.113.11:8000/1 " ] || lab_fail "rs2 came back while down: $(dests 8000)"

# 2. Recovery.
t0=$(date +%s.%N)  # times include starting the servers (slow under TCG): reported, not bounded
serve rs2 8000; serve rs2 8001; serve rs1 8002
watch_all 20 "$ALL8000" "$ALL8001" "$ALL8002"  # 8002: live weight 4 >= quorum 3 + hysteresis 1
returned=$(awk -v s="$t0" -v d="${SEEN[8000]}" 'BEGIN { printf "%.3f", s + d }')
lab_log "recovery: 8000 rs2 back $(when 8000), 8001 rs2 weight 1 $(when 8001), 8002 real servers back and sorry server gone $(when 8002)"

# 3. Hysteresis: with quorum lost, live weight 3 (= quorum) is not enough; 4 is.
unserve rs1 8002
wait_dests 8002 "$SORRY" 15 "rs1 down again"
unserve rs2 8002
lab_wait 15 "grep -q '203.0.113.12:8002 DOWN' '$LAB_TMP/lvsctl.log'" || lab_fail "rs2:8002 not seen DOWN"
serve rs1 8002
lab_wait 15 "[ \$(grep -c '203.0.113.11:8002 UP' '$LAB_TMP/lvsctl.log') -ge 2 ]" || lab_fail "rs1:8002 not seen UP"
sleep 2  # an observation window: the sorry server stays
[ "$(dests 8002)" = "$SORRY" ] || lab_fail "live weight 3 < quorum 3 + hysteresis 1, yet VIP:8002 has '$(dests 8002)'"
serve rs2 8002
wait_dests 8002 "$ALL8002" 15 "rs2 back: live weight 4"
lab_log "hysteresis: weight 3 kept the sorry server, weight 4 brought the real servers back"

# The client: no failed connection after rs2 left the table; rs2 answers after its return.
touch "$LAB_TMP/client.stop"
lab_wait 10 "! kill -0 $client 2>/dev/null" || true
# (no process substitution: the VM has no /dev/fd)
read -r total fails late_fails rs2_back <<<"$(awk -v r="$removed" -v b="$returned" '
  { n++ } $2 == "fail" { f++; if ($1 >= r) lf++ } $2 == "ok" && $3 == "rs2" && $1 >= b { back++ }
  END { print n + 0, f + 0, lf + 0, back + 0 }' "$LAB_TMP/client.log")"
lab_log "client: $total connections, $fails failed (all before rs2 left the table: $((fails - late_fails)))," \
  "$late_fails after; rs2 answered $rs2_back times after its return"
[ "$late_fails" = 0 ] || { grep fail "$LAB_TMP/client.log" >&2; lab_fail "connections failed after rs2 left the table"; }
[ "$rs2_back" -gt 0 ] || lab_fail "rs2 never answered after it came back"

# omega: quorum_down also runs on shutdown.
kill -TERM "$DR_LVSCTL_PID"
lab_wait 10 "! kill -0 $DR_LVSCTL_PID 2>/dev/null" || lab_fail "lvsctl did not stop"
quorum=$(tr '\n' ' ' <"$LAB_TMP/quorum")
[ "$quorum" = "up down up down up down " ] || lab_fail "quorum scripts ran as '$quorum'"
lab_log "quorum scripts: $quorum(the last one on shutdown, omega)"

# 4. keepalived 2.2.7 (checkers only) on the same file with the same failures: same table.
lab_exec dir ipvsadm -C
unserve rs2 8000; unserve rs2 8001; unserve rs1 8002
: >"$LAB_TMP/quorum"
ka="$LAB_TMP/ka"; mkdir -p "$ka"
lab_spawn dir keepalived -C -n -l -D -f "$conf" -p "$ka/k.pid" -c "$ka/c.pid" -r "$ka/v.pid" -b "$ka/b.pid" \
  >"$LAB_TMP/keepalived.log" 2>&1
keepalived=$LAB_LAST_PID
lab_wait 40 "[ \"\$(lab_exec dir ipvsadm -S -n | sort)\" = \"\$ours\" ]" || {
  tail -30 "$LAB_TMP/keepalived.log" >&2
  echo "$ours" >"$LAB_TMP/ours.table"
  lab_exec dir ipvsadm -S -n | sort | diff "$LAB_TMP/ours.table" - >&2
  lab_fail "keepalived's table after the same failures differs from ours (diff: ours, keepalived)"
}
sleep 2  # an observation window: keepalived's table stays
[ "$(lab_exec dir ipvsadm -S -n | sort)" = "$ours" ] || lab_fail "keepalived's table moved away from ours"
lab_log "keepalived 2.2.7 programs the same table after the same failures:"
echo "$ours" >&2
kill -TERM "$keepalived"
lab_wait 10 "! kill -0 $keepalived 2>/dev/null" || lab_fail "keepalived did not stop"
# keepalived starts with every real server alive: quorum up, lost when rs1 fails, and omega
# runs quorum_down again on shutdown, as ours does.
quorum=$(tr '\n' ' ' <"$LAB_TMP/quorum")
[ "$quorum" = "up down down " ] || lab_fail "keepalived's quorum scripts ran as '$quorum'"
lab_log "keepalived's quorum scripts: $quorum"
lab_log "PASS"
