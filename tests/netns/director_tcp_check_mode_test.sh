#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# global_defs tcp_check_mode reaches the director's checks: a real server's application counts the
# connections it accepts. With `tcp_check_mode connect` (and without the keyword, the default)
# every TCP_CHECK is an accepted connection; with `tcp_check_mode syn` the application accepts
# none while the check still follows it (healthy, then down when it stops listening). A SIGHUP
# that changes the mode applies it.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3

dir_lab
lab_ns r1
lab_link r1 eth0 203.0.113.101/24
cat >"$LAB_TMP/listen.py" <<'PY'
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 10010)); s.listen(64)
n = 0
while True:
    c, _ = s.accept(); c.close(); n += 1
    with open(sys.argv[1], "w") as f: f.write(str(n))
PY
echo 0 >"$LAB_TMP/accepted"
lab_spawn r1 python3 "$LAB_TMP/listen.py" "$LAB_TMP/accepted"; listener=$LAB_LAST_PID
lab_wait 5 "lab_exec r1 ss -Htln 'sport = :10010' | grep -q LISTEN" || lab_fail "no listener in r1"

conf() {  # conf MODE-LINE: the director's config with that global_defs line (or none)
  dir_conf "$LAB_TMP/d1.conf" 100 MASTER
  sed -i "s|^   vrrp_version 2|   vrrp_version 2\n   $1|" "$LAB_TMP/d1.conf"
  cat >>"$LAB_TMP/d1.conf" <<'CONF'
virtual_server 203.0.113.100 10010 {
    delay_loop 1
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 203.0.113.101 10010 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
CONF
}
checks() {  # up when the real server is healthy after a successful check, else down
  dir_status d1 | python3 -c 'import json,sys
rs = json.load(sys.stdin)["virtual_servers"][0]["real_servers"][0]
lc = rs.get("last_check") or {}
print("up" if rs["healthy"] and lc.get("result") == "success" else "down")'
}
accepted() { cat "$LAB_TMP/accepted"; }

conf ""
dir_lvsctl d1 "$LAB_TMP/d1.conf"; d1=$LAB_LAST_PID
lab_wait 15 '[ "$(checks)" = up ]' || lab_fail "default: no successful check: $(dir_status d1)"
lab_wait 10 '[ "$(accepted)" -ge 2 ]' || lab_fail "default mode: the application accepted $(accepted) connections"
lab_log "default (connect): healthy, the application accepted $(accepted) connections"

conf "tcp_check_mode syn"
kill -HUP "$d1"
lab_wait 10 "grep -q 'Reloaded in' '$LAB_TMP/d1.log'" || lab_fail "no reload"
# A check of the old engine in flight at the reload may still be accepted: allow one.
before=$(accepted)
t_end=$(( $(date +%s) + 6 )); lab_wait 20 "[ \$(date +%s) -ge $t_end ]"  # five delay_loops of SYN probes
[ "$(checks)" = up ] || lab_fail "syn: the real server went down: $(dir_status d1)"
[ "$(accepted)" -le $(( before + 1 )) ] || lab_fail "syn mode: the application accepted $(( $(accepted) - before )) connections"
kill "$listener"
lab_wait 15 '[ "$(checks)" = down ]' || lab_fail "syn: the check did not see the application stop: $(dir_status d1)"
lab_log "syn: healthy with no accepted connection, down when the application stops"
kill -TERM "$d1"
lab_wait 10 "! kill -0 $d1 2>/dev/null" || lab_fail "director did not stop"
lab_log "PASS: tcp_check_mode connect and syn do what they say in the director"
