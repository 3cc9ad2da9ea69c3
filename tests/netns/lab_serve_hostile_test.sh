#!/usr/bin/env bash
# `lvsctl lab serve` (the lab's real-server service) against hostile clients: one that connects
# and sends nothing, one that floods without end, one that sends garbage. Each costs the service
# at most its per-connection deadline; a normal request afterwards is answered with the name.
. "$(dirname "$0")/../lib/netns.sh"
lab_require_root
lab_require python3 curl

lab_ns s
lab_spawn s "$LVSCTL" lab serve --name r9 --port 10010
serve_pid=$LAB_LAST_PID
lab_wait 10 "lab_exec s ss -Htln 'sport = :10010' | grep -q LISTEN" || lab_fail "no listener"

# Hostile clients, all at once, in the background (each would last 60 s; the trap ends them); each
# touches a file once connected, so the normal request below queues behind all three.
hostile() {  # hostile N PYTHON-CODE-AFTER-CONNECT (the socket is `s`)
  lab_spawn s python3 -c "
import socket, time
s = socket.create_connection(('127.0.0.1', 10010))
open('$LAB_TMP/connected-$1', 'w').close()
$2"
}
hostile 1 'time.sleep(60)'
hostile 2 '
end = time.time() + 60
s.settimeout(60)
try:
    s.sendall(b"GET / HTTP/1.0\r\n")
    while time.time() < end: s.sendall(b"X" * 65536)
except OSError: pass'
hostile 3 's.sendall(bytes(range(256)) * 64); time.sleep(60)'
lab_wait 20 '[ -e "$LAB_TMP/connected-1" ] && [ -e "$LAB_TMP/connected-2" ] && [ -e "$LAB_TMP/connected-3" ]' \
  || lab_fail "the hostile clients did not connect: $(lab_exec s ss -Htan)"
answer=""
lab_wait 15 'answer=$(lab_exec s curl -sf --max-time 10 http://127.0.0.1:10010/) && [ "$answer" = r9 ]' \
  || lab_fail "no answer beside the hostile clients: '$answer'"
kill -0 "$serve_pid" || lab_fail "the service died"
lab_log "answered '$answer' beside a stalled, a flooding and a garbage client"
lab_log "PASS"
