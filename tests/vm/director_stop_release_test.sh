#!/bin/bash
# vm tier: stop removes the IPVS services the director created, as keepalived does, and only
# those (a service added by hand stays); `--dont-release-ipvs` leaves them in the kernel, and a
# later start takes them over (and removes them on its stop). Runs in the suite's fresh
# namespace (lo up).
. "${LVSCTL_SOURCE_DIR:?}/tests/lib/netns.sh"
lab_require_root
lab_require ipvsadm
[ "${LVSCTL_IN_VM:-0}" = 1 ] || lab_skip "needs real IPVS: runs in the vm tier only"
[ -x "${LVSCTL:-}" ] || lab_skip "LVSCTL does not point at the built lvsctl"

ipvsadm -A -t 203.0.113.250:81 -s rr  # someone else's
cat >"$LAB_TMP/lb.conf" <<'CONF'
global_defs {
    lb_backend ipvs
}
virtual_server 203.0.113.50 80 {
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 203.0.113.11 80 {
        weight 1
    }
}
CONF
ours() { ipvsadm -Ln -t 203.0.113.50:80 >/dev/null 2>&1; }
run_and_stop() {  # run_and_stop [OPTION]
  mkdir -p "$LAB_TMP/run"
  "$LVSCTL" director run -f "$LAB_TMP/lb.conf" --run-dir "$LAB_TMP/run" "$@" >>"$LAB_TMP/d.log" 2>&1 &
  local pid=$!
  LAB_PIDS+=("$pid")
  lab_wait 120 "ipvsadm -Ln -t 203.0.113.50:80 | grep -q 203.0.113.11:80" \
    || { cat "$LAB_TMP/d.log" >&2; lab_fail "service not programmed"; }
  lab_wait 120 "grep -q 'Startup complete' '$LAB_TMP/d.log'" || lab_fail "no start-up"
  kill -TERM "$pid"
  lab_wait 120 "! kill -0 $pid 2>/dev/null" || lab_fail "the director did not stop"
}

run_and_stop
ours && { ipvsadm -Ln >&2; lab_fail "stop left 203.0.113.50:80 in IPVS"; }
ipvsadm -Ln -t 203.0.113.250:81 >/dev/null || lab_fail "stop removed someone else's service"
grep -q 'IPVS: removing the 1 virtual server of this director on stop' "$LAB_TMP/d.log" \
  || { cat "$LAB_TMP/d.log" >&2; lab_fail "no removal line"; }
lab_log "stop removed our service, kept the other"

: >"$LAB_TMP/d.log"
run_and_stop --dont-release-ipvs
ours || lab_fail "--dont-release-ipvs: our service was removed"
grep -q 'virtual servers left in the kernel (--dont-release-ipvs)' "$LAB_TMP/d.log" || lab_fail "no kept line"
lab_log "--dont-release-ipvs kept it"

: >"$LAB_TMP/d.log"
run_and_stop
ours && lab_fail "a restarted director did not remove the kept service on stop"
ipvsadm -Ln -t 203.0.113.250:81 >/dev/null || lab_fail "someone else's service is gone"
ipvsadm -D -t 203.0.113.250:81
echo PASS
