#!/usr/bin/env bash
# Fault suite, control socket (issue 13 row 1): no client of the control socket can stall the
# master's adverts, take its VIP or grow its memory. Master + backup lvsctl pair, advert_int 1;
# the master's adverts are captured in a third namespace. Each scenario asserts: the master alive,
# the VIP on the master only, the backup never MASTER, no advert gap > FAULT_MAX_GAP (1.6 s),
# RSS < 64 MB; and `director status` answers afterwards.
#   1. 16 clients connect and send nothing (they are closed at their 2 s deadline);
#   2. a client drips a byte every 150 ms for 8 s (closed at its deadline);
#   3. a 300 MB request without a newline (refused at the 4 KiB cap, not read);
#   4. 16 clients send "status" and never read the reply;
#   5. a 17th client while 16 are connected gets "busy" at once.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
. "$(dirname "$0")/../lib/director_fault.sh"
lab_require_root
lab_require python3 socat head timeout

fault_pair
SOCK=$FAULT_RUN/control.sock

status_works() {
  lab_wait 10 "dir_status d1 >/dev/null" || lab_fail "$1: director status does not answer afterwards"
}

# --- 1. idle clients ------------------------------------------------------------------------
t0=$(fault_mark)
python3 - "$SOCK" >"$LAB_TMP/idle.out" <<'PY'
import socket, sys, time, select
socks = []
for _ in range(16):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    socks.append(s)
start = time.monotonic()
closed = {}
while time.monotonic() - start < 6 and len(closed) < len(socks):
    ready, _, _ = select.select([s for s in socks if s not in closed], [], [], 0.1)
    for s in ready:
        if s.recv(4096) == b"":
            closed[s] = time.monotonic() - start
print(len(closed), "%.2f" % max(closed.values(), default=-1))
time.sleep(max(0, 6 - (time.monotonic() - start)))
PY
t1=$(fault_mark)
read -r n_closed last_close <"$LAB_TMP/idle.out"
lab_log "idle clients: $n_closed of 16 closed by the daemon, the last after $last_close s"
fault_assert_held "16 idle clients" "$t0" "$t1"
[ "$n_closed" = 16 ] || lab_fail "idle clients: only $n_closed of 16 were closed by the daemon"
status_works "idle clients"

# --- 2. a dripping client -------------------------------------------------------------------
t0=$(fault_mark)
python3 - "$SOCK" >"$LAB_TMP/drip.out" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
start = time.monotonic()
closed_after = -1
while time.monotonic() - start < 8:
    try:
        s.send(b"s")
    except OSError:
        if closed_after < 0:
            closed_after = time.monotonic() - start
    time.sleep(0.15)
print("%.2f" % closed_after)
PY
t1=$(fault_mark)
lab_log "dripping client: closed by the daemon after $(cat "$LAB_TMP/drip.out") s"
fault_assert_held "dripping client" "$t0" "$t1"
status_works "dripping client"

# --- 3. a 300 MB request without a newline --------------------------------------------------
t0=$(fault_mark)
start=$(date +%s%N)
set +e
timeout 60 sh -c "head -c 300M /dev/zero | tr '\\0' x | socat -u - UNIX-CONNECT:$SOCK" \
  >/dev/null 2>"$LAB_TMP/big.err"
rc=$?
set -e
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
sleep 3  # an observation window after the attack, not a synchronisation
t1=$(fault_mark)
[ "$rc" -ne 124 ] || lab_fail "300 MB request: the daemon kept reading for 60 s"
lab_log "300 MB request: the sender stopped after ${took_ms} ms (socat exit $rc)"
fault_assert_held "300 MB request" "$t0" "$t1"
status_works "300 MB request"

# --- 4. clients that never read their reply ------------------------------------------------
t0=$(fault_mark)
python3 - "$SOCK" <<'PY'
import socket, sys, time
socks = []
for _ in range(16):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    s.connect(sys.argv[1])
    s.send(b"status\n")
    socks.append(s)
time.sleep(6)
PY
t1=$(fault_mark)
fault_assert_held "16 clients not reading" "$t0" "$t1"
status_works "clients not reading"

# --- 5. over the cap: busy at once ---------------------------------------------------------
python3 - "$SOCK" >"$LAB_TMP/cap.out" <<'PY'
import socket, sys, time
socks = []
for _ in range(16):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    socks.append(s)
time.sleep(0.3)
extra = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
extra.settimeout(5)
extra.connect(sys.argv[1])
start = time.monotonic()
data = b""
while True:
    chunk = extra.recv(4096)
    if not chunk:
        break
    data += chunk
print("%.2f %s" % (time.monotonic() - start, data.decode(errors="replace").strip()))
PY
lab_log "17th client: $(cat "$LAB_TMP/cap.out")"
grep -q '"error": "busy: 16 clients' "$LAB_TMP/cap.out" || lab_fail "17th client not told busy"
status_works "over the cap"

grep -q "refusing more" "$LAB_TMP/d1.log" || lab_fail "no log line for the refused client"
dir_stop_pair "$FAULT_M" "$FAULT_B" "$VIP/32"
lab_log "PASS"
