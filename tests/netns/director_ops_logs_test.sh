#!/usr/bin/env bash
# The log lines an operator needs (issue 16), from a real pair on the lab bridge, and
# `director watch --json` beside it:
#  - start: version, command line, kernel, "Startup complete";
#  - d1 alone: MASTER because "Receive advertisement timeout", VIPs set, gratuitous ARPs sent;
#  - d2 (priority 150) joins: d2 MASTER by timeout (d1's lower adverts are ignored), d1 yields
#    naming d2 ("received higher priority advert from 203.0.113.105 (priority 150, ours 100)")
#    and removes its VIPs;
#  - d1 reloaded with priority 120: the reload summary names the instance updated in place;
#  - d2 stopped: d1 takes over "master 203.0.113.105 sent priority 0 (resigned)";
#  - d1's eth0 down / up: FAULT "interface eth0 down", BACKUP "interface eth0 up";
#  - every line of watch --json is one JSON object; the priority-0 advert is among them;
#  - --log-facility refuses bad values and a stderr target.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
. "$(dirname "$0")/../lib/director_events.sh"
lab_require_root
lab_require python3

# --log-facility: keepalived's values only, and only for syslog.
for bad in 8 local9 kern; do
  rc=0; out=$("$LVSCTL" --log-facility "$bad" director check-config --example 2>&1) || rc=$?
  [ "$rc" = 2 ] || lab_fail "--log-facility $bad: exit $rc, expected 2"
  grep -q "unknown log facility '$bad'" <<<"$out" || lab_fail "--log-facility $bad: $out"
done
rc=0; out=$("$LVSCTL" --log-target stderr --log-facility local3 director check-config --example 2>&1) || rc=$?
[ "$rc" = 2 ] && grep -q "needs --log-target syslog" <<<"$out" || lab_fail "facility with stderr: exit $rc: $out"
lab_log "--log-facility: bad values and stderr refused"

dir_lab
: >"$LAB_TMP/watch.json"
lab_spawn cl "$LVSCTL" director watch --json -i eth0 >>"$LAB_TMP/watch.json" 2>>"$LAB_TMP/watch.err"

dir_conf "$LAB_TMP/d1.conf" 100 BACKUP
dir_conf "$LAB_TMP/d2.conf" 150 BACKUP
log_has() {  # log_has NS REGEX: NS's log has a line matching REGEX (grep -E)
  grep -Eq -- "$2" "$LAB_TMP/$1.log"
}
wait_log() {  # wait_log NS REGEX WHAT
  lab_wait "$DEV_WAIT" "log_has '$1' '$2'" || dev_fail "$1: no log line '$2' ($3)"
}

dir_lvsctl d1 "$LAB_TMP/d1.conf"; d1=$LAB_LAST_PID
wait_log d1 'Startup complete' "start"
log_has d1 "Starting lvsctl director v[0-9]+\.[0-9]+\.[0-9]+ \(pid $d1\)" || dev_fail "no version line"
log_has d1 "Command line: .*lvsctl --log-level debug director run -f $LAB_TMP/d1.conf --run-dir" \
  || dev_fail "no command line"
log_has d1 'Running on Linux ' || dev_fail "no kernel line"
wait_log d1 'VIP_NSQ_100\) Entering MASTER STATE \(priority 100, effective 100\): Receive advertisement timeout' "takeover"
wait_log d1 'VIP_NSQ_100\) Setting VIPs: 203\.0\.113\.100/32 on eth0' "VIPs set"
wait_log d1 'VIP_NSQ_100\) Sending 5 gratuitous ARPs on eth0 for 203\.0\.113\.100' "GARP"
log_has d1 'VIP_NSQ_100\) Entering BACKUP STATE .*: start-up' || dev_fail "no start-up reason"
lab_log "start lines, takeover by timeout, VIPs and gratuitous ARPs logged"

dir_lvsctl d2 "$LAB_TMP/d2.conf"; d2=$LAB_LAST_PID
wait_log d2 'Entering MASTER STATE \(priority 150, effective 150\): Receive advertisement timeout' "d2 preempts"
wait_log d1 'Entering BACKUP STATE \(priority 100, effective 100\): received higher priority advert from 203\.0\.113\.105 \(priority 150, ours 100\)' "d1 yields"
wait_log d1 'VIP_NSQ_100\) Removing VIPs: 203\.0\.113\.100/32 on eth0' "VIPs removed"
lab_wait "$DEV_WAIT" "dir_vip_on d2 && ! dir_vip_on d1" || dev_fail "the VIP is not on d2 only"
lab_log "d2 preempted: reasons on both sides"

sed -i 's/priority 100/priority 120/' "$LAB_TMP/d1.conf"
dev_hup d1 "$d1" 'Reload: VRRP instances: 1 updated in place (VIP_NSQ_100)'
lab_log "reload summary names the updated instance"

kill -TERM "$d2"
wait_log d1 'Entering MASTER STATE \(priority 120, effective 120\): master 203\.0\.113\.105 sent priority 0 \(resigned\)' "takeover after resign"
lab_wait "$DEV_WAIT" "! kill -0 $d2 2>/dev/null" || dev_fail "d2 did not stop"
lab_wait "$DEV_WAIT" "dir_vip_on d1" || dev_fail "d1 did not take the VIP"
lab_log "d2 stopped: d1 names the resigned master"

ip -n "${LAB}-d1" link set eth0 down
wait_log d1 'Entering FAULT STATE \(priority 120, effective 120\): interface eth0 down' "link down"
ip -n "${LAB}-d1" link set eth0 up
wait_log d1 'Entering BACKUP STATE \(priority 120, effective 120\): interface eth0 up' "link up"
lab_log "link down/up: FAULT and back with the interface named"

# watch --json: every line one object; the resignation is on the wire.
lab_wait "$DEV_WAIT" "grep -q '\"priority\":0,' '$LAB_TMP/watch.json'" || dev_fail "no priority-0 advert in watch --json"
python3 - "$LAB_TMP/watch.json" <<'PY' || dev_fail "watch --json output is not one JSON object per line"
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
events = [json.loads(l) for l in lines]
adverts = [e for e in events if e["event"] == "advert"]
assert adverts, "no adverts"
for e in adverts:
    assert e["interface"] == "eth0" and e["version"] == 2 and e["vrid"] == 100, e
    assert e["addresses"] == ["203.0.113.100"] and e["auth"] == "PASS" and e["auth_pass"] == "12345", e
    assert e["time"].endswith("Z") and isinstance(e["interval_s"], float), e
sources = {(e["source"], e["priority"]) for e in adverts}
for want in [("203.0.113.104", 100), ("203.0.113.105", 150), ("203.0.113.105", 0), ("203.0.113.104", 120)]:
    assert want in sources, (want, sources)
print(len(events), "events")
PY
lab_log "watch --json: one object per line with the pair's adverts"
kill -TERM "$d1"
lab_wait "$DEV_WAIT" "! kill -0 $d1 2>/dev/null" || dev_fail "d1 did not stop"
log_has d1 'lvsctl director stopped' || dev_fail "no stop line"
echo PASS
