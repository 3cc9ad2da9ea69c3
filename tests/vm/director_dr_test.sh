#!/bin/bash
# vm tier: a real DR path. Client, director and two real servers in namespaces on one bridge
# (tests/lib/dr_lab.sh); the director runs `lvsctl director run` with a DR virtual server (rr).
# The client connects to the VIP several times and must be answered by both real servers.
. "${LVSCTL_SOURCE_DIR:?}/tests/lib/netns.sh"
. "$LVSCTL_SOURCE_DIR/tests/lib/dr_lab.sh"
lab_require_root
lab_require ipvsadm python3
[ "${LVSCTL_IN_VM:-0}" = 1 ] || lab_skip "needs real IPVS: runs in the vm tier only"
[ -x "${LVSCTL:-}" ] || lab_skip "LVSCTL does not point at the built lvsctl"

PORT=8000
dr_lab "$PORT"
cat >"$LAB_TMP/dr.conf" <<EOF
virtual_server $DR_VIP $PORT {
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 203.0.113.11 $PORT {
        weight 1
    }
    real_server 203.0.113.12 $PORT {
        weight 1
    }
}
EOF
dr_lvsctl_run "$LAB_TMP/dr.conf"
dr_wait_dests 2

answers=""
for n in 1 2 3 4; do
  a=$(dr_hello) || lab_fail "connection $n to $DR_VIP:$PORT failed"
  answers="$answers $a"
done
lab_log "answers from $DR_VIP:$PORT:$answers"
grep -qw rs1 <<<"$answers" || lab_fail "rs1 never answered:$answers"
grep -qw rs2 <<<"$answers" || lab_fail "rs2 never answered:$answers"
lab_exec dir ipvsadm -Ln --stats >&2
lab_exec dir "$LVSCTL" director status --run-dir "$LAB_TMP/run" >&2 || lab_fail "lvsctl director status: exit $? (both real servers answer: healthy)"
lab_log "DR path: both real servers answered through the VIP"
