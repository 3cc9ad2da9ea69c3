#!/usr/bin/env bash
# `lvsctl director status` exit codes (README): 0 when the daemon runs and answers (text and
# --json); 3 when no daemon runs (no run dir, a run dir without control.sock, a stale socket file
# nobody listens on, and after the daemon stopped); 1 when something listens on control.sock but
# never answers within --timeout (a fake server that accepts and stays silent), and the command
# returns then instead of hanging.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 timeout

status_rc() {  # status_rc NS RUN_DIR [ARGS...]: the exit code; output in $LAB_TMP/out
  local ns=$1 dir=$2 rc=0; shift 2
  lab_exec "$ns" timeout 60 "$LVSCTL" director status --run-dir "$dir" --timeout 2 "$@" \
    >"$LAB_TMP/out" 2>&1 || rc=$?
  echo "$rc"
}
expect() {  # expect CODE WHAT NS RUN_DIR [ARGS...]
  local want=$1 what=$2 got; shift 2
  got=$(status_rc "$@")
  [ "$got" = "$want" ] || { cat "$LAB_TMP/out" >&2; lab_fail "status, $what: exit $got, expected $want"; }
  lab_log "status, $what: exit $got: $(head -1 "$LAB_TMP/out")"
}

lab_ns d1
lab_link d1 eth0 203.0.113.104/24
dir_conf "$LAB_TMP/d1.conf" 100 MASTER
run=$LAB_TMP/run-d1

# No daemon yet: no run dir, then an empty run dir.
expect 3 "no run dir" d1 "$LAB_TMP/nonexistent"
mkdir -p "$run"
expect 3 "run dir without control.sock" d1 "$run"

# Running and healthy.
dir_lvsctl d1 "$LAB_TMP/d1.conf"; daemon=$LAB_LAST_PID
lab_wait 60 "dir_vip_on d1" || { cat "$LAB_TMP/d1.log" >&2; lab_fail "the daemon never became MASTER"; }
expect 0 "running (text)" d1 "$run"
grep -q "VIP_NSQ_100" "$LAB_TMP/out" || lab_fail "status text without the instance"
expect 0 "running (--json)" d1 "$run" --json
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["vrrp_instances"][0]["state"]=="MASTER", s' \
  "$LAB_TMP/out" || lab_fail "status --json is not the daemon's state"

# Stopped: SIGTERM, the daemon removes its socket.
kill -TERM "$daemon"
lab_wait 60 "! kill -0 $daemon 2>/dev/null" || lab_fail "the daemon did not stop on SIGTERM"
expect 3 "after the daemon stopped" d1 "$run"
expect 3 "after the daemon stopped (--json)" d1 "$run" --json

# A stale socket file: bound once, nobody listening (ECONNREFUSED), as after kill -9.
stale=$LAB_TMP/run-stale
mkdir -p "$stale"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$stale/control.sock"
[ -S "$stale/control.sock" ] || lab_fail "no stale socket made"
expect 3 "stale control.sock" d1 "$stale"

# A daemon that hangs: it accepts and never replies. --timeout 2 -> exit 1, and promptly (the
# outer `timeout 60` would give 124).
hung=$LAB_TMP/run-hung
mkdir -p "$hung"
lab_spawn d1 python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(16)
open(sys.argv[2], "w").close()
clients = []
while True:
    c, _ = s.accept()
    clients.append(c)  # held open, never read, never answered
    open(sys.argv[2], "a").write("accepted\n")
' "$hung/control.sock" "$LAB_TMP/hung.ready"
lab_wait 30 "[ -e '$LAB_TMP/hung.ready' ]" || lab_fail "the fake daemon did not start"
expect 1 "daemon that never answers" d1 "$hung"
expect 1 "daemon that never answers (--json)" d1 "$hung" --json
[ "$(grep -c accepted "$LAB_TMP/hung.ready")" -eq 2 ] || lab_fail "status never connected to the fake daemon"
lab_log PASS
