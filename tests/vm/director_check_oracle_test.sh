#!/bin/bash
# vm tier: MISC_CHECK script security and the TCP_CHECK schedule of a dead real server, lvsctl
# against keepalived 2.2.7 (-C, checkers only) on the same files. keepalived's checker exits
# without IPVS, so this cannot run on the host kernel.
#  1. script_user nobody: the MISC_CHECK script records `id -u`: 65534 under both.
#  2. enable_script_security: a world-writable MISC_CHECK script run as root (`user root`) is
#     refused by both with a log line, never runs, and its real server stays in the IPVS table
#     (keepalived drops the checker).
#  3. TCP_CHECK of a closed port (retry 2, delay_before_retry 1, delay_loop 3): keepalived keeps
#     retrying while the checker is down: retry + 1 probes per cycle, delay_before_retry (1 s)
#     apart, then delay_loop (3 s) to the next cycle. The RSTs the real server sends (captured
#     with their kernel timestamps) show that schedule under both: among the 9 gaps between 10
#     probes, at least 3 retries (gaps < 2 s; 6 expected) and at least 2 cycle ends (gaps >= 2 s;
#     3 expected). (lvsctl once probed a down checker once per delay_loop: no short gap at all.)
#     Load can only stretch gaps; the rate itself is a figure (bench_check_timing), not asserted.
. "${LVSCTL_SOURCE_DIR:?}/tests/lib/netns.sh"
lab_require_root
lab_require ipvsadm keepalived tcpdump
[ "${LVSCTL_IN_VM:-0}" = 1 ] || lab_skip "needs real IPVS (keepalived's checker): runs in the vm tier only"
[ -x "${LVSCTL:-}" ] || lab_skip "LVSCTL does not point at the built lvsctl"
getent passwd nobody >/dev/null || lab_skip "user nobody does not exist"

lab_ns d1; lab_ns r1
lab_link d1 eth0 203.0.113.104/24
lab_link r1 eth0 203.0.113.101/24  # nothing listens: every probe is answered with a RST

# Scripts must be reachable by nobody: /tmp (sticky) -> LAB_TMP (root, 0755) -> scripts.
chmod 0755 "$LAB_TMP"
out="$LAB_TMP/out"; mkdir -m 1777 "$out"
# (written aside and renamed: the script runs every second while the test reads the file)
printf '#!/bin/sh\nid -u > %s/id.$$ && mv %s/id.$$ %s/id.$(cat %s/tag)\n' "$out" "$out" "$out" "$out" >"$LAB_TMP/id.sh"
chmod 0755 "$LAB_TMP/id.sh"
printf '#!/bin/sh\ntouch %s/bad.$(cat %s/tag)\n' "$out" "$out" >"$LAB_TMP/bad.sh"
chmod 0777 "$LAB_TMP/bad.sh"

conf() {  # conf FILE GLOBAL_LINE MISC_SCRIPT [MISC_LINE]
  cat >"$1" <<CONF
global_defs {
    $2
}
virtual_server 203.0.113.100 10099 {
    delay_loop 3
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 203.0.113.101 10099 {
        weight 1
        TCP_CHECK {
            connect_timeout 1
            retry 2
            delay_before_retry 1
            warmup 0
        }
    }
}
virtual_server 203.0.113.100 10098 {
    delay_loop 1
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 203.0.113.102 10098 {
        weight 1
        MISC_CHECK {
            misc_path "$3"
            misc_timeout 30
            warmup 0
            ${4:-}
        }
    }
}
CONF
}

start() {  # start IMPL TAG CONF: sets daemon and log
  echo "$2" >"$out/tag"
  log="$LAB_TMP/$1-$2.log"
  if [ "$1" = lvsctl ]; then
    mkdir -p "$LAB_TMP/run"
    lab_spawn d1 "$LVSCTL" director run -f "$3" --run-dir "$LAB_TMP/run" >"$log" 2>&1
  else
    local ka="$LAB_TMP/ka"; mkdir -p "$ka"; rm -f "$ka"/*.pid
    lab_spawn d1 keepalived -C -n -l -D -f "$3" -p "$ka/k.pid" -c "$ka/c.pid" -r "$ka/v.pid" \
      -b "$ka/b.pid" >"$log" 2>&1
  fi
  daemon=$LAB_LAST_PID
}
stop() {
  kill -TERM "$daemon"
  lab_wait 10 "! kill -0 $daemon 2>/dev/null" || kill -KILL "$daemon" 2>/dev/null
  wait "$daemon" 2>/dev/null || true
  lab_exec d1 ipvsadm -C
}
capture_rsts() {  # capture_rsts FILE: the RSTs r1 sends, one line each with its kernel timestamp
  lab_spawn r1 tcpdump -i eth0 -n -tt -l 'tcp[tcpflags] & tcp-rst != 0 and src host 203.0.113.101' >"$1" 2>"$1.err"
  capture=$LAB_LAST_PID
  lab_wait 30 "grep -q 'listening on' '$1.err'" || lab_fail "tcpdump did not start: $(cat "$1.err")"
}
gaps() {  # gaps FILE: the gaps between the first 10 captured RSTs, in seconds
  awk 'NR > 10 { exit } NR > 1 { printf "%.2f ", $1 - last } { last = $1 }' "$1"
}

conf "$LAB_TMP/user.conf" "script_user nobody" "$LAB_TMP/id.sh"
conf "$LAB_TMP/secure.conf" "enable_script_security" "$LAB_TMP/bad.sh" "user root"
declare -A probes
for impl in lvsctl keepalived; do
  lab_log "--- $impl: script_user nobody; TCP_CHECK of a closed port"
  start "$impl" user "$LAB_TMP/user.conf"
  lab_wait 60 "[ -s $out/id.user ]" || lab_fail "$impl: the MISC_CHECK script did not run: $(tail -5 "$log")"
  ran_as=$(cat "$out/id.user")
  [ "$ran_as" = "$(id -u nobody)" ] || lab_fail "$impl: the MISC_CHECK script ran as uid $ran_as, expected $(id -u nobody)"
  # The probes of the dead real server, from its first one (a fresh checker goes down at its
  # first failure, then retries on the same schedule).
  capture_rsts "$LAB_TMP/$impl.rsts"
  lab_wait 120 "[ \$(wc -l <'$LAB_TMP/$impl.rsts') -ge 10 ]" ||
    lab_fail "$impl: fewer than 10 probes of the dead real server: $(cat "$LAB_TMP/$impl.rsts")"
  kill "$capture"
  probes[$impl]=$(gaps "$LAB_TMP/$impl.rsts")
  lab_log "$impl: gaps between the probes of the dead real server: ${probes[$impl]}s"
  stop
  rm -f "$out/id.user"

  lab_log "--- $impl: enable_script_security refuses a world-writable MISC_CHECK script"
  start "$impl" secure "$LAB_TMP/secure.conf"
  lab_wait 15 "lab_exec d1 ipvsadm -Ln | grep -q 203.0.113.102:10098" ||
    lab_fail "$impl: the real server of the refused checker is not in the table: $(lab_exec d1 ipvsadm -Ln)"
  sleep 3  # an observation window (three delay_loops): the refused script never runs
  [ -e "$out/bad.secure" ] && lab_fail "$impl ran a world-writable MISC_CHECK script as root"
  lab_exec d1 ipvsadm -Ln | grep -q 203.0.113.102:10098 ||
    lab_fail "$impl: the real server of the refused checker left the table"
  stop
done

for impl in lvsctl keepalived; do
  read -r retries cycles <<<"$(awk '{ for (i = 1; i <= NF; i++) if ($i < 2) r++; else c++ } END { print r + 0, c + 0 }' <<<"${probes[$impl]}")"
  [ "$retries" -ge 3 ] || lab_fail "$impl did not retry the down checker (gaps ${probes[$impl]}s; delay_before_retry 1 s)"
  [ "$cycles" -ge 2 ] || lab_fail "$impl never waited delay_loop between retry cycles (gaps ${probes[$impl]}s)"
done
grep -q "MISC_CHECK script '$LAB_TMP/bad.sh' disabled: refused to run as root (enable_script_security): $LAB_TMP/bad.sh is writable by everyone" \
  "$LAB_TMP/lvsctl-secure.log" || lab_fail "no clear log line from lvsctl: $(cat "$LAB_TMP/lvsctl-secure.log")"
grep -q "Disabling misc script '$LAB_TMP/bad.sh' due to insecure" "$LAB_TMP/keepalived-secure.log" ||
  lab_fail "keepalived did not refuse the script: $(cat "$LAB_TMP/keepalived-secure.log")"
lab_log "PASS"
