#!/usr/bin/env bash
# dynamic_interfaces (issue 16): an instance whose interface does not exist yet no longer stops
# `director run`; it waits in FAULT and starts once the interface is there (link up, address
# added after the link). check-config --host names a missing interface (error, exit 1, at
# file:line:col) and a missing script; with dynamic_interfaces the interface is a warning.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
. "$(dirname "$0")/../lib/director_events.sh"
lab_require_root

lab_ns d1
conf_with() {  # conf_with FILE GLOBAL_LINE
  cat >"$1" <<CONF
global_defs {
    $2
}
vrrp_instance VI_DYN {
    interface dyn0
    virtual_router_id 77
    priority 100
    advert_int 1
    virtual_ipaddress {
        $VIP
    }
}
CONF
}
conf_with "$LAB_TMP/plain.conf" "router_id DYN"
conf_with "$LAB_TMP/dynamic.conf" "dynamic_interfaces"

# check-config --host, in d1 where dyn0 does not exist.
rc=0; out=$(lab_exec d1 "$LVSCTL" director check-config --host -f "$LAB_TMP/plain.conf" 2>&1) || rc=$?
[ "$rc" = 1 ] || lab_fail "check-config --host without dyn0: exit $rc ($out)"
grep -q "^$LAB_TMP/plain.conf:5:15: error: interface 'dyn0' (vrrp_instance VI_DYN) does not exist on this host" <<<"$out" \
  || lab_fail "check-config --host: $out"
lab_exec d1 "$LVSCTL" director check-config -f "$LAB_TMP/plain.conf" >/dev/null \
  || lab_fail "check-config without --host must not look at the host"
rc=0; out=$(lab_exec d1 "$LVSCTL" director check-config --host -f "$LAB_TMP/dynamic.conf" 2>&1) || rc=$?
[ "$rc" = 0 ] || lab_fail "check-config --host with dynamic_interfaces: exit $rc ($out)"
grep -q "dynamic.conf:5:15: warning: interface 'dyn0' .*waits in FAULT" <<<"$out" || lab_fail "no warning: $out"
# A script that is not there: an error at its line, whatever dynamic_interfaces says.
sed 's|^    advert_int 1$|    advert_int 1\n    notify_master "/nonexistent/lvsctl-notify.sh MASTER"|' "$LAB_TMP/dynamic.conf" >"$LAB_TMP/script.conf"
rc=0; out=$(lab_exec d1 "$LVSCTL" director check-config --host -f "$LAB_TMP/script.conf" 2>&1) || rc=$?
[ "$rc" = 1 ] && grep -q "script.conf:9:5: error: vrrp_instance VI_DYN notify_master '/nonexistent/lvsctl-notify.sh MASTER' cannot run on this host" <<<"$out" \
  || lab_fail "missing script: exit $rc: $out"
lab_log "check-config --host: interface error, dynamic warning, script error"

# The daemon waits for dyn0 instead of exiting.
dir_lvsctl d1 "$LAB_TMP/dynamic.conf"; d1=$LAB_LAST_PID
lab_wait "$DEV_WAIT" "grep -q 'Startup complete' '$LAB_TMP/d1.log'" || dev_fail "no start-up"
grep -q 'VI_DYN) Entering FAULT STATE: .*waiting for interface dyn0' "$LAB_TMP/d1.log" || dev_fail "no waiting line"
status=$(dir_status d1) || dev_fail "status does not answer while VI_DYN waits"
grep -q '"VRRP instance VI_DYN is in FAULT (waiting for interface dyn0)"' <<<"$status" \
  || dev_fail "status does not show VI_DYN waiting for dyn0: $status"
kill -0 "$d1" 2>/dev/null || dev_fail "the daemon exited on a missing interface"
lab_log "started without dyn0: VI_DYN waits in FAULT"

# dyn0 appears (a veth to the lab bridge: link up first, then its address).
lab_link d1 dyn0 203.0.113.104/24
lab_wait "$DEV_WAIT" "lab_has_addr d1 dyn0 $VIP" || dev_fail "the VIP never came up on dyn0"
grep -q 'VI_DYN) Entering MASTER STATE' "$LAB_TMP/d1.log" || dev_fail "no MASTER line"
kill -0 "$d1" 2>/dev/null || dev_fail "the daemon is gone"
lab_log "dyn0 created: VI_DYN started and holds the VIP"
kill -TERM "$d1"
lab_wait "$DEV_WAIT" "! kill -0 $d1 2>/dev/null" || dev_fail "the daemon did not stop"
lab_has_addr d1 dyn0 "$VIP" && dev_fail "the VIP stayed after stop"
echo PASS
