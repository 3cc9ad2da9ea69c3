#!/usr/bin/env bash
# Fault suite, run directory and `director status` (issue 13 rows 7 and 9):
#   1. `--run-dir ""`, a relative run dir and a world-writable one are refused (exit != 0) and
#      nothing is created; a symlink planted as the pid file is not followed (its target intact);
#   2. `director status` exits 3 without a daemon and 1 against a socket that never answers
#      (within --timeout 1); --timeout nan/inf/-1/"" exit 2 naming the value;
#   3. the master's run dir deleted while it runs: the master notices, stops cleanly (a
#      priority-0 advert on the wire, its VIP removed, exit 1) and the backup takes over at once.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
. "$(dirname "$0")/../lib/director_fault.sh"
lab_require_root
lab_require python3 timeout

dir_lab
dir_conf "$LAB_TMP/m.conf" 100 MASTER

refused() {  # refused WHAT RUN_DIR [CWD]: the daemon exits non-zero at once
  local what=$1 dir=$2 cwd=${3:-$LAB_TMP} rc
  set +e
  (cd "$cwd" && timeout 20 ip netns exec "${LAB}-d1" "$LVSCTL" director run -f "$LAB_TMP/m.conf" \
    --run-dir "$dir" >"$LAB_TMP/refused.log" 2>&1)
  rc=$?
  set -e
  [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || lab_fail "$what: run dir accepted (exit $rc)"
  lab_log "$what: exit $rc: $(tail -n 1 "$LAB_TMP/refused.log")"
  dir_vip_on d1 && lab_fail "$what: the VIP came up"
  return 0
}

# --- 1. refused run dirs --------------------------------------------------------------------
root_had_files=0
[ -e /lvsctl.pid ] || [ -e /control.sock ] && root_had_files=1
refused 'empty --run-dir' ''
if [ "$root_had_files" = 0 ]; then
  [ -e /lvsctl.pid ] || [ -e /control.sock ] && lab_fail "--run-dir \"\" created files in /"
fi
mkdir "$LAB_TMP/cwd"
refused 'relative --run-dir' rel "$LAB_TMP/cwd"
[ -e "$LAB_TMP/cwd/rel" ] && lab_fail "relative run dir created"
mkdir -m 1777 "$LAB_TMP/world"
refused 'world-writable run dir' "$LAB_TMP/world"
[ -z "$(ls -A "$LAB_TMP/world")" ] || lab_fail "files created in the world-writable run dir"
mkdir -m 0770 "$LAB_TMP/group"
refused 'group-writable run dir' "$LAB_TMP/group"
mkdir -m 0700 "$LAB_TMP/planted"
echo precious >"$LAB_TMP/victim"
ln -s "$LAB_TMP/victim" "$LAB_TMP/planted/lvsctl.pid"
refused 'symlink as pid file' "$LAB_TMP/planted"
[ "$(cat "$LAB_TMP/victim")" = precious ] || lab_fail "the symlink's target was written"
grep -q "symbolic link" "$LAB_TMP/refused.log" || lab_fail "no clear error for the planted symlink"

# --- 2. director status exit codes ----------------------------------------------------------
status_rc() {  # status_rc ARGS...: prints the exit code
  set +e
  timeout 30 "$LVSCTL" director status "$@" >"$LAB_TMP/status.out" 2>"$LAB_TMP/status.err"
  echo $?
  set -e
}
[ "$(status_rc --run-dir "$LAB_TMP/none")" = 3 ] || lab_fail "status without a daemon (no dir) not exit 3"
mkdir -m 0700 "$LAB_TMP/empty"
[ "$(status_rc --run-dir "$LAB_TMP/empty")" = 3 ] || lab_fail "status without a daemon not exit 3"
mkdir -m 0700 "$LAB_TMP/fake"
python3 - "$LAB_TMP/fake/control.sock" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(16)
conns = []
end = time.monotonic() + 60
while time.monotonic() < end:
    s.settimeout(0.5)
    try:
        conns.append(s.accept()[0])  # accepted, never answered
    except socket.timeout:
        pass
PY
LAB_PIDS+=($!)
lab_wait 10 "[ -S '$LAB_TMP/fake/control.sock' ]" || lab_fail "fake socket not listening"
start=$(date +%s%N)
rc=$(status_rc --run-dir "$LAB_TMP/fake" --timeout 1)
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
lab_log "status against a silent socket: exit $rc after ${took_ms} ms: $(cat "$LAB_TMP/status.err")"
[ "$rc" = 1 ] || lab_fail "status against a silent socket: exit $rc, not 1"
grep -q "did not answer within 1 s" "$LAB_TMP/status.err" || lab_fail "no timeout message"
for bad in nan inf -1 ''; do
  rc=$(status_rc --run-dir "$LAB_TMP/fake" --timeout "$bad")
  [ "$rc" = 2 ] || lab_fail "--timeout '$bad': exit $rc, not 2"
  grep -qF "'$bad'" "$LAB_TMP/status.err" || lab_fail "--timeout '$bad': the value is not named"
done

# --- 3. the run dir deleted under a running master ------------------------------------------
dir_conf "$LAB_TMP/b.conf" 50 BACKUP
fault_spawn d1 "$LAB_TMP/m.conf"; FAULT_M=$LAB_LAST_PID
fault_spawn d2 "$LAB_TMP/b.conf"; FAULT_B=$LAB_LAST_PID
lab_spawn cl "$LVSCTL" director watch -i eth0 >"$LAB_TMP/watch.out" 2>"$LAB_TMP/watch.err"
lab_wait 15 "dir_vip_on d1" || lab_fail "VIP not on the master"
lab_wait 15 "dir_backup_accepts d2" || lab_fail "backup not BACKUP"
[ "$(stat -c %a "$LAB_TMP/run-d1")" = 700 ] || lab_fail "run dir not 0700"
rm -rf "$LAB_TMP/run-d1"
lab_wait 15 "! kill -0 $FAULT_M 2>/dev/null" || lab_fail "the master did not notice its run dir gone"
set +e
wait "$FAULT_M"
rc=$?
set -e
[ "$rc" = 1 ] || lab_fail "master exit code $rc after its run dir vanished (want 1)"
grep -q "run directory .* was removed or replaced; stopping" "$LAB_TMP/d1.log" \
  || lab_fail "no log line for the vanished run dir"
lab_wait 5 "grep -q '203.0.113.104 > 224.0.0.18 .* prio 0 ' '$LAB_TMP/watch.out'" \
  || lab_fail "no priority-0 advert from the master on the wire"
dir_vip_on d1 && lab_fail "the stopped master left its VIP up"
lab_wait 5 "dir_vip_on d2" || lab_fail "the backup did not take over"
lab_log "run dir deleted: master stopped (exit 1), priority 0 sent, backup MASTER"
dir_stop_pair "$FAULT_M" "$FAULT_B" "$VIP/32"
lab_log "PASS"
