#!/bin/bash
# vm tier: `lvs_timeouts` (global_defs) sets the kernel's IPVS timeouts as keepalived 2.2.7 does:
# the configured values at start, the new ones at a reload (values left out go back to the
# kernel's own), the kernel's own again at stop. lvsctl runs the sequence, then keepalived on the
# same two files; `ipvsadm -L --timeout` must read the same after each step. Runs in the suite's
# fresh namespace (lo up; IPVS timeouts are per namespace).
. "${LVSCTL_SOURCE_DIR:?}/tests/lib/netns.sh"
lab_require_root
lab_require ipvsadm keepalived
[ "${LVSCTL_IN_VM:-0}" = 1 ] || lab_skip "needs real IPVS: runs in the vm tier only"
[ -x "${LVSCTL:-}" ] || lab_skip "LVSCTL does not point at the built lvsctl"

conf() {  # conf FILE LVS_TIMEOUTS_ARGS
  cat >"$1" <<CONF
global_defs {
    lvs_timeouts $2
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
}
timeouts() { ipvsadm -L --timeout | sed -n 's/^Timeout (tcp tcpfin udp): //p'; }
original=$(timeouts)
[ -n "$original" ] || lab_fail "no timeouts from ipvsadm: $(ipvsadm -L --timeout 2>&1)"
lab_log "the kernel's own: $original"

# sequence IMPL: prints the timeouts after start, after the reload, after stop.
sequence() {
  local impl=$1 pid log="$LAB_TMP/$1.log"
  conf "$LAB_TMP/$impl.conf" "tcp 7200 udp 45"
  if [ "$impl" = lvsctl ]; then
    mkdir -p "$LAB_TMP/run"
    "$LVSCTL" director run -f "$LAB_TMP/$impl.conf" --run-dir "$LAB_TMP/run" >>"$log" 2>&1 &
  else
    keepalived -C -n -l -D -f "$LAB_TMP/$impl.conf" -p "$LAB_TMP/ka.pid" -c "$LAB_TMP/ka-c.pid" \
      >>"$log" 2>&1 &
  fi
  pid=$!
  LAB_PIDS+=("$pid")
  lab_wait 60 "ipvsadm -Ln -t 203.0.113.50:80 | grep -q 203.0.113.11:80" \
    || { cat "$log" >&2; lab_fail "$impl: service not programmed"; }
  lab_wait 30 "[ \"\$(timeouts)\" != '$original' ]" || { cat "$log" >&2; lab_fail "$impl: timeouts not set"; }
  echo "start: $(timeouts)"
  conf "$LAB_TMP/$impl.conf" "tcpfin 30"
  kill -HUP "$pid"
  lab_wait 30 "[ \"\$(timeouts | awk '{print \$2}')\" = 30 ]" \
    || { cat "$log" >&2; lab_fail "$impl: reload did not set tcpfin 30 (now $(timeouts))"; }
  echo "reload: $(timeouts)"
  kill -TERM "$pid"
  lab_wait 60 "! kill -0 $pid 2>/dev/null" || lab_fail "$impl did not stop"
  echo "stop: $(timeouts)"
}

sequence lvsctl >"$LAB_TMP/lvsctl.out"
sed 's/^/lvsctl /' "$LAB_TMP/lvsctl.out" >&2
sequence keepalived >"$LAB_TMP/keepalived.out"
sed 's/^/keepalived /' "$LAB_TMP/keepalived.out" >&2
read -r _ tcp fin udp <<<"start: $original"
want="start: 7200 $fin 45
reload: $tcp 30 $udp
stop: $original"
[ "$(cat "$LAB_TMP/lvsctl.out")" = "$want" ] \
  || { cat "$LAB_TMP/lvsctl.log" >&2; lab_fail "lvsctl: $(cat "$LAB_TMP/lvsctl.out") (want $want)"; }
diff "$LAB_TMP/lvsctl.out" "$LAB_TMP/keepalived.out" >&2 || lab_fail "lvsctl and keepalived differ"
echo PASS
