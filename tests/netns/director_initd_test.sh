#!/usr/bin/env bash
# init.d/lvs-director run for real, inside a namespace made here, as `service` runs it (sh, clean
# environment) with LVSCTL at the built binary and LVS_DIRECTOR_CONFIG / LVS_DIRECTOR_RUN_DIR /
# LVS_DIRECTOR_DEFAULTS at the test's own files. One director alone on a link becomes MASTER of
# its VIP. LSB exit codes: status 3 before start; configtest 0 good / 1 bad; start with a bad
# config 6 and no daemon; start 0 (VIP up, pid file); status 0 "running"; start again 0; reload
# with a bad config refused (6), the daemon untouched; reload with a new instance 0 (its VIP comes
# up: the daemon re-read the file); restart 0 (new pid); kill -9 -> status 1 (dead, pid file
# left), start again 0; stop 0 (daemon gone, VIPs gone, pid file gone); status 3; stop again 0;
# reload when stopped 7; unknown action 2; no lvsctl: start 5, status 4.
# Then the systemd unit: `systemd-analyze verify` with the unit's lvsctl path at the built binary,
# the config checked before start and reload, and `systemd-analyze security` below keepalived's.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3
[ -x "$LVSCTL" ] || lab_skip "LVSCTL ($LVSCTL) is not an executable"
SRC=${LVSCTL_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SCRIPT="$SRC/init.d/lvs-director"
UNIT="$SRC/init.d/lvs-director.service"
VIP_B=203.0.113.110

lab_ns d1
lab_link d1 eth0 203.0.113.104/24
CONF=$LAB_TMP/etc/keepalived/keepalived.conf
RUN=$LAB_TMP/run/lvsctl
mkdir -p "$(dirname "$CONF")"
good() {  # good [with-b]: one instance (VRID 100, VIP), plus VI_B (VRID 101, VIP_B)
  dir_conf "$CONF" 100 MASTER
  if [ "${1:-}" = with-b ]; then
    printf 'vrrp_instance VI_B {\n    state MASTER\n    interface eth0\n    virtual_router_id 101\n    priority 100\n    advert_int 1\n    virtual_ipaddress {\n        %s\n    }\n}\n' \
      "$VIP_B" >>"$CONF"
  fi
}
bad() {  # a good file plus a line with virtual_router_id 300 (BAD_AT: its file:line:col)
  good
  BAD_AT="keepalived.conf:$(( $(wc -l <"$CONF") + 1 )):42:"
  echo 'vrrp_instance VI_BAD { virtual_router_id 300 }' >>"$CONF"
}

# svc ACTION: the script as `service lvs-director ACTION` runs it.
svc() {
  lab_exec d1 env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LVSCTL="${SVC_LVSCTL:-$LVSCTL}" \
    LVS_DIRECTOR_CONFIG="$CONF" LVS_DIRECTOR_RUN_DIR="$RUN" LVS_DIRECTOR_DEFAULTS="$LAB_TMP/none" \
    sh "$SCRIPT" "$@"
}
expect_rc() {  # expect_rc CODE ACTION
  local want=$1 rc=0; shift
  svc "$@" >"$LAB_TMP/out" 2>&1 || rc=$?
  [ "$rc" -eq "$want" ] || { cat "$LAB_TMP/out" >&2; lab_fail "lvs-director $*: exit $rc, expected $want"; }
  lab_log "lvs-director $* -> $rc: $(head -1 "$LAB_TMP/out")"
}
pid() { cat "$RUN/lvsctl.pid" 2>/dev/null; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
ours() {  # the pid is an lvsctl director run inside our namespace
  [ "$(ip netns identify "$1" 2>/dev/null)" = "${LAB}-d1" ] && grep -q "director" "/proc/$1/cmdline"
}
track() { LAB_PIDS+=("$1"); }  # cleaned up with the lab whatever happens
state() { { lab_exec d1 "$LVSCTL" director status --json --run-dir "$RUN" --timeout 30 || [ $? -eq 1 ]; } \
  | python3 -c 'import json,sys; print(" ".join(i["name"]+"="+i["state"] for i in json.load(sys.stdin)["vrrp_instances"]))'; }

expect_rc 3 status
grep -q "stopped" "$LAB_TMP/out" || lab_fail "status does not say stopped"
good
expect_rc 0 configtest
bad
expect_rc 1 configtest
grep -qF "$BAD_AT" "$LAB_TMP/out" || lab_fail "configtest: no file:line for the bad line"
expect_rc 6 start
grep -qF "$BAD_AT" "$LAB_TMP/out" || lab_fail "start with a bad config does not say why"
[ -z "$(pid)" ] || lab_fail "start with a bad config left a pid file"
[ -z "$(ip netns pids "${LAB}-d1")" ] || lab_fail "start with a bad config left a process"

good
expect_rc 0 start
first=$(pid); track "$first"
alive "$first" && ours "$first" || lab_fail "start: no lvsctl daemon in the namespace (pid '$first')"
lab_wait 60 "dir_vip_on d1" || lab_fail "start: the VIP never came up"
lab_wait 60 '[ "$(state)" = "VIP_NSQ_100=MASTER" ]' || lab_fail "start: state $(state)"
expect_rc 0 status
grep -q "running" "$LAB_TMP/out" || lab_fail "status does not say running"
grep -q "VIP_NSQ_100" "$LAB_TMP/out" || lab_fail "status does not show the instance"
expect_rc 0 start
[ "$(pid)" = "$first" ] || lab_fail "a second start replaced the daemon"

bad
expect_rc 6 reload
[ "$(pid)" = "$first" ] && alive "$first" || lab_fail "a refused reload touched the daemon"
dir_vip_on d1 && [ "$(state)" = "VIP_NSQ_100=MASTER" ] || lab_fail "a refused reload changed the state: $(state)"
good with-b
expect_rc 0 reload
lab_wait 60 "lab_has_addr d1 eth0 $VIP_B" || lab_fail "reload: the new instance's VIP never came up"
lab_wait 60 '[ "$(state)" = "VIP_NSQ_100=MASTER VI_B=MASTER" ]' || lab_fail "reload: state $(state)"
expect_rc 0 force-reload
[ "$(pid)" = "$first" ] || lab_fail "reload replaced the daemon"

expect_rc 0 restart
second=$(pid); track "${second:-0}"
[ -n "$second" ] && [ "$second" != "$first" ] && alive "$second" && ours "$second" \
  || lab_fail "restart: no new daemon (pid '$second', was $first)"
alive "$first" && lab_fail "restart: the old daemon $first still runs"
lab_wait 60 "dir_vip_on d1 && lab_has_addr d1 eth0 $VIP_B" || lab_fail "restart: VIPs not back"
expect_rc 0 try-restart
third=$(pid); track "${third:-0}"
alive "$third" || lab_fail "try-restart: no daemon"

# A daemon killed with -9 leaves its pid file (and VIPs): LSB "dead, pid file exists".
kill -KILL "$third"
lab_wait 60 "! alive $third" || lab_fail "kill -9 did not kill $third"
expect_rc 1 status
expect_rc 0 start
fourth=$(pid); track "${fourth:-0}"
alive "$fourth" && ours "$fourth" || lab_fail "start after kill -9: no daemon"
lab_wait 60 '[ "$(state)" = "VIP_NSQ_100=MASTER VI_B=MASTER" ]' || lab_fail "start after kill -9: state $(state)"

expect_rc 0 stop
alive "$fourth" && lab_fail "stop: the daemon $fourth still runs"
[ -e "$RUN/lvsctl.pid" ] && lab_fail "stop: the pid file is still there"
dir_vip_on d1 && lab_fail "stop: the VIP is still on eth0"
lab_has_addr d1 eth0 "$VIP_B" && lab_fail "stop: $VIP_B is still on eth0"
expect_rc 3 status
expect_rc 0 stop
expect_rc 7 reload
expect_rc 0 try-restart
[ -z "$(pid)" ] || lab_fail "try-restart started a stopped daemon"
expect_rc 2 bogus
SVC_LVSCTL=/nonexistent/lvsctl expect_rc 5 start
SVC_LVSCTL=/nonexistent/lvsctl expect_rc 4 status

# The systemd unit: verified with its lvsctl path at the built binary (as install.cmake rewrites it
# to the install path). systemd-analyze checks the syntax, directives and executables (not the
# man pages of Documentation=: lvsctl(8) is installed only by the package). Then its exposure by
# `systemd-analyze security --offline`, which must be lower than keepalived's Debian unit's.
if command -v systemd-analyze >/dev/null; then
  mkdir -p "$LAB_TMP/unit"
  sed "s#/usr/sbin/lvsctl#$LVSCTL#g" "$UNIT" >"$LAB_TMP/unit/lvs-director.service"
  systemd-analyze verify --man=no "$LAB_TMP/unit/lvs-director.service" >"$LAB_TMP/verify" 2>&1 \
    || { cat "$LAB_TMP/verify" >&2; lab_fail "systemd-analyze verify lvs-director.service"; }
  [ ! -s "$LAB_TMP/verify" ] || { cat "$LAB_TMP/verify" >&2; lab_fail "systemd-analyze verify printed warnings"; }
  grep -q "^ExecStartPre=$LVSCTL director check-config --host -f \${CONFIG}\$" \
    "$LAB_TMP/unit/lvs-director.service" || lab_fail "the unit does not check the config before start"
  [ "$(grep -c '^ExecReload=' "$LAB_TMP/unit/lvs-director.service")" = 2 ] \
    && grep -m1 '^ExecReload=' "$LAB_TMP/unit/lvs-director.service" | grep -q 'check-config --host -f \${CONFIG}$' \
    || lab_fail "the unit does not check the config before a reload"
  [ "$(grep -c '/etc/keepalived/keepalived.conf' "$UNIT")" = 1 ] \
    || lab_fail "the config path is written more than once in the unit (use \${CONFIG})"
  lab_log "systemd-analyze verify lvs-director.service: clean"
  exposure() {  # exposure UNIT_FILE -> the overall exposure figure, e.g. 2.9
    systemd-analyze security --offline=yes "$1" 2>/dev/null \
      | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p'
  }
  ours=$(exposure "$LAB_TMP/unit/lvs-director.service")
  [ -n "$ours" ] || lab_fail "systemd-analyze security gave no exposure figure for lvs-director.service"
  lab_log "systemd-analyze security: lvs-director.service exposure $ours"
  if [ -f /lib/systemd/system/keepalived.service ]; then
    theirs=$(exposure /lib/systemd/system/keepalived.service)
    lab_log "systemd-analyze security: keepalived.service exposure $theirs"
    python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$ours" "$theirs" \
      || lab_fail "lvs-director.service exposure $ours is not below keepalived.service's $theirs"
  fi
else
  lab_log "systemd-analyze not installed: the unit is not verified"
fi
lab_log PASS
