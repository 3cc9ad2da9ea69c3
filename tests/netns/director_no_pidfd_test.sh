#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# lvsctl on a kernel before Linux 5.3 (RHEL 8's 4.18): no pidfd_open, pidfd_send_signal or clone3,
# and no epoll_pwait2 either. The master runs under tests/tools/enosys that makes them all answer
# ENOSYS. Its child processes are then watched by child_reaper (SIGCHLD + waitpid): a vrrp_script
# follows a file (weight 0: FAULT and back to MASTER), a MISC_CHECK follows another (the real
# server goes down and up), notify_master runs, a script outliving its timeout is killed, and no
# zombie stays behind.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3
[ -x "${LVSCTL_ENOSYS:-}" ] || lab_skip "tests/tools/enosys is not built (LVSCTL_ENOSYS)"
OLD_KERNEL=pidfd_open,pidfd_send_signal,clone3,epoll_pwait2

# The filter really takes pidfd_open (434) away: ENOSYS (38) under it, a descriptor without it.
probe='import ctypes,os; libc=ctypes.CDLL(None, use_errno=True)
fd = libc.syscall(434, os.getpid(), 0); print(ctypes.get_errno() if fd < 0 else "fd")'
[ "$(python3 -c "$probe")" = fd ] || lab_fail "this kernel has no pidfd_open: nothing to fall back from"
[ "$("$LVSCTL_ENOSYS" "$OLD_KERNEL" -- python3 -c "$probe")" = 38 ] \
  || lab_fail "the seccomp filter does not make pidfd_open answer ENOSYS"

dir_lab
touch "$LAB_TMP/vrrp-ok" "$LAB_TMP/rs-ok"
cat >"$LAB_TMP/check.sh" <<SH
#!/bin/sh
[ -f "$LAB_TMP/hang" ] && exec sleep 4138
test -f "\$1"
SH
cat >"$LAB_TMP/notify.sh" <<SH
#!/bin/sh
echo "\$@" >>"$LAB_TMP/notified"
SH
chmod +x "$LAB_TMP/check.sh" "$LAB_TMP/notify.sh"

dir_conf "$LAB_TMP/m.conf" 100 MASTER
cat >>"$LAB_TMP/m.conf" <<CONF
vrrp_script chk_file {
    script "$LAB_TMP/check.sh $LAB_TMP/vrrp-ok"
    interval 1
    timeout 2
    weight 0
    rise 1
    fall 1
}
virtual_server 203.0.113.100 10010 {
    delay_loop 1
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 203.0.113.101 10010 {
        MISC_CHECK {
            misc_path "$LAB_TMP/check.sh $LAB_TMP/rs-ok"
            misc_timeout 2
        }
    }
}
CONF
sed -i "s|^    virtual_ipaddress {|    notify_master \"$LAB_TMP/notify.sh master\"\n    track_script {\n        chk_file\n    }\n    virtual_ipaddress {|" \
  "$LAB_TMP/m.conf"

mkdir -p "$LAB_TMP/run-d1"
lab_spawn d1 "$LVSCTL_ENOSYS" "$OLD_KERNEL" -- "$LVSCTL" --log-level debug director run \
  -f "$LAB_TMP/m.conf" --run-dir "$LAB_TMP/run-d1" >>"$LAB_TMP/d1.log" 2>&1
master=$LAB_LAST_PID

lab_wait 15 "dir_vip_on d1" || { cat "$LAB_TMP/d1.log" >&2; lab_fail "VIP never came up on the master"; }
grep -q "pidfd_open: not in this kernel" "$LAB_TMP/d1.log" || lab_fail "the fallback was not taken: $(tail -5 "$LAB_TMP/d1.log")"
lab_wait 10 "grep -q master '$LAB_TMP/notified' 2>/dev/null" || lab_fail "notify_master did not run"

rs_health() {
  dir_status d1 | python3 -c 'import json,sys
rs = json.load(sys.stdin)["virtual_servers"][0]["real_servers"][0]
lc = rs.get("last_check") or {}
print("up" if rs["healthy"] and lc.get("result") == "success" else "down" if not rs["healthy"] else "unchecked")'
}
lab_wait 15 '[ "$(rs_health)" = up ]' || lab_fail "MISC_CHECK never succeeded: $(dir_status d1)"
rm "$LAB_TMP/rs-ok"
lab_wait 15 '[ "$(rs_health)" = down ]' || lab_fail "MISC_CHECK did not see the real server go: $(dir_status d1)"
touch "$LAB_TMP/rs-ok"
lab_wait 15 '[ "$(rs_health)" = up ]' || lab_fail "MISC_CHECK did not see the real server come back: $(dir_status d1)"
lab_log "MISC_CHECK follows the real server without pidfds"

rm "$LAB_TMP/vrrp-ok"
lab_wait 10 '[ "$(dir_state d1)" = FAULT ]' || lab_fail "failing vrrp_script did not put d1 in FAULT: $(dir_status d1)"
touch "$LAB_TMP/vrrp-ok"
lab_wait 10 '[ "$(dir_state d1)" = MASTER ] && dir_vip_on d1' || lab_fail "d1 did not come back to MASTER: $(dir_status d1)"
lab_log "vrrp_script: FAULT and back without pidfds"

# A hanging script is killed at its timeout (2 s) through its process group, and reaped.
touch "$LAB_TMP/hang"
lab_wait 15 '[ "$(dir_state d1)" = FAULT ]' || lab_fail "a hanging vrrp_script did not count as a failure"
rm "$LAB_TMP/hang"
lab_wait 15 '[ "$(dir_state d1)" = MASTER ]' || lab_fail "d1 did not recover after the hang"
lab_wait 10 "! pgrep -f 'sleep 4138' >/dev/null" || lab_fail "the timed-out script still runs (not killed)"

zombies() { ps -o stat= --ppid "$master" | grep -c '^Z' || true; }
lab_wait 5 '[ "$(zombies)" = 0 ]' || lab_fail "zombie children of the director: $(ps -o pid=,stat=,args= --ppid "$master")"
kill -0 "$master" || lab_fail "the director died under the filter: $(tail -5 "$LAB_TMP/d1.log")"
kill -TERM "$master"
lab_wait 10 "! kill -0 $master 2>/dev/null" || lab_fail "the director did not stop on SIGTERM"
lab_log "PASS: director runs scripts and MISC_CHECK on a kernel without pidfd_open"
