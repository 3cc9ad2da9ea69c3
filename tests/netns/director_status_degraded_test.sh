#!/usr/bin/env bash
# `lvsctl director status` exit codes for a monitoring check (README, man page): 0 all healthy,
# 1 degraded, each degraded state on its own, text and --json, with the reason in the text:
#   - a real server down (its listener killed): "real server ... down: <check failure>", and the
#     text's real-server line says DOWN with the last failure;
#   - quorum lost (the second real server down too, quorum 2);
#   - a VRRP instance in FAULT (its track_script fails);
#   - the datapath off (`--lb-backend ipvs` on a kernel without IPVS, a second daemon);
# and back to 0 once healthy again. (3, not running: director_status_exit_test.)
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 socat

lab_ns d1; lab_ns cl
lab_link d1 eth0 203.0.113.104/24
lab_link cl eth0 203.0.113.10/24 203.0.113.11/24
OK_FILE=$LAB_TMP/script-ok
touch "$OK_FILE"
dir_conf "$LAB_TMP/d1.conf" 100 MASTER
cat >>"$LAB_TMP/d1.conf" <<CONF
vrrp_script chk_ok {
    script "/usr/bin/test -e $OK_FILE"
    interval 1
}
virtual_server $VIP 80 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    quorum 2
    real_server 203.0.113.10 8080 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
    real_server 203.0.113.11 8080 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
CONF
# The instance tracks chk_ok (weight 0: a failure is FAULT).
sed -i 's/^    virtual_ipaddress {$/    track_script {\n        chk_ok\n    }\n    virtual_ipaddress {/' "$LAB_TMP/d1.conf"

listen() { lab_spawn cl socat "TCP-LISTEN:8080,bind=$1,fork,reuseaddr" SYSTEM:true; }
listen 203.0.113.10; rs1=$LAB_LAST_PID
listen 203.0.113.11; rs2=$LAB_LAST_PID
dir_lvsctl d1 "$LAB_TMP/d1.conf"; daemon=$LAB_LAST_PID

status() {  # status RUN_DIR [ARGS]: sets RC, output in $LAB_TMP/out
  RC=0
  lab_exec d1 timeout 30 "$LVSCTL" director status --run-dir "$1" "${@:2}" >"$LAB_TMP/out" 2>&1 || RC=$?
}
# expect CODE WHAT TEXT_GREP [RUN_DIR]: text and --json both exit CODE; the text shows TEXT_GREP.
expect() {
  local code=$1 what=$2 pattern=$3 run=${4:-$LAB_TMP/run-d1}
  lab_wait 30 "status '$run'; [ \"\$RC\" = $code ] && grep -qE -- '$pattern' '$LAB_TMP/out'" \
    || { cat "$LAB_TMP/out" >&2; lab_fail "$what: text status exit $RC (want $code) or no '$pattern'"; }
  cp "$LAB_TMP/out" "$LAB_TMP/text"
  status "$run" --json
  [ "$RC" = "$code" ] || { cat "$LAB_TMP/out" >&2; lab_fail "$what: --json exit $RC, want $code"; }
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if s["degraded"] == (sys.argv[2] == "1") else 1)' \
    "$LAB_TMP/out" "$code" || lab_fail "$what: --json 'degraded' does not match exit $code"
  lab_log "$what: exit $code"
}

lab_wait 60 "dir_vip_on d1" || lab_fail "d1 never became MASTER"
expect 0 "healthy" '^Health: OK$'
grep -q '203.0.113.10:8080 up, weight 1 (TCP_CHECK ok' "$LAB_TMP/text" || lab_fail "healthy: no real-server line: $(cat "$LAB_TMP/text")"

kill -TERM "$rs1"
expect 1 "a real server down" 'real server 203.0.113.10:8080 down: '
grep -qE -- '-> 203.0.113.10:8080 DOWN, weight [0-9]+ \(TCP_CHECK failed: .*\); last failure ' "$LAB_TMP/text" \
  || lab_fail "the text's real-server line lacks DOWN and the last failure: $(cat "$LAB_TMP/text")"
grep -q 'quorum lost' "$LAB_TMP/text" || lab_fail "quorum 2 with one server down is lost: $(cat "$LAB_TMP/text")"
listen 203.0.113.10; rs1=$LAB_LAST_PID
expect 0 "the real server back" '^Health: OK$'

# Quorum (2: the sum of live weights) lost with both real servers down: named once, beside them.
kill -TERM "$rs1" "$rs2"
expect 1 "quorum lost" 'virtual server TCP 203.0.113.100:80: quorum lost'
listen 203.0.113.10; rs1=$LAB_LAST_PID
listen 203.0.113.11; rs2=$LAB_LAST_PID
expect 0 "both real servers back" '^Health: OK$'

rm -f "$OK_FILE"
expect 1 "an instance in FAULT" 'VRRP instance VIP_NSQ_100 is in FAULT'
touch "$OK_FILE"
expect 0 "the instance back" '^Health: OK$'

# The datapath off: a second daemon (own run dir, no VRRP) forced onto IPVS, which this kernel
# lacks (the netns tier's host has no ip_vs; see docs/testing).
if [ -e /proc/net/ip_vs ]; then
  lab_fail "this host has IPVS: the datapath-off case needs a kernel without it (netns tier)"
fi
cat >"$LAB_TMP/dp.conf" <<CONF
virtual_server 198.51.100.10 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 203.0.113.10 8080 {
        weight 1
    }
}
CONF
mkdir -p "$LAB_TMP/run-dp"
lab_spawn d1 "$LVSCTL" director run -f "$LAB_TMP/dp.conf" --run-dir "$LAB_TMP/run-dp" --lb-backend ipvs \
  >>"$LAB_TMP/dp.log" 2>&1
expect 1 "the datapath off" 'datapath ipvs off' "$LAB_TMP/run-dp"
kill -0 "$daemon" || lab_fail "d1's daemon died"
lab_log "PASS"
