#!/usr/bin/env bash
# Who may read `director status` (docs/control-socket.md): with `--control-group GID` the control
# socket is mode 0660 in that group and the run dir gets group search (0710); a non-root user in
# the group reads status, one outside it gets "permission denied" (exit 4, not privileged), and the socket is
# never world-accessible. Users are uids/gids without passwd/group entries, run with
# `setpriv --reuid/--regid/--groups` (nothing is added to /etc/passwd or /etc/group).
# Without the option (and no group `lvsctl` on this machine) the socket stays root-only (0600).
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 setpriv

MONITOR_GID=64123    # the control group
READER_UID=64124     # a member
OUTSIDER_UID=64125   # not a member
OTHER_GID=64126
chmod 0711 "$LAB_TMP"  # the run dirs below it must be reachable by the test users
lab_ns d1
lab_link d1 eth0 203.0.113.104/24
dir_conf "$LAB_TMP/d1.conf" 100 MASTER
run=$LAB_TMP/run-d1  # created by the daemon (0700, then 0710 for the group)
lab_spawn d1 "$LVSCTL" director run -f "$LAB_TMP/d1.conf" --run-dir "$run" --control-group "$MONITOR_GID" \
  >>"$LAB_TMP/d1.log" 2>&1
lab_wait 60 "dir_vip_on d1" || lab_fail "d1 never became MASTER: $(tail -3 "$LAB_TMP/d1.log")"
lab_wait 10 "[ -S '$run/control.sock' ]" || lab_fail "no control socket"

[ "$(stat -c '%a %g' "$run/control.sock")" = "660 $MONITOR_GID" ] \
  || lab_fail "control.sock is $(stat -c '%a %g' "$run/control.sock"), want 660 $MONITOR_GID"
[ "$(stat -c '%a %g' "$run")" = "710 $MONITOR_GID" ] \
  || lab_fail "the run dir is $(stat -c '%a %g' "$run"), want 710 $MONITOR_GID"
grep -q "group $MONITOR_GID may read status" "$LAB_TMP/d1.log" || lab_fail "no log line naming the group"

as() {  # as UID GROUPS CMD...: RC and $LAB_TMP/out
  local uid=$1 groups=$2; shift 2
  RC=0
  lab_exec d1 setpriv --reuid "$uid" --regid "$OTHER_GID" --groups "$groups" --inh-caps=-all \
    "$@" >"$LAB_TMP/out" 2>&1 || RC=$?
}
as "$READER_UID" "$MONITOR_GID" "$LVSCTL" director status --run-dir "$run"
[ "$RC" -le 1 ] || lab_fail "a member of the group cannot read status (exit $RC): $(cat "$LAB_TMP/out")"
grep -q 'VRRP VIP_NSQ_100 VRID 100 on eth0: MASTER' "$LAB_TMP/out" || lab_fail "the member's status lacks the instance: $(cat "$LAB_TMP/out")"
as "$READER_UID" "$MONITOR_GID" "$LVSCTL" director status --run-dir "$run" --json
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["vrrp_instances"][0]["state"] == "MASTER"' \
  "$LAB_TMP/out" || lab_fail "the member's status --json is not the state"
lab_log "uid $READER_UID in group $MONITOR_GID: status read (exit $RC)"

as "$OUTSIDER_UID" "$OTHER_GID" "$LVSCTL" director status --run-dir "$run"
[ "$RC" = 4 ] || lab_fail "a user outside the group: exit $RC, want 4: $(cat "$LAB_TMP/out")"
grep -qi 'permission denied' "$LAB_TMP/out" || lab_fail "the outsider is not told why: $(cat "$LAB_TMP/out")"
grep -q 'VIP_NSQ_100' "$LAB_TMP/out" && lab_fail "the outsider got the state"
lab_log "uid $OUTSIDER_UID outside the group: refused (exit 4)"

# Not even a raw connect for the outsider (the socket's mode, not the client, refuses).
as "$OUTSIDER_UID" "$OTHER_GID" python3 -c 'import socket,sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])' "$run/control.sock"
[ "$RC" != 0 ] || lab_fail "the outsider could connect to the socket"

# Default: root only, unless this machine has a group named lvsctl.
old=$LAB_LAST_PID
kill -TERM "$old"
# The socket goes first; the pid file (which a second daemon would find locked) goes at exit.
lab_wait 30 "! kill -0 $old 2>/dev/null" || lab_fail "the daemon did not stop"
dir_lvsctl d1 "$LAB_TMP/d1.conf"
lab_wait 30 "[ -S '$run/control.sock' ]" || lab_fail "no control socket after the restart"
if getent group lvsctl >/dev/null; then
  want="660 $(getent group lvsctl | cut -d: -f3)"
else
  want="600 0"
fi
[ "$(stat -c '%a %g' "$run/control.sock")" = "$want" ] \
  || lab_fail "default control.sock is $(stat -c '%a %g' "$run/control.sock"), want $want"
as "$READER_UID" "$MONITOR_GID" "$LVSCTL" director status --run-dir "$run"
[ "$RC" = 4 ] || lab_fail "a non-root user reads the default socket (exit $RC)"
lab_log "PASS"
