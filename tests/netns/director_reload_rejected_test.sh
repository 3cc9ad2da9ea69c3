#!/usr/bin/env bash
# A rejected SIGHUP reload changes nothing (README: "a bad file is rejected (the running config
# stays)"). A master + backup pair of lvsctl directors, watched from the wire; both files get a
# syntax error, then a semantic error (virtual_router_id out of range), and both daemons get
# SIGHUP. Each time: the error is logged with file:line:col, "Reload rejected" is logged, the
# addresses on the interfaces are exactly as before (VIP on the master only), VI_A stays MASTER
# on d1 and BACKUP on d2 (the backup never advertises, the master never sends priority 0), and
# `director status --json` (without counters) and `director status` are identical before and
# after. Then a good reload (a new instance) still works. (No IPVS in this tier: the vm tier
# checks the IPVS table; here status reports IPVS off, the same before and after.)
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
. "$(dirname "$0")/../lib/director_events.sh"
. "$(dirname "$0")/../lib/director_pair.sh"
lab_require_root
lab_require python3

# A virtual server too (no checker: its real server counts as up), so status has one to compare.
service() {
  printf 'virtual_server 198.51.100.10 80 {\n    lb_algo rr\n    lb_kind DR\n    protocol TCP\n'
  printf '    real_server 203.0.113.10 80 {\n        weight 3\n    }\n}\n'
}
good() { pair_both "$VIP" "${1:-}"; service >>"$M"; service >>"$B"; }
good
pair_start

addrs() { ip -n "${LAB}-$1" -o addr show dev eth0 | awk '{print $3, $4}' | sort; }
text_status() {  # without the daemon line (uptime) and the last reload's line (a rejected one is recorded)
  { lab_exec "$1" "$LVSCTL" director status --run-dir "$LAB_TMP/run-$1" || [ $? -eq 1 ]; } |
    grep -v -e '^lvsctl ' -e '^Last reload: '
}
snapshot() {  # everything a rejected reload must leave as it is, for both directors
  local ns
  for ns in d1 d2; do
    echo "== $ns addresses"; addrs "$ns"
    echo "== $ns status --json"; dev_shape "$ns"
    echo "== $ns status"; text_status "$ns"
  done
}
before=$(snapshot)
grep -q '"state": "MASTER"' <<<"$before" || dev_fail "no MASTER in the snapshot: $before"
grep -q "inet $VIP/32" <<<"$before" || dev_fail "no VIP in the snapshot: $before"
grep -q '198.51.100.10' <<<"$before" || dev_fail "no virtual server in the snapshot: $before"

# rejected WHAT EDIT WHERE: apply the sed EDIT to both good files, SIGHUP both, expect WHERE
# (line:col of the error in each file; END: the line after the good file) in the error lines,
# then everything as before.
rejected() {
  local what=$1 edit=$2 where=$3 ns pid file
  good
  where=${where/END/$(( $(wc -l <"$M") + 1 ))}  # END: the line after the good file's last
  sed -i "$edit" "$M" "$B"
  entering=$(dev_count d1 'Entering')
  for ns in d2 d1; do
    pid=$MASTER_PID file=$M
    [ "$ns" = d2 ] && pid=$BACKUP_PID file=$B
    lvsctl_rc=0; "$LVSCTL" director check-config -f "$file" >/dev/null 2>&1 || lvsctl_rc=$?
    [ "$lvsctl_rc" = 1 ] || dev_fail "$what: check-config does not call $file invalid (exit $lvsctl_rc)"
    dev_hup "$ns" "$pid" 'Reload rejected'
    grep -qF "$file:$where: error:" "$LAB_TMP/$ns.log" || dev_fail "$what: no '$file:$where: error:' in $ns's log"
  done
  # Beyond a Master_Down_Interval of adverts: a backup that heard the master resign would have
  # taken over by now.
  dev_wait_adverts 5 "$(pair_from_master 100)"
  pair_quiet_backup "$what"
  [ "$(dev_count d1 'Entering')" -eq "$entering" ] || dev_fail "$what: d1 changed state"
  [ "$(dev_count d1 'Reloaded in')" -eq 0 ] || dev_fail "$what: d1 reloaded"
  local after
  after=$(snapshot)
  [ "$after" = "$before" ] || { diff <(echo "$before") <(echo "$after") >&2 || true; dev_fail "$what: the running state changed"; }
  kill -0 "$MASTER_PID" && kill -0 "$BACKUP_PID" || dev_fail "$what: a daemon exited"
  lab_log "$what: rejected at $where, nothing changed"
}

# Syntax: a stray '}' on a line of its own after the last block.
rejected "syntax error" '$ a }' END:1
# Semantics: virtual_router_id 300 (line 7, the value at column 23).
rejected "semantic error" 's/virtual_router_id 100/virtual_router_id 300/' 7:23

# A good reload afterwards still works: a new instance starts, VI_A untouched.
good with-b
entering=$(dev_count d1 'VI_A) Entering')
dev_hup d2 "$BACKUP_PID" 'Reloaded in'
dev_hup d1 "$MASTER_PID" 'Reloaded in'
lab_wait "$DEV_WAIT" "lab_has_addr d1 eth0 $VIP_B" || dev_fail "good reload: VI_B's VIP never came up"
lab_wait "$DEV_WAIT" '[ "$(dev_instance d1 VI_B state)" = MASTER ] && [ "$(dev_instance d2 VI_B state)" = BACKUP ]' \
  || dev_fail "good reload: VI_B states: $(dir_status d1) / $(dir_status d2)"
dev_wait_adverts 3 "$(pair_from_master 101)"
pair_quiet_backup "good reload"
[ "$(dev_count d1 'VI_A) Entering')" -eq "$entering" ] || dev_fail "good reload: VI_A changed state"
lab_log "a good reload after the rejected ones: VI_B started"
lab_log PASS
