#!/usr/bin/env bash
# net_namespace NAME (keepalived 2.2.7: a top-level keyword; the daemon runs inside
# /run/netns/NAME): `lvsctl director run` started in the root namespace enters the lab's namespace
# before it opens any socket, so the VIP and the adverts are there and never in the root
# namespace; keepalived 2.2.7 does the same with the same file. The interface exists only inside
# the namespace (its name is not on the host), so a daemon that stayed outside would find nothing
# to touch. A namespace that does not exist: both exit at start-up ("Unable to set network
# namespace ... - exiting"), check-config --host names it; a reload cannot change it.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require keepalived

lab_ns d1
ns="${LAB}-d1"
ifname=ltnsif0
ip link show "$ifname" >/dev/null 2>&1 && lab_skip "an interface $ifname exists on the host"
lab_link d1 "$ifname" 203.0.113.104/24
host_has_vip() { ip -o addr show 2>/dev/null | grep -q " $VIP/"; }
host_has_vip && lab_skip "$VIP is already on the host"

write_conf() {  # write_conf FILE NAMESPACE
  cat >"$1" <<CONF
net_namespace $2
global_defs {
    router_id NS_TEST
}
vrrp_instance VI_1 {
    state BACKUP
    interface $ifname
    virtual_router_id 61
    priority 150
    advert_int 1
    virtual_ipaddress {
        $VIP/24
    }
}
CONF
}
conf="$LAB_TMP/ns.conf"
write_conf "$conf" "$ns"

lab_log "--- check-config --host: the interface is looked for inside the namespace"
"$LVSCTL" director check-config --host -f "$conf" >"$LAB_TMP/cc.out" 2>&1 \
  || lab_fail "check-config --host refused it: $(cat "$LAB_TMP/cc.out")"
write_conf "$LAB_TMP/missing.conf" "${LAB}-missing"
rc=0; "$LVSCTL" director check-config --host -f "$LAB_TMP/missing.conf" >"$LAB_TMP/cc2.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || lab_fail "check-config --host of a missing namespace: exit $rc ($(cat "$LAB_TMP/cc2.out"))"
grep -q "missing.conf:1:1: error: network namespace '${LAB}-missing' cannot be used on this host" "$LAB_TMP/cc2.out" \
  || lab_fail "check-config --host: $(cat "$LAB_TMP/cc2.out")"
"$LVSCTL" director check-config -f "$LAB_TMP/missing.conf" >/dev/null 2>&1 \
  || lab_fail "check-config (without --host) refused a namespace it does not look for"

run_host_side() {  # run_host_side IMPL: the daemon started in the root namespace
  local impl=$1 pid
  lab_log "--- $impl, started in the root namespace"
  if [ "$impl" = lvsctl ]; then
    mkdir -p "$LAB_TMP/run-host"
    "$LVSCTL" --log-level debug director run -f "$conf" --run-dir "$LAB_TMP/run-host" \
      >>"$LAB_TMP/$impl.log" 2>&1 &
  else
    mkdir -p "$LAB_TMP/ka-host"
    keepalived -P -n -l -D -f "$conf" -p "$LAB_TMP/ka-host/k.pid" -r "$LAB_TMP/ka-host/v.pid" \
      -c "$LAB_TMP/ka-host/c.pid" >>"$LAB_TMP/$impl.log" 2>&1 &
  fi
  pid=$!; LAB_PIDS+=("$pid")
  [ "$(readlink /proc/$pid/ns/net)" = "$(readlink /proc/self/ns/net)" ] || lab_fail "$impl did not start in the root namespace"
  lab_wait 20 "lab_has_addr d1 $ifname $VIP" || lab_fail "$impl: no VIP in $ns: $(tail -20 "$LAB_TMP/$impl.log")"
  host_has_vip && lab_fail "$impl: $VIP is on the host"
  [ "$(readlink /proc/$pid/ns/net)" = "$(readlink "/proc/$(ip netns pids "$ns" | head -1)/ns/net")" ] \
    || lab_fail "$impl's process is not in $ns"
  if [ "$impl" = lvsctl ]; then
    grep -q "Running in network namespace $ns (/run/netns/$ns)" "$LAB_TMP/$impl.log" \
      || lab_fail "no start-up line: $(head -20 "$LAB_TMP/$impl.log")"
    "$LVSCTL" director status --json --run-dir "$LAB_TMP/run-host" >"$LAB_TMP/status.json" \
      || lab_fail "status from the root namespace: $(cat "$LAB_TMP/status.json")"
    grep -q '"MASTER"' "$LAB_TMP/status.json" || lab_fail "status: $(cat "$LAB_TMP/status.json")"
    lab_log "--- a reload cannot change the namespace"
    write_conf "$LAB_TMP/ns.conf.new" "${LAB}-other"; mv "$LAB_TMP/ns.conf.new" "$conf"
    kill -HUP "$pid"
    lab_wait 10 "grep -q 'Cannot change network namespace at a reload' $LAB_TMP/$impl.log" \
      || lab_fail "reload: $(tail -5 "$LAB_TMP/$impl.log")"
    lab_has_addr d1 "$ifname" "$VIP" || lab_fail "the VIP went with a rejected reload"
    write_conf "$conf" "$ns"
  fi
  kill -TERM "$pid"
  lab_wait 15 "! kill -0 $pid 2>/dev/null" || lab_fail "$impl did not stop"
  lab_wait 5 "! lab_has_addr d1 $ifname $VIP" || lab_fail "$impl left the VIP"
  host_has_vip && lab_fail "$impl: $VIP is on the host"
  return 0
}
run_host_side keepalived
run_host_side lvsctl

lab_log "--- a namespace that does not exist: lvsctl exits at start-up, as keepalived"
rc=0
timeout 20 "$LVSCTL" director run -f "$LAB_TMP/missing.conf" --run-dir "$LAB_TMP/run-missing" \
  >"$LAB_TMP/missing.log" 2>&1 || rc=$?
[ "$rc" = 1 ] || lab_fail "lvsctl with a missing namespace: exit $rc ($(cat "$LAB_TMP/missing.log"))"
grep -q "Unable to set network namespace ${LAB}-missing - exiting" "$LAB_TMP/missing.log" \
  || lab_fail "no exit reason: $(cat "$LAB_TMP/missing.log")"
timeout 20 keepalived -n -l -D -f "$LAB_TMP/missing.conf" -p "$LAB_TMP/ka-m.pid" \
  -r "$LAB_TMP/ka-mv.pid" -c "$LAB_TMP/ka-mc.pid" >"$LAB_TMP/ka-missing.log" 2>&1 || true
grep -q "Unable to set network namespace ${LAB}-missing - exiting" "$LAB_TMP/ka-missing.log" \
  || lab_log "(keepalived said: $(tr '\n' '|' <"$LAB_TMP/ka-missing.log"))"
host_has_vip && lab_fail "$VIP is on the host"
lab_log "PASS: VIP inside $ns only, for lvsctl and keepalived; a missing namespace stops both"
