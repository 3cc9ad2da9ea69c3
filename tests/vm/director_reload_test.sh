#!/bin/bash
# vm tier: reload by difference. A DR lab (client, director, two real servers in namespaces);
# a long-lived TCP connection goes through the VIP. An unchanged reload sends no netlink request
# at all. Then one real server's weight changes in the file and the daemon gets SIGHUP: it must
# log exactly one destination edit ("IPVS: 1 destination edited") and send exactly one netlink
# request (status --json ipvs.requests_sent), the table must differ in exactly that weight, and
# the connection must still carry data after the reload. Last, a service deleted behind the
# daemon's back (ipvsadm -D) makes the next reload's edit fail; the daemon must then re-read the
# kernel and put the service back.
. "${LVSCTL_SOURCE_DIR:?}/tests/lib/netns.sh"
. "$LVSCTL_SOURCE_DIR/tests/lib/dr_lab.sh"
lab_require_root
lab_require ipvsadm python3
[ "${LVSCTL_IN_VM:-0}" = 1 ] || lab_skip "needs real IPVS: runs in the vm tier only"
[ -x "${LVSCTL:-}" ] || lab_skip "LVSCTL does not point at the built lvsctl"

PORT=8000 VIP=$DR_VIP PY=$DR_PY
dr_lab "$PORT"
cat >"$LAB_TMP/long.py" <<'PYEOF'
import os, socket, sys, time
vip, port, go = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = socket.create_connection((vip, port), timeout=5)
f = c.makefile("rb")
print("greeting:" + f.readline().decode().strip(), flush=True)
deadline = time.time() + 120
while not os.path.exists(go):
    if time.time() > deadline:
        sys.exit("no go file")
    time.sleep(0.1)
c.sendall(b"after-reload\n")
line = f.readline().decode().strip()
print("echo:" + line, flush=True)
sys.exit(0 if line == "after-reload" else 1)
PYEOF

write_conf() {  # write_conf WEIGHT_OF_RS2 [WEIGHT_OF_RS1_ON_8001]
  cat >"$LAB_TMP/dr.conf" <<EOF
virtual_server $VIP $PORT {
    lb_algo wrr
    lb_kind DR
    protocol TCP
    real_server 203.0.113.11 $PORT {
        weight 1
    }
    real_server 203.0.113.12 $PORT {
        weight $1
    }
}
virtual_server $VIP 8001 {
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 203.0.113.11 8001 {
        weight ${2:-1}
    }
}
EOF
}
write_conf 1
dr_lvsctl_run "$LAB_TMP/dr.conf"
director=$DR_LVSCTL_PID
lab_wait 30 "[ \$(lab_exec dir ipvsadm -S -n | grep -c -- '-r 203.0.113.1[12]:') -eq 3 ]" ||
  { cat "$LAB_TMP/lvsctl.log" >&2; lab_fail "the director did not program the table"; }

lab_spawn client "$PY" "$LAB_TMP/long.py" "$VIP" "$PORT" "$LAB_TMP/go" >"$LAB_TMP/long.out" 2>&1
long=$LAB_LAST_PID
lab_wait 20 "grep -q greeting: '$LAB_TMP/long.out'" ||
  { cat "$LAB_TMP/long.out" >&2; lab_fail "the long-lived connection was not established"; }
lab_log "long-lived connection: $(cat "$LAB_TMP/long.out")"
lab_exec dir ipvsadm -S -n | sort >"$LAB_TMP/before"
lab_exec dir ipvsadm -Lnc >&2

requests() {  # netlink requests the daemon sent to program IPVS so far
  { "$LVSCTL" director status --run-dir "$LAB_TMP/run" --json || [ $? -eq 1 ]; } |
    "$PY" -c 'import json, sys; print(json.load(sys.stdin)["ipvs"]["requests_sent"])'
}
reload() {  # SIGHUP and wait for the daemon's result line: $1, default "Reloaded in"
  local pattern=${1:-Reloaded in} before
  before=$(grep -c "$pattern" "$LAB_TMP/lvsctl.log" || true)
  kill -HUP "$director"
  lab_wait 30 "[ \$(grep -c '$pattern' '$LAB_TMP/lvsctl.log') -gt $before ]" ||
    { cat "$LAB_TMP/lvsctl.log" >&2; lab_fail "no '$pattern' line after SIGHUP"; }
  grep "$pattern" "$LAB_TMP/lvsctl.log" | tail -n1 >&2
}

# Unchanged file: nothing sent to the kernel.
req0=$(requests)
reload 'configuration unchanged'
echo '# same configuration, other bytes: the full reload path' >>"$LAB_TMP/dr.conf"
reload
req1=$(requests)
[ "$req1" -eq "$req0" ] || lab_fail "an unchanged reload sent $((req1 - req0)) netlink requests, expected 0"
lab_exec dir ipvsadm -S -n | sort | diff "$LAB_TMP/before" - >&2 ||
  lab_fail "an unchanged reload changed the table"
lab_log "unchanged reload: 0 netlink requests, table unchanged"

summaries_before=$(grep -c 'IPVS: ' "$LAB_TMP/lvsctl.log" || true)
write_conf 3
reload
lab_wait 30 "grep -q 'IPVS: 1 destination edited' '$LAB_TMP/lvsctl.log'" ||
  { cat "$LAB_TMP/lvsctl.log" >&2; lab_fail "no 'IPVS: 1 destination edited' after SIGHUP"; }
req2=$(requests)
[ "$((req2 - req1))" -eq 1 ] || lab_fail "the weight change sent $((req2 - req1)) netlink requests, expected exactly 1"
lab_log "weight change: exactly 1 netlink request"
sleep 1  # anything else the reload did would be logged by now
lab_exec dir ipvsadm -S -n | sort >"$LAB_TMP/after"
grep 'IPVS: ' "$LAB_TMP/lvsctl.log" >&2
summaries_after=$(grep -c 'IPVS: ' "$LAB_TMP/lvsctl.log" || true)
[ $((summaries_after - summaries_before)) -eq 1 ] ||
  lab_fail "the reload logged $((summaries_after - summaries_before)) IPVS summaries, expected exactly one"
tail -n +1 "$LAB_TMP/lvsctl.log" | grep 'IPVS: ' | tail -n1 | grep -q 'IPVS: 1 destination edited$' ||
  lab_fail "the reload did more than one destination edit: $(grep 'IPVS: ' "$LAB_TMP/lvsctl.log" | tail -n1)"
changed=$(diff "$LAB_TMP/before" "$LAB_TMP/after" | grep -c '^[<>]' || true)
diff "$LAB_TMP/before" "$LAB_TMP/after" >&2 || true
[ "$changed" -eq 2 ] || lab_fail "expected exactly one table line to change, diff has $changed lines"
grep -q -- "-r 203.0.113.12:$PORT -g -w 3" "$LAB_TMP/after" || lab_fail "rs2's weight is not 3 after the reload"

touch "$LAB_TMP/go"
rc=0; wait "$long" || rc=$?
cat "$LAB_TMP/long.out" >&2
[ "$rc" -eq 0 ] || lab_fail "the established connection did not survive the reload (exit $rc)"
grep -q 'echo:after-reload' "$LAB_TMP/long.out" || lab_fail "no echo after the reload"
lab_log "reload: one destination edited, the established connection carried data afterwards"

# Someone deletes our service behind the daemon's back; the next reload's edit of it fails, and
# the daemon must re-read the kernel (not trust its last applied table) and add it again.
lab_exec dir ipvsadm -D -t "$VIP:8001"
write_conf 3 2
reload
lab_wait 30 "lab_exec dir ipvsadm -S -n | grep -q -- '-r 203.0.113.11:8001 -g -w 2'" ||
  { cat "$LAB_TMP/lvsctl.log" >&2; lab_fail "the deleted service did not come back after the failed edit"; }
grep -q 'IPVS: .*8001.*does not exist' "$LAB_TMP/lvsctl.log" ||
  { cat "$LAB_TMP/lvsctl.log" >&2; lab_fail "the failed edit was not logged with its reason"; }
grep 'IPVS: ' "$LAB_TMP/lvsctl.log" | tail -n 3 >&2
sed 's/8001 -g -w 1/8001 -g -w 2/' "$LAB_TMP/after" >"$LAB_TMP/repaired"
lab_exec dir ipvsadm -S -n | sort | diff "$LAB_TMP/repaired" - >&2 ||
  lab_fail "after the repair the table is not the configured one"
lab_log "failed apply: kernel re-read, the deleted service was added again"
