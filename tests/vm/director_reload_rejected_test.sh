#!/bin/bash
# vm tier: a rejected SIGHUP reload leaves the IPVS table untouched (README: "a bad file is
# rejected (the running config stays)"). A DR lab (client, director, two real servers) whose
# director runs a virtual server with TCP_CHECK'd real servers and a VRRP instance (alone on its
# link: MASTER of its VIP). Each rejected reload (a syntax error, then a semantic error, both in a
# file that also changes a weight): the error is logged with file:line:col, not one netlink
# request is sent (status ipvs.requests_sent), `ipvsadm -S -n` is identical, the VRRP VIP stays,
# status --json (without counters) is identical, and a client is still answered through the VIP.
# A good reload afterwards programs the new weight.
. "${LVSCTL_SOURCE_DIR:?}/tests/lib/netns.sh"
. "$LVSCTL_SOURCE_DIR/tests/lib/dr_lab.sh"
lab_require_root
lab_require ipvsadm python3
[ "${LVSCTL_IN_VM:-0}" = 1 ] || lab_skip "needs real IPVS: runs in the vm tier only"
[ -x "${LVSCTL:-}" ] || lab_skip "LVSCTL does not point at the built lvsctl"

PORT=8000 VIP=$DR_VIP PY=$DR_PY VRRP_VIP=203.0.113.200
dr_lab "$PORT"
conf=$LAB_TMP/dr.conf
write_conf() {  # write_conf WEIGHT_OF_RS2
  cat >"$conf" <<CONF
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        $VRRP_VIP
    }
}
virtual_server $VIP $PORT {
    lb_algo wrr
    lb_kind DR
    protocol TCP
    delay_loop 2
    real_server 203.0.113.11 $PORT {
        weight 1
        TCP_CHECK {
            connect_timeout 3
        }
    }
    real_server 203.0.113.12 $PORT {
        weight $1
        TCP_CHECK {
            connect_timeout 3
        }
    }
}
CONF
}
write_conf 1
dr_lvsctl_run "$conf"
director=$DR_LVSCTL_PID
dr_wait_dests 2
lab_wait 60 "lab_has_addr dir eth0 $VRRP_VIP" || { cat "$LAB_TMP/lvsctl.log" >&2; lab_fail "no VRRP VIP"; }

status_json() { "$LVSCTL" director status --run-dir "$LAB_TMP/run" --json --timeout 60 || [ $? -eq 1 ]; }
requests() { status_json | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["ipvs"]["requests_sent"])'; }
shape() {  # status --json: VRRP states and VIPs, health and the table, without counters and times
  status_json | "$PY" -c '
import json, sys
s = json.load(sys.stdin)
vrrp = [(i["name"], i["state"], i.get("vips")) for i in s["vrrp_instances"]]
health = [(v.get("address"), v.get("port"),
           [(r.get("address"), r.get("port"), r.get("healthy"), r.get("weight")) for r in v["real_servers"]])
          for v in s["virtual_servers"]]
table = [(v.get("protocol"), v.get("address"), v.get("port"), v.get("scheduler"),
          [(d["address"], d["port"], d["forwarding"], d["weight"]) for d in v["destinations"]])
         for v in s["ipvs"]["services"]]
print(json.dumps({"vrrp": vrrp, "health": health, "ipvs": table}, sort_keys=True))'
}
snapshot() {
  echo "== ipvsadm"; lab_exec dir ipvsadm -S -n | sort
  echo "== addresses"; ip -n "${LAB}-dir" -o addr show dev eth0 | awk '{print $3, $4}' | sort
  echo "== status"; shape
}
lab_wait 60 "dr_hello >/dev/null" || lab_fail "no answer through the VIP before the reloads"
before=$(snapshot)
grep -q -- "-r 203.0.113.12:$PORT -g -w 1" <<<"$before" || lab_fail "unexpected table: $before"

hup() {  # hup PATTERN: SIGHUP, wait for one more PATTERN line in the log
  local n
  n=$(grep -c -- "$1" "$LAB_TMP/lvsctl.log" || true)
  kill -HUP "$director"
  lab_wait 60 "[ \$(grep -c -- '$1' '$LAB_TMP/lvsctl.log') -gt $n ]" ||
    { cat "$LAB_TMP/lvsctl.log" >&2; lab_fail "no new '$1' line after SIGHUP"; }
}
rejected() {  # rejected WHAT SED_EDIT LINE:COL
  local req0 after
  write_conf 2  # a weight change that must NOT reach the kernel: the file is rejected
  sed -i "$2" "$conf"
  req0=$(requests)
  hup 'Reload rejected'
  grep -qF "$conf:$3: error:" "$LAB_TMP/lvsctl.log" ||
    { cat "$LAB_TMP/lvsctl.log" >&2; lab_fail "$1: no '$conf:$3: error:' in the log"; }
  dr_hello >/dev/null || lab_fail "$1: no answer through the VIP"
  [ "$(requests)" -eq "$req0" ] || lab_fail "$1: the rejected reload sent netlink requests"
  after=$(snapshot)
  [ "$after" = "$before" ] ||
    { echo "$before" >"$LAB_TMP/before"; echo "$after" >"$LAB_TMP/after"
      diff "$LAB_TMP/before" "$LAB_TMP/after" >&2 || true; lab_fail "$1: the running state changed"; }
  kill -0 "$director" || lab_fail "$1: the daemon exited"
  lab_log "$1: rejected at $3; IPVS table, VIPs and status unchanged, no netlink request"
}
write_conf 1
rejected "syntax error" '$ a }' "$(( $(wc -l <"$conf") + 1 )):1"
rejected "semantic error" 's/lb_kind DR/lb_kind DRR/' 13:13

write_conf 3
hup 'Reloaded in'
lab_wait 60 "lab_exec dir ipvsadm -S -n | grep -q -- '-r 203.0.113.12:$PORT -g -w 3'" ||
  { cat "$LAB_TMP/lvsctl.log" >&2; lab_fail "the good reload did not program the new weight"; }
lab_has_addr dir eth0 "$VRRP_VIP" || lab_fail "the good reload dropped the VRRP VIP"
lab_log "a good reload after the rejected ones: weight 3 programmed"
lab_log PASS
