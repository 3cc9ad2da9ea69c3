#!/usr/bin/env bash
# Health checks inside `lvsctl director run` on the host kernel (no IPVS here: the daemon says so
# and keeps checking): status --json shows each real server's health and last check; a real
# server whose listener stops goes DOWN with the reason logged once, and comes back UP; quorum_up
# / quorum_down run as the live weight crosses quorum; SIGHUP keeps the health of real servers
# whose checks did not change (a DOWN one stays DOWN, no UP line) and starts changed ones fresh.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3

lab_ns d1; lab_ns r1; lab_ns r2
lab_link d1 eth0 203.0.113.104/24
lab_link r1 eth0 203.0.113.101/24
lab_link r2 eth0 203.0.113.102/24

cat >"$LAB_TMP/listen.py" <<'PY'
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 10010)); s.listen(64)
while True:
    c, _ = s.accept(); c.close()
PY
lab_spawn r1 python3 "$LAB_TMP/listen.py"
lab_spawn r2 python3 "$LAB_TMP/listen.py"; r2=$LAB_LAST_PID
# Listening before the daemon starts: as in keepalived, a checker's first failure at start takes
# its server down at once (no retries), which would cross quorum before the test looks.
for ns in r1 r2; do
  lab_wait 5 "lab_exec $ns ss -Htln 'sport = :10010' | grep -q LISTEN" || lab_fail "no listener in $ns"
done

cat >"$LAB_TMP/checks.conf" <<'CONF'
virtual_server 203.0.113.100 10010 {
    delay_loop 1
    lb_algo rr
    lb_kind DR
    protocol TCP
    quorum 4
    quorum_up "/bin/sh -c 'echo up >> QUORUM_FILE'"
    quorum_down "/bin/sh -c 'echo down >> QUORUM_FILE'"
    real_server 203.0.113.101 10010 {
        weight 1
        TCP_CHECK {
            connect_timeout 1
            retry 2
            delay_before_retry 1
        }
    }
    real_server 203.0.113.102 10010 {
        weight 3
        notify_down "/bin/sh -c 'echo down > NOTIFY_FILE'"
        TCP_CHECK {
            connect_timeout 1
            retry 2
            delay_before_retry 1
        }
    }
}
CONF
sed -i "s|NOTIFY_FILE|$LAB_TMP/notified|; s|QUORUM_FILE|$LAB_TMP/quorum|" "$LAB_TMP/checks.conf"
dir_lvsctl d1 "$LAB_TMP/checks.conf"; daemon=$LAB_LAST_PID

rs_field() {  # rs_field INDEX FIELD: a real server's field from status --json
  dir_status d1 | python3 -c "
import json, sys
vs = json.load(sys.stdin)['virtual_servers'][0]
rs = vs['real_servers'][$1]
print(json.dumps(rs['$2']) if not isinstance(rs['$2'], str) else rs['$2'])"
}

lab_wait 15 '[ "$(rs_field 1 last_check | python3 -c "import json,sys; print(json.load(sys.stdin)[\"result\"])")" = success ]' \
  || lab_fail "no successful check of 203.0.113.102: $(dir_status d1)"
dir_status d1 | python3 -c '
import json, sys
s = json.load(sys.stdin)
vs = s["virtual_servers"][0]
assert vs["address"] == "203.0.113.100" and vs["port"] == 10010 and vs["protocol"] == "TCP", vs
assert [r["healthy"] for r in vs["real_servers"]] == [True, True], vs
assert [r["weight"] for r in vs["real_servers"]] == [1, 3], vs
assert s["ipvs"]["available"] is False and s["ipvs"]["reason"], s["ipvs"]
assert vs["quorum_up"] is True, vs
' || lab_fail "status --json before the failure: $(dir_status d1)"
[ "$(cat "$LAB_TMP/quorum")" = up ] || lab_fail "quorum_up did not run once at start: $(cat "$LAB_TMP/quorum")"
lab_log "both real servers healthy"

kill -KILL "$r2"
lab_wait 15 '[ "$(rs_field 1 healthy)" = false ]' || lab_fail "203.0.113.102 not DOWN after its listener stopped"
[ "$(rs_field 0 healthy)" = true ] || lab_fail "203.0.113.101 went down too"
grep -q "203.0.113.102:10010 DOWN" "$LAB_TMP/d1.log" || lab_fail "no DOWN log line with the reason"
[ "$(grep -c '203.0.113.102:10010 DOWN' "$LAB_TMP/d1.log")" = 1 ] || lab_fail "the DOWN transition was logged more than once"
lab_wait 5 "[ -s $LAB_TMP/notified ]" || lab_fail "notify_down did not run"
lab_log "203.0.113.102 DOWN: $(grep '203.0.113.102:10010 DOWN' "$LAB_TMP/d1.log" | tail -1)"
lab_wait 5 '[ "$(tr "\n" " " <"$LAB_TMP/quorum")" = "up down " ]' ||
  lab_fail "quorum_down did not run after live weight 1 < quorum 4: $(cat "$LAB_TMP/quorum")"
grep -q "Lost quorum 4-0=4 > 1" "$LAB_TMP/d1.log" || lab_fail "no 'Lost quorum' line"

# SIGHUP with 203.0.113.101's check changed: .102 keeps its DOWN state (no UP line, no second
# DOWN, no quorum script), .101 starts fresh.
sed -i '0,/connect_timeout 1/s//connect_timeout 2/' "$LAB_TMP/checks.conf"
kill -HUP "$daemon"
lab_wait 10 'grep -q "Health checks: 1 real servers keep their state, 1 start fresh" "$LAB_TMP/d1.log"' ||
  lab_fail "reload did not keep the unchanged real server: $(tail -5 "$LAB_TMP/d1.log")"
sleep 3  # three delay_loops
[ "$(rs_field 1 healthy)" = false ] || lab_fail "203.0.113.102 came back UP across SIGHUP while down"
! grep -q "203.0.113.102:10010 UP" "$LAB_TMP/d1.log" || lab_fail "an UP line for the down server after SIGHUP"
[ "$(grep -c '203.0.113.102:10010 DOWN' "$LAB_TMP/d1.log")" = 1 ] || lab_fail "DOWN logged again after SIGHUP"
[ "$(tr "\n" " " <"$LAB_TMP/quorum")" = "up down " ] || lab_fail "quorum scripts ran on reload: $(cat "$LAB_TMP/quorum")"
[ "$(rs_field 0 healthy)" = true ] || lab_fail "203.0.113.101 not healthy after reload"
lab_log "SIGHUP: the down real server stayed down"

lab_spawn r2 python3 "$LAB_TMP/listen.py"
lab_wait 15 '[ "$(rs_field 1 healthy)" = true ]' || lab_fail "203.0.113.102 did not come back UP"
grep -q "203.0.113.102:10010 UP" "$LAB_TMP/d1.log" || lab_fail "no UP log line"
lab_wait 5 '[ "$(tr "\n" " " <"$LAB_TMP/quorum")" = "up down up " ]' ||
  lab_fail "quorum_up did not run when the weight came back: $(cat "$LAB_TMP/quorum")"
grep -q "IPVS is off" "$LAB_TMP/d1.log" || lab_fail "the daemon did not say why IPVS is off"
lab_log "PASS"
