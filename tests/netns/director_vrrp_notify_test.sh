#!/usr/bin/env bash
# Notify scripts: notify_master / notify_backup / notify_fault and `notify` (keepalived's
# arguments: INSTANCE NAME STATE PRIORITY, STATE also STOP on SIGTERM) run, proven by the files they write. They run
# asynchronously: the master's notify_master sleeps 30 s and still its adverts keep flowing
# (the backup never takes over meanwhile).
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3

dir_lab
out="$LAB_TMP/out"; mkdir -p "$out"
cat >"$LAB_TMP/note.sh" <<SH
#!/bin/sh
echo "\$*" >>"$out/\$1"
[ "\$2" = slow ] && sleep 30
exit 0
SH
cat >"$LAB_TMP/any.sh" <<SH
#!/bin/sh
echo "\$*" >>"$out/any"
SH
chmod +x "$LAB_TMP/note.sh" "$LAB_TMP/any.sh"

add_notify() {  # add_notify CONF NS [slow]
  sed -i "s|^    virtual_ipaddress {|    notify_master \"$LAB_TMP/note.sh $2-master ${3:-fast}\"\n    notify_backup \"$LAB_TMP/note.sh $2-backup\"\n    notify_fault \"$LAB_TMP/note.sh $2-fault\"\n    notify \"$LAB_TMP/any.sh\"\n    virtual_ipaddress {|" "$1"
}
dir_conf "$LAB_TMP/m.conf" 100 MASTER; add_notify "$LAB_TMP/m.conf" d1 slow
dir_conf "$LAB_TMP/b.conf" 50 BACKUP; add_notify "$LAB_TMP/b.conf" d2
dir_lvsctl d1 "$LAB_TMP/m.conf"; master=$LAB_LAST_PID
dir_lvsctl d2 "$LAB_TMP/b.conf"

lab_wait 10 "dir_vip_on d1" || lab_fail "VIP not on the master"
lab_wait 5 "[ -s $out/d1-master ]" || lab_fail "notify_master did not run on d1"
lab_wait 5 "[ -s $out/d2-backup ]" || lab_fail "notify_backup did not run on d2"
grep -qx "d1-master slow" "$out/d1-master" || lab_fail "notify_master args: $(cat "$out/d1-master")"
lab_wait 5 "grep -qx 'INSTANCE VIP_NSQ_100 MASTER 100' $out/any" ||
  lab_fail "notify (generic) for MASTER missing: $(cat "$out/any" 2>/dev/null)"
grep -qx "INSTANCE VIP_NSQ_100 BACKUP 50" "$out/any" || lab_fail "notify BACKUP 50 missing: $(cat "$out/any")"
lab_log "notify_master/backup and notify INSTANCE NAME STATE PRIORITY ran"

# The notify_master script is sleeping 30 s now; adverts must keep flowing.
pgrep -f "note.sh d1-master slow" >/dev/null || lab_fail "notify_master script not running (sleeping) any more"
for _ in 1 2 3 4 5 6 7 8; do
  sleep 1
  dir_vip_on d2 && lab_fail "backup took over while the master's notify script was sleeping"
  [ "$(dir_state d2)" = BACKUP ] || lab_fail "d2 left BACKUP while the master's notify script slept"
done
dir_vip_on d1 || lab_fail "master lost the VIP"
lab_log "hanging notify_master: adverts kept flowing for 8 s, no takeover"

ip -n "${LAB}-d1" link set eth0 down
lab_wait 10 "[ -s $out/d1-fault ]" || lab_fail "notify_fault did not run on d1"
lab_wait 10 "[ -s $out/d2-master ]" || lab_fail "notify_master did not run on d2"
grep -qx "INSTANCE VIP_NSQ_100 FAULT 100" "$out/any" || lab_fail "notify FAULT missing: $(cat "$out/any")"
lab_log "link down: notify_fault on d1, notify_master on d2"

# SIGTERM: keepalived calls the generic script with STOP and the effective priority.
kill -TERM "$master"
lab_wait 10 "grep -qx 'INSTANCE VIP_NSQ_100 STOP 100' $out/any" ||
  lab_fail "notify (generic) STOP missing: $(cat "$out/any")"
lab_log "SIGTERM: notify INSTANCE NAME STOP PRIORITY ran"
lab_log "PASS"
