#!/usr/bin/env bash
# `--metrics-listen` scraped by a real Prometheus (Debian's `prometheus`), started inside the
# backup director's namespace with a temp config and TSDB, stopped by pid. `promtool check
# metrics` accepts the exposition. Then, through Prometheus' HTTP API (what an alert rule sees):
#   1. failover: the master (d1) stops, lvsctl_vrrp_state of d2's instance goes 1 (BACKUP) -> 2
#      (MASTER);
#   2. real-server failure: the TCP listener in cl dies, lvsctl_real_server_up goes 1 -> 0, and
#      the failed checks are counted.
# Plus the endpoint's hostility bounds: a client that connects and sends nothing, and one that
# sends an endless header, do not stop Prometheus' scrapes.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 prometheus promtool socat

dir_lab
RS=203.0.113.10
service() {
  cat <<CONF
virtual_server $VIP 80 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server $RS 8080 {
        weight 1
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
CONF
}
dir_conf "$LAB_TMP/m.conf" 100 MASTER
dir_conf "$LAB_TMP/b.conf" 50 BACKUP
service >>"$LAB_TMP/b.conf"
# The backup's endpoint comes from global_defs (the keyword); --metrics-listen is tested below.
sed -i 's/^   router_id LVS_TEST$/   router_id LVS_TEST\n   metrics_listen 127.0.0.1:9650/' "$LAB_TMP/b.conf"
grep -q 'metrics_listen 127.0.0.1:9650' "$LAB_TMP/b.conf" || lab_fail "metrics_listen not in the config"

lab_spawn cl socat TCP-LISTEN:8080,bind=$RS,fork,reuseaddr SYSTEM:true; listener=$LAB_LAST_PID
dir_lvsctl d1 "$LAB_TMP/m.conf"; master=$LAB_LAST_PID
dir_lvsctl d2 "$LAB_TMP/b.conf"; backup=$LAB_LAST_PID
lab_wait 30 "dir_vip_on d1" || lab_fail "VIP not on the master"
lab_wait 30 "dir_backup_accepts d2" || lab_fail "d2 not BACKUP"

scrape() { lab_exec d2 python3 -c 'import sys, urllib.request
sys.stdout.write(urllib.request.urlopen("http://127.0.0.1:9650/metrics", timeout=5).read().decode())'; }
lab_wait 20 "scrape | grep -q '^lvsctl_real_server_up{.*} 1$'" || lab_fail "no healthy real server in /metrics: $(scrape | grep real_server_up)"
scrape >"$LAB_TMP/metrics.txt"
promtool check metrics <"$LAB_TMP/metrics.txt" >"$LAB_TMP/promtool.out" 2>&1 \
  || lab_fail "promtool check metrics: $(cat "$LAB_TMP/promtool.out")"
lab_log "promtool check metrics: OK ($(grep -c '^lvsctl_' "$LAB_TMP/metrics.txt") samples)"

# --- Prometheus in d2, scraping every second ----------------------------------------------
mkdir -p "$LAB_TMP/tsdb"
cat >"$LAB_TMP/prometheus.yml" <<'YML'
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: lvsctl
    static_configs:
      - targets: ['127.0.0.1:9650']
YML
lab_spawn d2 prometheus --config.file="$LAB_TMP/prometheus.yml" --storage.tsdb.path="$LAB_TMP/tsdb" \
  --web.listen-address=127.0.0.1:9090 >"$LAB_TMP/prometheus.log" 2>&1
query() {  # query PROMQL: the first result's value, or nothing
  lab_exec d2 python3 -c 'import json, sys, urllib.parse, urllib.request
url = "http://127.0.0.1:9090/api/v1/query?" + urllib.parse.urlencode({"query": sys.argv[1]})
r = json.load(urllib.request.urlopen(url, timeout=5))["data"]["result"]
print(r[0]["value"][1] if r else "")' "$1" 2>>"$LAB_TMP/query.err" || true
}
targets() { lab_exec d2 python3 -c 'import urllib.request
print(urllib.request.urlopen("http://127.0.0.1:9090/api/v1/targets", timeout=5).read().decode()[:800])' 2>&1 || true; }
STATE='lvsctl_vrrp_state{iname="VIP_NSQ_100"}'
UP="lvsctl_real_server_up{real_server=\"$RS:8080\"}"
lab_wait 60 "[ \"\$(query '$STATE')\" = 1 ]" \
  || lab_fail "Prometheus never saw d2 BACKUP: '$(query "$STATE")' ($(tail -3 "$LAB_TMP/query.err"); targets: $(targets))"
lab_wait 30 "[ \"\$(query '$UP')\" = 1 ]" || lab_fail "Prometheus never saw the real server up"
lab_log "Prometheus: d2 BACKUP (1), real server up (1)"

# Hostile clients beside Prometheus: one silent, one sending an endless header.
lab_spawn d2 python3 -c 'import socket, time
s = socket.create_connection(("127.0.0.1", 9650)); time.sleep(30)'
lab_spawn d2 python3 -c 'import socket, time
s = socket.create_connection(("127.0.0.1", 9650)); s.sendall(b"GET /metrics HTTP/1.1\r\n")
try:
    while True: s.sendall(b"X-Flood: " + b"a" * 1000 + b"\r\n"); time.sleep(0.01)
except OSError: pass'

# --- 1. failover ----------------------------------------------------------------------------
kill -TERM "$master"
lab_wait 30 "dir_vip_on d2" || lab_fail "d2 did not take over"
lab_wait 30 "[ \"\$(query '$STATE')\" = 2 ]" || lab_fail "Prometheus did not see d2 MASTER: '$(query "$STATE")'"
[ "$(query "lvsctl_vrrp_become_master_total{iname=\"VIP_NSQ_100\"}")" = 1 ] \
  || lab_fail "become_master_total is not 1"
lab_log "Prometheus: d2 MASTER (2) after the failover"

# --- 2. real-server failure -------------------------------------------------------------------
kill -TERM "$listener"
lab_wait 30 "[ \"\$(query '$UP')\" = 0 ]" || lab_fail "Prometheus did not see the real server down: '$(query "$UP")'"
failed=$(query "lvsctl_real_server_checks_total{real_server=\"$RS:8080\",result=\"failure\"}")
[ -n "$failed" ] && [ "$failed" -ge 1 ] || lab_fail "no failed checks counted: '$failed'"
lab_log "Prometheus: real server down (0), $failed failed checks"
scrape | promtool check metrics >/dev/null 2>&1 || lab_fail "promtool rejects the metrics after the failures"
kill -0 "$backup" || lab_fail "d2 died"
lab_log "PASS"
