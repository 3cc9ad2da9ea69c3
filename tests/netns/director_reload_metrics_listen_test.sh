#!/usr/bin/env bash
# SIGHUP after global_defs metrics_listen changed: the Prometheus endpoint moves from PORT1 to
# PORT2 (PORT2 answers /metrics, PORT1 refuses connections), the master keeps its VIP and keeps
# advertising (no state change). Then reloads to endpoints that cannot be bound (the port taken
# by a socat listener; an address on no interface of the namespace) are refused with a log line
# naming the endpoint and the error, and PORT2 keeps serving: nothing is lost.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
. "$(dirname "$0")/../lib/director_events.sh"
lab_require_root
lab_require python3 socat

PORT1=9651 PORT2=9652 TAKEN=9653
dir_lab
metrics_conf() {  # metrics_conf ADDR:PORT: the master's file with metrics_listen ADDR:PORT
  dir_conf "$LAB_TMP/m.conf" 100 MASTER
  sed -i "s/^   router_id LVS_TEST\$/   router_id LVS_TEST\n   metrics_listen $1/" "$LAB_TMP/m.conf"
  grep -q "metrics_listen $1" "$LAB_TMP/m.conf" || lab_fail "metrics_listen not in the config"
}
# scrape PORT: the /metrics text of the endpoint on 127.0.0.1:PORT in d1 (fails if none answers)
scrape() { lab_exec d1 python3 -c 'import sys, urllib.request
sys.stdout.write(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=5).read().decode())' "$1"; }
serves() { scrape "$1" | grep -q '^lvsctl_vrrp_state{iname="VIP_NSQ_100",.*} 2$'; }
refuses() {  # nothing listens on 127.0.0.1:PORT in d1
  lab_exec d1 python3 -c 'import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
except ConnectionRefusedError:
    sys.exit(0)
sys.exit(1)' "$1"
}
kept_master() {  # WHEN: the VIP stayed, adverts go on, no state change since the start
  dir_vip_on d1 || dev_fail "$1: the VIP left the master"
  dev_wait_adverts 3 '203\.0\.113\.104'
  [ "$(dev_count d1 'Entering')" -eq "$entering" ] || dev_fail "$1: the instance changed state"
}

metrics_conf "127.0.0.1:$PORT1"
dir_lvsctl d1 "$LAB_TMP/m.conf"; d1=$LAB_LAST_PID
lab_wait 30 "dir_vip_on d1" || dev_fail "VIP not on the master"
dev_watch_start cl
lab_wait 30 "serves $PORT1" || dev_fail "PORT1 does not serve /metrics: $(scrape $PORT1 | grep vrrp_state)"
entering=$(dev_count d1 'Entering')

# --- PORT1 -> PORT2 ---------------------------------------------------------------------------
metrics_conf "127.0.0.1:$PORT2"
dev_hup d1 "$d1" 'Reloaded in'
serves "$PORT2" || dev_fail "PORT2 does not serve /metrics after the reload"
refuses "$PORT1" || dev_fail "PORT1 still accepts connections after the move"
grep -q "metrics: serving http://127.0.0.1:$PORT2/metrics" "$LAB_TMP/d1.log" || dev_fail "no serving line for PORT2"
kept_master "move to PORT2"
lab_log "metrics_listen moved: PORT2 serves, PORT1 refuses, the master kept its VIP and adverts"

# --- a port that is taken -----------------------------------------------------------------
lab_spawn d1 socat TCP-LISTEN:$TAKEN,bind=127.0.0.1,reuseaddr,fork SYSTEM:true
lab_wait 10 "! refuses $TAKEN" || dev_fail "socat does not listen on $TAKEN"
metrics_conf "127.0.0.1:$TAKEN"
dev_hup d1 "$d1" 'Reloaded in'
grep -q "Reload: metrics: cannot listen on 127.0.0.1:$TAKEN: Address already in use; still serving http://127.0.0.1:$PORT2/metrics" \
  "$LAB_TMP/d1.log" || dev_fail "no clear line for the taken port"
serves "$PORT2" || dev_fail "PORT2 stopped serving after a reload to a taken port"
kept_master "taken port"
lab_log "taken port: refused with a clear line, PORT2 still serves"

# --- an address on no interface -----------------------------------------------------------
metrics_conf "192.0.2.1:$PORT1"
dev_hup d1 "$d1" 'Reloaded in'
grep -q "Reload: metrics: cannot listen on 192.0.2.1:$PORT1: Cannot assign requested address; still serving http://127.0.0.1:$PORT2/metrics" \
  "$LAB_TMP/d1.log" || dev_fail "no clear line for the address on no interface"
serves "$PORT2" || dev_fail "PORT2 stopped serving after a reload to an address not on the host"
kept_master "address not on the host"
lab_log "address on no interface: refused with a clear line, PORT2 still serves"

# --- a good endpoint again: the move happens (the failed ones were not remembered) -----------
metrics_conf "127.0.0.1:$PORT1"
dev_hup d1 "$d1" 'Reloaded in'
serves "$PORT1" || dev_fail "PORT1 does not serve after moving back"
refuses "$PORT2" || dev_fail "PORT2 still accepts connections after moving back"
kill -0 "$d1" || dev_fail "the daemon exited"
lab_log PASS
