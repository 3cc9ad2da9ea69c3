#!/usr/bin/env bash
# FILE_CHECK inside `lvsctl director run` (nftables datapath, as the host kernel has no IPVS; so
# no keepalived oracle here: its checker needs IPVS). keepalived 2.2.7's rules, from files:
#   r1 (weight 1) has FILE_CHECK { track_file load; weight 2 } and FILE_CHECK { track_file stop }
#   (stop: weight 0). r2 (weight 8) has no checker.
#   - load 2: r1's weight is 1 + 2 x 2 = 5, in `status --json` (health and datapath) and in the
#     nftables backends map (r1's share of the slots grows: 2 of 16 at 1:8, 6 at 5:8);
#   - stop 1 (weight 0, non-zero): r1 down, out of the map; stop 0: back, at weight 5;
#   - each transition logged once with its reason;
#   - hostile files: garbage counts as 0, an out-of-range number is ignored, a FIFO put in the
#     file's place counts as 0 (never opened), a 1 GiB sparse file is read by its first bytes,
#     a directory at the name is skipped, deleted then recreated is followed; the daemon keeps
#     answering throughout.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3
lab_require nft

lab_ns d1
lab_link d1 eth0 203.0.113.104/24
files="$LAB_TMP/files"; mkdir -p "$files"

cat >"$LAB_TMP/file.conf" <<CONF
global_defs {
    lb_backend nftables
}
track_file load {
    file "$files/load"
    weight 1
    init_file 0 overwrite
}
track_file stop {
    file "$files/stop"
    weight 0
}
virtual_server 203.0.113.100 80 {
    delay_loop 1
    lvs_sched wrr
    lvs_method NAT
    protocol TCP
    real_server 203.0.113.101 80 {
        weight 1
        FILE_CHECK {
            track_file load
            weight 2
        }
        FILE_CHECK {
            track_file stop
        }
    }
    real_server 203.0.113.102 80 {
        weight 8
    }
}
CONF
dir_lvsctl d1 "$LAB_TMP/file.conf"; pid=$LAB_LAST_PID
log="$LAB_TMP/d1.log"

r1() {  # r1 FIELD: healthy / weight of r1 from status --json; "datapath" for the datapath's weight
  dir_status d1 | python3 -c "
import json, sys
s = json.load(sys.stdin)
if '$1' == 'datapath':
    d = [d for svc in s['datapath']['services'] for d in svc['destinations'] if d['address'] == '203.0.113.101']
    print(d[0]['weight'] if d else 'absent')
else:
    print(str(s['virtual_servers'][0]['real_servers'][0]['$1']).lower())"
}
slots() { lab_exec d1 nft list map ip lvsctl backends 2>/dev/null | grep -o "$1" | wc -l; }
count() { grep -c "$1" "$log" || true; }
put() { printf '%s\n' "$2" >"$files/$1"; }  # written and closed: one inotify IN_CLOSE_WRITE

lab_wait 20 '[ "$(r1 healthy)" = true ] && [ "$(slots 203.0.113.101)" -ge 1 ]' ||
  lab_fail "r1 not up in the map: $(dir_status d1); $(cat "$log")"
[ "$(cat "$files/load")" = 0 ] || lab_fail "init_file 0 overwrite not written: $(cat "$files/load")"
[ "$(r1 weight)" = 1 ] || lab_fail "r1 weight $(r1 weight) at load 0, not 1"
at1=$(slots 203.0.113.101)
[ "$at1" -lt "$(slots 203.0.113.102)" ] || lab_fail "weights 1:8, slots not fewer for r1"
lab_log "up at weight 1: $at1 slots against $(slots 203.0.113.102)"

# The value moves the weight: 1 + 2 x 2 = 5, in the health view, the datapath and the map.
put load 2
lab_wait 10 '[ "$(r1 weight)" = 5 ] && [ "$(r1 datapath)" = 5 ]' ||
  lab_fail "weight not 5 after load 2: $(dir_status d1)"
lab_wait 10 '[ "$(slots 203.0.113.101)" -gt "$at1" ]' ||
  lab_fail "r1's share of the map did not grow: $(lab_exec d1 nft list map ip lvsctl backends)"
at5=$(slots 203.0.113.101)
grep -q "203.0.113.101:80 weight 1 -> 5: track_file load: value 2 x weight 2 = 4" "$log" ||
  lab_fail "no weight line: $(grep 203.0.113.101 "$log")"
lab_log "load 2: weight 5, $(slots 203.0.113.101) slots against $(slots 203.0.113.102)"

# weight 0 and a non-zero value: down, out of the map; 0 again: up at weight 5.
put stop 1
lab_wait 10 '[ "$(r1 healthy)" = false ]' || lab_fail "r1 not down on stop 1: $(dir_status d1)"
lab_wait 10 '[ "$(slots 203.0.113.101)" = 0 ]' || lab_fail "r1 still in the map"
grep -q "203.0.113.101:80 DOWN: track_file stop: value 1 (weight 0: a non-zero value is down)" "$log" ||
  lab_fail "no DOWN reason: $(grep 203.0.113.101 "$log")"
dir_status d1 | python3 -c '
import json, sys
rs = json.load(sys.stdin)["virtual_servers"][0]["real_servers"][0]
assert rs["last_check"]["checker"] == "FILE_CHECK" and rs["last_check"]["result"] == "failure", rs
' || lab_fail "last_check: $(dir_status d1)"
put stop 7  # still down: no second transition
sleep 1
put stop 0
lab_wait 10 '[ "$(r1 healthy)" = true ] && [ "$(r1 weight)" = 5 ] && [ "$(slots 203.0.113.101)" = "$at5" ]' ||
  lab_fail "r1 not back at weight 5: $(dir_status d1)"
[ "$(count '203.0.113.101:80 DOWN')" = 1 ] && [ "$(count '203.0.113.101:80 UP')" = 1 ] ||
  lab_fail "transitions not logged once each: $(grep '203.0.113.101:80 \(UP\|DOWN\)' "$log")"
lab_log "stop 1 -> down, stop 0 -> up: $(grep -c '203.0.113.101:80 \(UP\|DOWN\)' "$log") lines"

# Hostile files.
put load garbage  # no number: 0, as keepalived's strtol
lab_wait 10 '[ "$(r1 weight)" = 1 ]' || lab_fail "garbage did not count as 0: $(dir_status d1)"
grep -q "track_file load: .*no number in the file (counts as 0" "$log" || lab_fail "garbage not logged"
put load 0x3  # strtol base 0: hexadecimal
lab_wait 10 '[ "$(r1 weight)" = 7 ]' || lab_fail "0x3 not read as 3: $(dir_status d1)"
put load 99999999999  # outside keepalived's range: ignored, the previous value stands
lab_wait 10 'grep -q ".99999999999. is outside -2147483648..2147483648: ignored" "$log"' ||
  lab_fail "out-of-range value not logged"
[ "$(r1 weight)" = 7 ] || lab_fail "an out-of-range value changed the weight: $(r1 weight)"
mkfifo "$files/load.fifo"; mv "$files/load.fifo" "$files/load"  # a FIFO, no writer: never opened
lab_wait 10 '[ "$(r1 weight)" = 1 ]' || lab_fail "a FIFO did not count as 0: $(dir_status d1)"
grep -q "track_file load: .*not a regular file (fifo)" "$log" || lab_fail "FIFO not logged"
rm "$files/load"
printf '4\n' >"$files/load.big"; truncate -s 1G "$files/load.big"; mv "$files/load.big" "$files/load"
lab_wait 10 '[ "$(r1 weight)" = 9 ]' || lab_fail "the 1 GiB file not read by its first bytes: $(dir_status d1)"
rm "$files/load"
lab_wait 10 '[ "$(r1 weight)" = 1 ]' || lab_fail "a deleted file did not count as 0: $(dir_status d1)"
mkdir "$files/load"; sleep 0.5; rmdir "$files/load"  # a directory at the name: skipped
put load 3
lab_wait 10 '[ "$(r1 weight)" = 7 ] && [ "$(r1 datapath)" = 7 ]' ||
  lab_fail "the recreated file was not followed: $(dir_status d1)"
[ "$(count '203.0.113.101:80 DOWN')" = 1 ] || lab_fail "hostile files took r1 down"
kill -0 "$pid" || lab_fail "the daemon died"
lab_log "hostile files: garbage 0, 0x3 3, out of range ignored, FIFO 0, 1 GiB read, deleted 0, recreated 3"
lab_log "PASS"
