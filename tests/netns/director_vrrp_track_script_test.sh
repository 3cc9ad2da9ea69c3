#!/usr/bin/env bash
# track_script: the master (priority 100) tracks a vrrp_script that checks a file's existence.
# Phase 1, weight -60: removing the file lowers its priority to 40 < 50, the backup takes the VIP;
# restoring it brings the VIP back (preempt). Phase 2: a script outliving `timeout` is killed and
# counts as a failure (VIP moves), and the killed script leaves no process behind. Phase 3,
# weight 0: a failing script puts the instance in FAULT; success brings it back to MASTER.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3

dir_lab
check="$LAB_TMP/check.sh"
cat >"$check" <<SH
#!/bin/sh
[ -f "$LAB_TMP/hang" ] && exec sleep 4137
test -f "$LAB_TMP/ok"
SH
chmod +x "$check"
touch "$LAB_TMP/ok"

master_conf() {  # master_conf WEIGHT
  dir_conf "$LAB_TMP/m.conf" 100 MASTER
  cat >>"$LAB_TMP/m.conf" <<CONF
vrrp_script chk_file {
    script "$check"
    interval 1
    timeout 2
    weight $1
    rise 1
    fall 1
}
CONF
  sed -i "s|^    virtual_ipaddress {|    track_script {\n        chk_file\n    }\n    virtual_ipaddress {|" \
    "$LAB_TMP/m.conf"
}
prio() { dir_status d1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["vrrp_instances"][0]["effective_priority"])'; }

master_conf -60
dir_conf "$LAB_TMP/b.conf" 50 BACKUP
dir_lvsctl d1 "$LAB_TMP/m.conf"; master=$LAB_LAST_PID
dir_lvsctl d2 "$LAB_TMP/b.conf"
lab_wait 10 "dir_vip_on d1" || lab_fail "VIP not on the master: $(dir_status d1)"
lab_wait 5 "dir_vip_on d2" && lab_fail "VIP on the backup too"

rm "$LAB_TMP/ok"
lab_wait 10 "dir_vip_on d2" || lab_fail "backup did not take over after the script failed: $(dir_status d1)"
lab_wait 5 "! dir_vip_on d1" || lab_fail "master kept the VIP after its script failed"
[ "$(prio)" = 40 ] || lab_fail "effective priority $(prio), expected 40"
[ "$(dir_state d1)" = BACKUP ] || lab_fail "d1 not BACKUP: $(dir_state d1)"
lab_log "weight -60: script failed, priority 40, backup holds the VIP"

touch "$LAB_TMP/ok"
lab_wait 10 "dir_vip_on d1 && ! dir_vip_on d2" || lab_fail "master did not take the VIP back"
[ "$(prio)" = 100 ] || lab_fail "effective priority $(prio), expected 100"
lab_log "file restored: priority 100, VIP back on the master"

touch "$LAB_TMP/hang"
lab_wait 15 "dir_vip_on d2 && ! dir_vip_on d1" || lab_fail "a hanging script (timeout 2) did not count as a failure"
grep -q "VRRP_Script(chk_file) timed out" "$LAB_TMP/d1.log" || lab_fail "no timeout log line"
rm "$LAB_TMP/hang"
lab_wait 10 "dir_vip_on d1 && ! dir_vip_on d2" || lab_fail "master did not recover after the hang ended"
# The hung script was killed at its timeout (2 s), long before now: nothing left to wait for.
pgrep -f "sleep 4137" >/dev/null && lab_fail "the timed-out script still runs (not killed)"
lab_log "timeout: hanging script killed, counted as failure; recovered"

# SIGTERM: the master resigns with a priority-0 advert; the backup takes over after its Skew_Time,
# sooner than its Master_Down_Interval (3 x 1 s + 0.8 s) would let it.
dir_capture d2 "$LAB_TMP/d2.pcap.txt"
lab_wait 10 "dir_captured $LAB_TMP/d2.pcap.txt 203.0.113.104" || lab_fail "no advert of the master captured"
kill -TERM "$master"; wait "$master" 2>/dev/null || true
lab_wait 10 "dir_vip_on d2" || lab_fail "backup did not take over on SIGTERM"
lab_wait 10 "dir_resigned_to $LAB_TMP/d2.pcap.txt 203.0.113.104 203.0.113.105 3.8047" \
  || lab_fail "SIGTERM: $(dir_resigned_to "$LAB_TMP/d2.pcap.txt" 203.0.113.104 203.0.113.105 3.8047 2>&1)"
master_conf 0
dir_lvsctl d1 "$LAB_TMP/m.conf"; master=$LAB_LAST_PID
lab_wait 15 "dir_vip_on d1 && ! dir_vip_on d2" || lab_fail "restarted master (weight 0) did not take over"
rm "$LAB_TMP/ok"
lab_wait 10 '[ "$(dir_state d1)" = FAULT ]' || lab_fail "weight 0: failing script did not put d1 in FAULT: $(dir_status d1)"
lab_wait 10 "dir_vip_on d2 && ! dir_vip_on d1" || lab_fail "FAULT master kept the VIP or backup did not take over"
lab_log "weight 0: FAULT, backup holds the VIP"
touch "$LAB_TMP/ok"
lab_wait 15 "dir_vip_on d1 && ! dir_vip_on d2" || lab_fail "master did not leave FAULT after the script recovered"
[ "$(dir_state d1)" = MASTER ] || lab_fail "d1 not MASTER: $(dir_state d1)"
lab_log "PASS"
