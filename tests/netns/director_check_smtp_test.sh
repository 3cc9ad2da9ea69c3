#!/usr/bin/env bash
# SMTP_CHECK inside `lvsctl director run` (nftables datapath, as the host kernel has no IPVS):
#   r1 runs Debian's OpenSMTPD (smtpd -d, in r1's namespace, by pid): up; smtpd stopped: down
#   (connection refused); smtpd started again: up.
#   r2 is a scripted responder whose behaviour is read from a file at every connection: the
#   whole conversation (up; it records HELO helo_name then QUIT, keepalived's sequence), then
#   the hostile ones, each down with its reason and back up after: a stall after connect, a 554
#   greeting, an endless line without CRLF (a flood), a close in the middle of the greeting.
# Each transition is logged once with its reason, `status --json` shows it, the nftables
# backends map follows, and the loop never stalls (r1 stays up and status answers meanwhile).
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3
lab_require nft
lab_require smtpd

lab_ns d1; lab_ns r1; lab_ns r2
lab_link d1 eth0 203.0.113.104/24
lab_link r1 eth0 203.0.113.101/24
lab_link r2 eth0 203.0.113.102/24

# OpenSMTPD in r1's namespace, in the foreground: it only listens on r1's address.
cat >"$LAB_TMP/smtpd.conf" <<'CONF'
listen on 203.0.113.101 port 25
action "local" mbox
match from any for local action "local"
CONF
chmod 644 "$LAB_TMP/smtpd.conf"
smtpd_start() {  # sets r1 to smtpd's pid once port 25 listens
  lab_spawn r1 smtpd -d -f "$LAB_TMP/smtpd.conf" >>"$LAB_TMP/smtpd.log" 2>&1
  r1=$LAB_LAST_PID
  lab_wait 15 "lab_exec r1 ss -Htln 'sport = :25' | grep -q :25" || lab_fail "no smtpd in r1: $(cat "$LAB_TMP/smtpd.log")"
}
smtpd_start

cat >"$LAB_TMP/responder.py" <<'PY'
import socket, sys, threading, time
mode_file, log_file = sys.argv[1], sys.argv[2]
def lines(conn):
    buf = b""
    while True:
        while b"\n" not in buf:
            data = conn.recv(4096)
            if not data:
                return
            buf += data
        line, buf = buf.split(b"\n", 1)
        yield line.rstrip(b"\r")
def serve(conn):
    mode = open(mode_file).read().strip()
    try:
        if mode == "good":
            conn.sendall(b"220-r2.example.test ESMTP\r\n220 ready\r\n")
            it = lines(conn)
            for line in it:
                with open(log_file, "a") as f:
                    f.write(line.decode(errors="replace") + "\n")
                if line.startswith(b"HELO "):
                    conn.sendall(b"250 r2.example.test\r\n")
                elif line == b"QUIT":
                    conn.sendall(b"221 2.0.0 bye\r\n")
                    break
        elif mode == "stall":
            time.sleep(60)
        elif mode == "554":
            conn.sendall(b"554 5.3.2 no service here\r\n")
            conn.recv(4096)
        elif mode == "flood":
            chunk = b"x" * 65536
            while True:
                conn.sendall(chunk)
        elif mode == "midclose":
            conn.sendall(b"220-r2.example.test ESMTP\r\n220 rea")
    except OSError:
        pass
    conn.close()
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("203.0.113.102", 25))
s.listen(64)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
r2_mode() { printf '%s\n' "$1" >"$LAB_TMP/mode.new"; mv "$LAB_TMP/mode.new" "$LAB_TMP/mode"; }
r2_mode good
lab_spawn r2 python3 "$LAB_TMP/responder.py" "$LAB_TMP/mode" "$LAB_TMP/r2.lines"
lab_wait 10 "lab_exec r2 ss -Htln 'sport = :25' | grep -q :25" || lab_fail "no responder in r2"

cat >"$LAB_TMP/smtp.conf" <<'CONF'
global_defs {
    lb_backend nftables
}
virtual_server 203.0.113.100 25 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 203.0.113.101 25 {
        SMTP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
            helo_name check.example.test
        }
    }
    real_server 203.0.113.102 25 {
        SMTP_CHECK {
            retry 1
            delay_before_retry 1
            helo_name "check.example.test"
            host {
                connect_ip 203.0.113.102
                connect_timeout 1
            }
        }
    }
}
CONF
"$LVSCTL" director check-config -f "$LAB_TMP/smtp.conf" >"$LAB_TMP/check.out" 2>&1 || lab_fail "check-config: $(cat "$LAB_TMP/check.out")"
grep -q "The SMTP_CHECK host block is deprecated" "$LAB_TMP/check.out" || lab_fail "no host block warning: $(cat "$LAB_TMP/check.out")"
dir_lvsctl d1 "$LAB_TMP/smtp.conf"; director=$LAB_LAST_PID
log="$LAB_TMP/d1.log"

rs_field() {  # rs_field INDEX EXPR: EXPR of real server INDEX (`r`) in status --json
  dir_status d1 | python3 -c "import json,sys; r = json.load(sys.stdin)['virtual_servers'][0]['real_servers'][$1]; print($2)"
}
healthy() { rs_field "$1" "str(r['healthy']).lower()"; }
in_map() { local t; t=$(lab_exec d1 nft list map ip lvsctl backends 2>/dev/null) || return 1; grep -q "$1" <<<"$t"; }
transitions() { grep -c "$1:25 $2" "$log" || true; }

lab_wait 20 '[ "$(healthy 0)" = true ] && [ "$(healthy 1)" = true ]' || lab_fail "not both up: $(dir_status d1); $(cat "$log")"
lab_wait 10 'in_map 203.0.113.101 && in_map 203.0.113.102' || lab_fail "backends map: $(lab_exec d1 nft list ruleset)"
# Real servers start up (keepalived's default): wait for the first conversations themselves.
lab_wait 20 'grep -q "smtp disconnected reason=quit" "$LAB_TMP/smtpd.log"' || lab_fail "smtpd saw no QUIT: $(cat "$LAB_TMP/smtpd.log")"
r2_heard() { [ "$(head -n 2 "$LAB_TMP/r2.lines" 2>/dev/null | tr '\n' '|')" = "HELO check.example.test|QUIT|" ]; }
lab_wait 20 r2_heard || lab_fail "r2 heard: $(cat "$LAB_TMP/r2.lines")"
[ "$(rs_field 1 "r['last_check']['reason']")" = "greeting 220, HELO 250" ] || lab_fail "last_check: $(dir_status d1)"
lab_log "both up, both in the backends map; r2 heard $(head -n 2 "$LAB_TMP/r2.lines" | tr '\n' ' ')"

# smtpd stopped: r1 down (connection refused), out of the map; started again: up.
kill "$r1"; wait "$r1" 2>/dev/null || true
lab_wait 15 '[ "$(healthy 0)" = false ]' || lab_fail "r1 not down without smtpd: $(dir_status d1)"
grep -q "203.0.113.101:25 DOWN: connect to 203.0.113.101:25: Connection refused" "$log" || lab_fail "no reason: $(grep 203.0.113.101 "$log")"
lab_wait 10 '! in_map 203.0.113.101' || lab_fail "r1 still in the map"
sleep 3  # three delay_loops down: still one DOWN line
[ "$(transitions 203.0.113.101 DOWN)" = 1 ] || lab_fail "DOWN logged more than once: $(grep '101:25 DOWN' "$log")"
smtpd_start
lab_wait 15 '[ "$(healthy 0)" = true ]' || lab_fail "r1 not back up: $(dir_status d1)"
lab_wait 10 'in_map 203.0.113.101' || lab_fail "r1 not back in the map"
[ "$(transitions 203.0.113.101 UP)" = 1 ] || lab_fail "UP lines: $(grep '101:25 UP' "$log")"
lab_log "r1: $(grep -E '101:25 (UP|DOWN)' "$log" | sed 's/.*203/203/' | tr '\n' '|')"

# r2's hostile behaviours, each: down with its reason, r1 still up and status answering, back up.
n=0
hostile() {  # hostile MODE REASON_REGEX
  n=$((n + 1))
  r2_mode "$1"
  lab_wait 20 '[ "$(healthy 1)" = false ]' || lab_fail "$1: r2 not down: $(dir_status d1)"
  [ "$(transitions 203.0.113.102 DOWN)" = "$n" ] || lab_fail "$1: DOWN lines: $(grep '102:25 DOWN' "$log")"
  grep '203.0.113.102:25 DOWN' "$log" | tail -n 1 | grep -Eq "$2" || lab_fail "$1: reason: $(grep '102:25 DOWN' "$log" | tail -n 1)"
  lab_wait 10 '! in_map 203.0.113.102' || lab_fail "$1: r2 still in the map"
  sleep 2  # the hostile server keeps failing: one DOWN line still, and the loop serves the rest
  [ "$(transitions 203.0.113.102 DOWN)" = "$n" ] || lab_fail "$1: DOWN logged more than once"
  [ "$(healthy 0)" = true ] || lab_fail "$1: r1 not up meanwhile: $(dir_status d1)"
  kill -0 "$director" 2>/dev/null || lab_fail "$1: the director died"
  r2_mode good
  lab_wait 20 '[ "$(healthy 1)" = true ]' || lab_fail "$1: r2 not back up: $(dir_status d1)"
  [ "$(transitions 203.0.113.102 UP)" = "$n" ] || lab_fail "$1: UP lines: $(grep '102:25 UP' "$log")"
  lab_wait 10 'in_map 203.0.113.102' || lab_fail "$1: r2 not back in the map"
  lab_log "$1: $(grep '203.0.113.102:25 DOWN' "$log" | tail -n 1 | sed 's/.*DOWN/DOWN/')"
}
hostile stall "DOWN: greeting timeout after 1 s from 203.0.113.102:25"
hostile 554 "DOWN: bad greeting banner: 554 5.3.2 no service here from 203.0.113.102:25"
hostile flood "DOWN: bad greeting banner: reply line longer than 512 octets from 203.0.113.102:25"
hostile midclose "DOWN: connection closed before the greeting from 203.0.113.102:25"
[ "$(transitions 203.0.113.101 DOWN)" = 1 ] || lab_fail "r1 went down with r2: $(grep '101:25' "$log")"
dir_status d1 | python3 -c '
import json, sys
rs = json.load(sys.stdin)["virtual_servers"][0]["real_servers"]
assert all(r["healthy"] and r["last_check"]["result"] == "success" for r in rs), rs
' || lab_fail "final status: $(dir_status d1)"
lab_log "PASS"
