#!/usr/bin/env bash
# A vrrp_sync_group's own notify scripts (notify_master/backup/fault/stop and the generic
# `notify`, called "GROUP G1 STATE 0"): lvsctl runs the same group notifications, in the same
# order, as keepalived 2.2.7 running the same file in the same namespace: start (BACKUP), alone
# on the link (MASTER), link down (FAULT), link up, SIGTERM.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 keepalived

dir_lab
out="$LAB_TMP/out"; mkdir -p "$out"
cat >"$LAB_TMP/group.sh" <<SH
#!/bin/sh
echo "\$*" >>"$out/group"
SH
chmod +x "$LAB_TMP/group.sh"
conf="$LAB_TMP/sync.conf"
cat >"$conf" <<CONF
global_defs {
   router_id SYNC
}
vrrp_sync_group G1 {
    group {
        VI_1
        VI_2
    }
    notify_master "$LAB_TMP/group.sh master"
    notify_backup "$LAB_TMP/group.sh backup"
    notify_fault "$LAB_TMP/group.sh fault"
    notify_stop "$LAB_TMP/group.sh stop"
    notify "$LAB_TMP/group.sh"
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        203.0.113.100/24
    }
}
vrrp_instance VI_2 {
    state BACKUP
    interface eth0
    virtual_router_id 52
    priority 100
    advert_int 1
    virtual_ipaddress {
        203.0.113.101/24
    }
}
CONF

lines() { [ -f "$out/group" ] && wc -l <"$out/group" || echo 0; }

run() {  # run IMPL -> $LAB_TMP/IMPL.group: the group's notifications in order
  local impl=$1 pid
  lab_log "--- $impl"
  rm -f "$out/group"
  dir_start "$impl" d1 "$conf"; pid=$LAB_LAST_PID
  lab_wait 30 "grep -qx 'GROUP G1 MASTER 0' $out/group" || lab_fail "$impl: no GROUP G1 MASTER 0 ($(cat "$out/group" 2>/dev/null))"
  lab_wait 5 "grep -qx 'master' $out/group" || lab_fail "$impl: notify_master of the group did not run"
  ip -n "${LAB}-d1" link set eth0 down
  lab_wait 15 "grep -qx 'GROUP G1 FAULT 0' $out/group" || lab_fail "$impl: no GROUP G1 FAULT 0 ($(cat "$out/group"))"
  lab_wait 5 "grep -qx 'fault' $out/group" || lab_fail "$impl: notify_fault of the group did not run"
  ip -n "${LAB}-d1" link set eth0 up
  lab_wait 30 "[ \$(grep -cx 'GROUP G1 MASTER 0' $out/group) -ge 2 ]" || lab_fail "$impl: no MASTER again ($(cat "$out/group"))"
  sleep 1  # let the scripts of that transition finish writing
  kill -TERM "$pid"
  lab_wait 15 "! kill -0 $pid 2>/dev/null" || lab_fail "$impl did not stop"
  sleep 1  # scripts started on the way out
  # Each transition starts both scripts at once: their lines may come in either order.
  python3 - "$out/group" >"$LAB_TMP/$impl.group" <<'PY'
import sys
events, cur = [], None
for line in open(sys.argv[1]).read().split("\n"):
    if not line: continue
    state = line.split()[2] if line.startswith("GROUP ") else line.upper()
    events.append((state, line))
# Group the lines by transition (consecutive lines of one state), sorted within a transition.
out, block = [], []
for state, line in events:
    if block and block[0][0] != state:
        out += sorted(l for _, l in block); block = []
    block.append((state, line))
out += sorted(l for _, l in block)
print("\n".join(out))
PY
  ip -n "${LAB}-d1" addr del 203.0.113.100/24 dev eth0 2>/dev/null || true
  ip -n "${LAB}-d1" addr del 203.0.113.101/24 dev eth0 2>/dev/null || true
}

run keepalived
run lvsctl
lab_log "keepalived: $(tr '\n' '|' <"$LAB_TMP/keepalived.group")"
lab_log "lvsctl:     $(tr '\n' '|' <"$LAB_TMP/lvsctl.group")"
diff -u "$LAB_TMP/keepalived.group" "$LAB_TMP/lvsctl.group" ||
  lab_fail "the group's notifications differ from keepalived's (- keepalived, + lvsctl)"
lab_log "PASS: the same group notifications as keepalived 2.2.7"
