#!/bin/bash
# init.d/lvs-realsvr run for real inside a namespace made here, with LVSCTL pointing at the
# built binary and LVS_REALSVR_DEFAULTS at a defaults file of the test's own:
# start/status/reload/restart/stop/status with LSB exit codes, "not configured" (6), "not
# installed" (5, status 4), a drifted setup (status 1), and the root namespace left untouched.
# Then `DESTDIR=... cmake --install` puts the script, unit and defaults where Debian expects.
. "$(dirname "$0")/../lib/netns.sh"
lab_require_root
[ -x "$LVSCTL" ] || lab_skip "LVSCTL ($LVSCTL) is not an executable"
SRC=${LVSCTL_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SCRIPT="$SRC/init.d/lvs-realsvr"

VIP=203.0.113.100
VIP6=2001:db8::100
root_before=$(cat /proc/sys/net/ipv4/conf/all/arp_ignore /proc/sys/net/ipv4/conf/all/arp_announce \
  /proc/sys/net/ipv4/conf/lo/arp_ignore /proc/sys/net/ipv4/conf/lo/arp_announce; ip -o addr show dev lo)

lab_ns rs
DEFAULTS="$LAB_TMP/lvs-realsvr"
cat > "$DEFAULTS" <<EOF2
VIPS="$VIP, $VIP6"
STATE_DIR="$LAB_TMP/state"
EOF2

# service NAME ACTION, as `service` runs it: sh, with a clean environment.
svc() {
  lab_exec rs env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LVSCTL="${SVC_LVSCTL:-$LVSCTL}" \
    LVS_REALSVR_DEFAULTS="$DEFAULTS" sh "$SCRIPT" "$@"
}
expect_rc() {  # expect_rc CODE ACTION
  local want=$1 rc=0; shift
  svc "$@" >"$LAB_TMP/out" 2>&1 || rc=$?
  [ "$rc" -eq "$want" ] || { cat "$LAB_TMP/out" >&2; lab_fail "lvs-realsvr $*: exit $rc, expected $want"; }
  lab_log "lvs-realsvr $* -> $rc: $(head -1 "$LAB_TMP/out")"
}
sysctl_all() { lab_exec rs cat /proc/sys/net/ipv4/conf/all/arp_ignore /proc/sys/net/ipv4/conf/all/arp_announce | tr '\n' ' '; }
lo_addrs() { ip -n "${LAB}-rs" -o addr show dev lo; }

lab_exec rs sh -c 'echo 2 > /proc/sys/net/ipv4/conf/all/arp_ignore'
expect_rc 3 status
expect_rc 0 stop
expect_rc 0 start
grep -q "inet $VIP/32 .*lo:0" <<<"$(lo_addrs)" || lab_fail "start: no $VIP/32 lo:0: $(lo_addrs)"
grep -q "inet6 $VIP6/128" <<<"$(lo_addrs)" || lab_fail "start: no $VIP6 on lo"
[ "$(sysctl_all)" = "1 2 " ] || lab_fail "start: sysctls $(sysctl_all)"
expect_rc 0 status
grep -q "running" "$LAB_TMP/out" || lab_fail "status does not say running"
expect_rc 0 start
expect_rc 0 reload
expect_rc 0 force-reload
expect_rc 0 restart
expect_rc 0 try-restart
expect_rc 0 status

# Drift: a VIP removed by hand.
ip -n "${LAB}-rs" addr del "$VIP/32" dev lo
expect_rc 1 status
expect_rc 0 force-reload
expect_rc 0 status

expect_rc 0 stop
[ "$(sysctl_all)" = "2 0 " ] || lab_fail "stop did not restore sysctls: $(sysctl_all)"
grep -q "$VIP" <<<"$(lo_addrs)" && lab_fail "stop left $VIP on lo"
expect_rc 3 status
expect_rc 0 stop
expect_rc 0 try-restart
expect_rc 3 status

expect_rc 2 bogus
SVC_LVSCTL=/nonexistent/lvsctl expect_rc 5 start
SVC_LVSCTL=/nonexistent/lvsctl expect_rc 4 status
echo 'VIPS=""' > "$DEFAULTS.empty"
DEFAULTS_SAVED=$DEFAULTS
DEFAULTS="$DEFAULTS.empty" expect_rc 6 start
printf 'VIPS="203.0.113.300"\nSTATE_DIR="%s"\n' "$LAB_TMP/state" > "$DEFAULTS.bad"
DEFAULTS="$DEFAULTS.bad" expect_rc 6 start
grep -q "203.0.113.300" "$LAB_TMP/out" || lab_fail "bad VIP not named"
DEFAULTS=$DEFAULTS_SAVED
[ -z "$(lab_exec rs ls "$LAB_TMP/state" 2>/dev/null)" ] || lab_fail "failed starts left state"

# A realserver.conf named by CONFIG_FILE.
printf 'vip 198.51.100.10\n' > "$LAB_TMP/realserver.conf"
printf 'CONFIG_FILE="%s"\nSTATE_DIR="%s"\n' "$LAB_TMP/realserver.conf" "$LAB_TMP/state" > "$DEFAULTS.file"
DEFAULTS="$DEFAULTS.file" expect_rc 0 start
grep -q "inet 198.51.100.10/32" <<<"$(lo_addrs)" || lab_fail "CONFIG_FILE VIP not on lo"
DEFAULTS="$DEFAULTS.file" expect_rc 0 status
DEFAULTS="$DEFAULTS.file" expect_rc 0 stop
DEFAULTS="$DEFAULTS.file" expect_rc 3 status

# DIRECTOR_CONFIG: the VIPs of the DR/TUN virtual servers of a keepalived.conf, not the NAT one.
cat > "$LAB_TMP/keepalived.conf" <<'KA'
virtual_server 203.0.113.100 10010 {
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 203.0.113.2 10010 {
        weight 1
    }
}
virtual_server 203.0.113.100 10020 {
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 203.0.113.2 10020 {
        weight 1
    }
}
virtual_server 198.51.100.50 80 {
    lb_kind NAT
    protocol TCP
    real_server 203.0.113.2 80 {
        weight 1
    }
}
KA
printf 'DIRECTOR_CONFIG="%s"\nSTATE_DIR="%s"\n' "$LAB_TMP/keepalived.conf" "$LAB_TMP/state" > "$DEFAULTS.ka"
DEFAULTS="$DEFAULTS.ka" expect_rc 0 start
grep -q "inet $VIP/32 .*lo:0" <<<"$(lo_addrs)" || lab_fail "DIRECTOR_CONFIG: $VIP not on lo: $(lo_addrs)"
grep -q "198.51.100.50" <<<"$(lo_addrs)" && lab_fail "DIRECTOR_CONFIG: the NAT VIP was put on lo"
DEFAULTS="$DEFAULTS.ka" expect_rc 0 status
DEFAULTS="$DEFAULTS.ka" expect_rc 0 stop
DEFAULTS="$DEFAULTS.ka" expect_rc 3 status
echo 'virtual_server 203.0.113.100 80 { lb_kind DRR }' > "$LAB_TMP/bad-keepalived.conf"
printf 'DIRECTOR_CONFIG="%s"\nSTATE_DIR="%s"\n' "$LAB_TMP/bad-keepalived.conf" "$LAB_TMP/state" > "$DEFAULTS.badka"
DEFAULTS="$DEFAULTS.badka" expect_rc 6 start
grep -q "bad-keepalived.conf:1:" "$LAB_TMP/out" || lab_fail "config error without file:line: $(cat "$LAB_TMP/out")"

now=$(cat /proc/sys/net/ipv4/conf/all/arp_ignore /proc/sys/net/ipv4/conf/all/arp_announce \
  /proc/sys/net/ipv4/conf/lo/arp_ignore /proc/sys/net/ipv4/conf/lo/arp_announce; ip -o addr show dev lo)
[ "$now" = "$root_before" ] || lab_fail "root namespace changed"

# Install layout (no root-namespace change: everything goes under DESTDIR).
BUILD=$(dirname "$LVSCTL")
if [ -f "$BUILD/cmake_install.cmake" ] && command -v cmake >/dev/null; then
  DEST="$LAB_TMP/pkg"
  DESTDIR="$DEST" cmake --install "$BUILD" >"$LAB_TMP/install.log" 2>&1 || { cat "$LAB_TMP/install.log" >&2; lab_fail "cmake --install failed"; }
  prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD/CMakeCache.txt")
  initdir=$(sed -n 's/^LVSCTL_INITDIR:PATH=//p' "$BUILD/CMakeCache.txt")
  unitdir=$(sed -n 's/^LVSCTL_SYSTEMDUNITDIR:PATH=//p' "$BUILD/CMakeCache.txt")
  defdir=$(sed -n 's/^LVSCTL_DEFAULTSDIR:PATH=//p' "$BUILD/CMakeCache.txt")
  [ -x "$DEST$prefix/sbin/lvsctl" ] || lab_fail "lvsctl not installed in $prefix/sbin"
  [ -x "$DEST$initdir/lvs-realsvr" ] || lab_fail "lvs-realsvr not installed in $initdir"
  grep -q "^LVSCTL=\${LVSCTL:-$prefix/sbin/lvsctl}" "$DEST$initdir/lvs-realsvr" || lab_fail "installed script does not call $prefix/sbin/lvsctl"
  [ -f "$DEST$unitdir/lvs-realsvr.service" ] || lab_fail "unit not installed in $unitdir"
  grep -q "^ExecStart=$prefix/sbin/lvsctl " "$DEST$unitdir/lvs-realsvr.service" || lab_fail "unit does not call $prefix/sbin/lvsctl"
  [ -f "$DEST$defdir/lvs-realsvr" ] || lab_fail "defaults not installed in $defdir"
  echo 'VIPS="mine"' > "$DEST$defdir/lvs-realsvr"
  DESTDIR="$DEST" cmake --install "$BUILD" >/dev/null 2>&1
  grep -q mine "$DEST$defdir/lvs-realsvr" || lab_fail "install overwrote an existing defaults file"
  lab_log "installed: $initdir/lvs-realsvr, $unitdir/lvs-realsvr.service, $defdir/lvs-realsvr"
else
  lab_log "install check skipped: no build tree beside $LVSCTL"
fi
lab_log PASS
