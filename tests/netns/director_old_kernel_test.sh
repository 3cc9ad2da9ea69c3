#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# lvsctl on a kernel without epoll_pwait2 (Linux < 5.11, e.g. Debian 11's 5.10): the master runs
# under a seccomp filter (tests/tools/enosys) that answers ENOSYS for it, as such a kernel does.
# The event loop falls back to epoll_pwait: the master holds the VIP and advertises (the backup
# stays BACKUP), its health checks run and follow a real server going away, and SIGTERM still
# hands over at once with a priority-0 advert.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3
[ -x "${LVSCTL_ENOSYS:-}" ] || lab_skip "tests/tools/enosys is not built (LVSCTL_ENOSYS)"

# The filter really takes epoll_pwait2 away: ENOSYS (38) under it, EBADF (9) on fd -1 without it.
probe='import ctypes,sys; libc=ctypes.CDLL(None, use_errno=True)
libc.syscall(441, -1, None, 1, None, None, 0); print(ctypes.get_errno())'
[ "$(python3 -c "$probe")" = 9 ] || lab_fail "this kernel has no epoll_pwait2: nothing to fall back from"
[ "$("$LVSCTL_ENOSYS" epoll_pwait2 -- python3 -c "$probe")" = 38 ] \
  || lab_fail "the seccomp filter does not make epoll_pwait2 answer ENOSYS"

dir_lab
lab_ns r1
lab_link r1 eth0 203.0.113.101/24
cat >"$LAB_TMP/listen.py" <<'PY'
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 10010)); s.listen(64)
while True:
    c, _ = s.accept(); c.close()
PY
lab_spawn r1 python3 "$LAB_TMP/listen.py"; listener=$LAB_LAST_PID
lab_wait 5 "lab_exec r1 ss -Htln 'sport = :10010' | grep -q LISTEN" || lab_fail "no listener in r1"

dir_conf "$LAB_TMP/master.conf" 100 MASTER
cat >>"$LAB_TMP/master.conf" <<'CONF'
virtual_server 203.0.113.100 10010 {
    delay_loop 1
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 203.0.113.101 10010 {
        TCP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
}
CONF
dir_conf "$LAB_TMP/backup.conf" 50 BACKUP

mkdir -p "$LAB_TMP/run-d1"
lab_spawn d1 "$LVSCTL_ENOSYS" epoll_pwait2 -- "$LVSCTL" --log-level debug director run \
  -f "$LAB_TMP/master.conf" --run-dir "$LAB_TMP/run-d1" >>"$LAB_TMP/d1.log" 2>&1
master=$LAB_LAST_PID
dir_lvsctl d2 "$LAB_TMP/backup.conf"; backup=$LAB_LAST_PID

lab_wait 10 "dir_vip_on d1" || { cat "$LAB_TMP/d1.log" >&2; lab_fail "VIP never came up on the master"; }
kill -0 "$master" || lab_fail "the master died under the filter: $(tail -5 "$LAB_TMP/d1.log")"
# The backup keeps hearing the master for longer than its Master_Down_Interval (3.6 s).
lab_wait 10 "dir_backup_accepts d2 's[\"adverts_received\"] >= 6'" \
  || lab_fail "the backup did not keep accepting the master's adverts"
dir_vip_on d2 && lab_fail "VIP on the backup too: the master's adverts stopped"

rs_healthy() {
  dir_status d1 | python3 -c 'import json,sys
rs = json.load(sys.stdin)["virtual_servers"][0]["real_servers"][0]
print("yes" if rs["healthy"] and rs["last_check"]["result"] == "success" else "no")'
}
lab_wait 10 '[ "$(rs_healthy)" = yes ]' || lab_fail "no successful health check: $(dir_status d1)"
kill "$listener"
lab_wait 15 '[ "$(rs_healthy)" = no ]' || lab_fail "the real server never went down: $(dir_status d1)"
lab_log "health checks follow the real server under the fallback"

# SIGTERM: priority 0 makes the backup take over well before its Master_Down_Interval.
kill -TERM "$master"
lab_wait 2 "dir_vip_on d2" || lab_fail "the backup did not take over within 2 s of SIGTERM (no priority-0 advert?)"
lab_wait 5 "! kill -0 $master 2>/dev/null" || lab_fail "the master did not stop"
grep -q "epoll_wait" "$LAB_TMP/d1.log" && lab_fail "event loop errors: $(grep epoll_wait "$LAB_TMP/d1.log")"
kill -TERM "$backup"
lab_log "PASS: director runs on a kernel without epoll_pwait2"
