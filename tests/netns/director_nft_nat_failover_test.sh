#!/usr/bin/env bash
# The nftables datapath, NAT, with two directors on the host kernel (no IPVS): d1 (priority 100)
# and d2 (50) share VRRP instances VI_1 (client-side VIP 203.0.113.100 on eth0) and VI_2 (the
# real servers' gateway 198.51.100.1 on eth1) in one sync group, keepalived's LVS-NAT layout; three services 10010/10020/10030 (rr) over two
# real servers on 198.51.100.0/24 (python http.server on each port, answering with its name).
#   - the client reaches all three ports through the VIP with answers from both real servers;
#   - the rules follow VRRP: the BACKUP (d2) has `table ip lvsctl` without services (no DNAT),
#     and `director status` says why; the MASTER's status lists the services, weights and the
#     connection counters of each real server (text and JSON);
#   - kill -9 of d1: d2 becomes MASTER, programs the services, and the client is served again;
#     the requests lost meanwhile are counted and printed.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 curl nft

lab_ns d1; lab_ns d2; lab_ns cl; lab_ns r1; lab_ns r2
lab_link d1 eth0 203.0.113.2/24
lab_link d2 eth0 203.0.113.3/24
lab_link cl eth0 203.0.113.10/24
ip -n "$LAB_HUB" link add br1 type bridge
ip -n "$LAB_HUB" link set br1 up
backend_link() {  # backend_link NS ADDR/LEN
  local peer="q$1$RANDOM"; peer=${peer:0:15}
  ip link add "$peer" netns "$LAB_HUB" type veth peer name eth1 netns "${LAB}-$1"
  ip -n "$LAB_HUB" link set "$peer" master br1 up
  ip -n "${LAB}-$1" link set eth1 up
  ip -n "${LAB}-$1" addr add "$2" dev eth1
}
backend_link d1 198.51.100.2/24
backend_link d2 198.51.100.3/24
backend_link r1 198.51.100.11/24
backend_link r2 198.51.100.12/24
ip -n "${LAB}-r1" route add default via 198.51.100.1
ip -n "${LAB}-r2" route add default via 198.51.100.1
lab_exec d1 sysctl -qw net.ipv4.ip_forward=1
lab_exec d2 sysctl -qw net.ipv4.ip_forward=1

PORTS="10010 10020 10030"
serve() {  # serve NS: python3 http.server on each port, whose index says NS
  local port
  mkdir -p "$LAB_TMP/www-$1"
  echo "$1" >"$LAB_TMP/www-$1/index.html"
  for port in $PORTS; do
    lab_spawn "$1" python3 -m http.server "$port" --bind 0.0.0.0 --directory "$LAB_TMP/www-$1" \
      >>"$LAB_TMP/http-$1.log" 2>&1
  done
  for port in $PORTS; do
    lab_wait 20 "lab_exec $1 ss -Htln 'sport = :$port' | grep -q LISTEN" || lab_fail "no server on $1:$port"
  done
}
serve r1; serve r2

conf() {  # conf STATE PRIORITY
  local port
  cat <<CONF
global_defs {
    router_id NFT_$1
    lb_backend nftables
}
vrrp_sync_group VG {
    group {
        VI_1
        VI_2
    }
}
vrrp_instance VI_1 {
    state $1
    interface eth0
    virtual_router_id 100
    priority $2
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 12345
    }
    virtual_ipaddress {
        203.0.113.100
    }
}
vrrp_instance VI_2 {
    state $1
    interface eth1
    virtual_router_id 101
    priority $2
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 12345
    }
    virtual_ipaddress {
        198.51.100.1/24
    }
}
CONF
  for port in $PORTS; do
    cat <<CONF
virtual_server 203.0.113.100 $port {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 198.51.100.11 $port {
        weight 1
        TCP_CHECK {
            connect_timeout 1
        }
    }
    real_server 198.51.100.12 $port {
        weight 2
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
CONF
  done
}
conf MASTER 100 >"$LAB_TMP/d1.conf"
conf BACKUP 50 >"$LAB_TMP/d2.conf"
"$LVSCTL" director check-config -f "$LAB_TMP/d1.conf" >/dev/null || lab_fail "check-config refused d1.conf"
dir_lvsctl d1 "$LAB_TMP/d1.conf"; d1=$LAB_LAST_PID
dir_lvsctl d2 "$LAB_TMP/d2.conf"; d2=$LAB_LAST_PID

status_text() { lab_exec "$1" "$LVSCTL" director status --run-dir "$LAB_TMP/run-$1"; }
json_get() {  # json_get NS PYTHON_EXPR (on s = the status JSON)
  dir_status "$1" | python3 -c "import json,sys; s=json.load(sys.stdin); print($2)"
}
VIP=203.0.113.100
lab_wait 20 "dir_vip_on d1" || lab_fail "the VIP never came to d1: $(cat "$LAB_TMP/d1.log")"
lab_wait 20 '[ "$(dir_state d2)" = BACKUP ]' || lab_fail "d2 is not BACKUP"
lab_wait 10 "lab_exec d1 nft list map ip lvsctl services | grep -q 10030" \
  || lab_fail "d1 has no services: $(lab_exec d1 nft list ruleset)"

ask() {  # ask PORT: the real server's name, or "failed"
  lab_exec cl curl -sf --max-time 2 "http://$VIP:$1/" || echo failed
}
seen() { local i; for i in $(seq "$2"); do ask "$1"; done | sort -u | tr '\n' ' '; }
for port in $PORTS; do
  lab_wait 30 '[ "$(seen '"$port"' 6)" = "r1 r2 " ]' || lab_fail "port $port: not both real servers: '$(seen "$port" 6)'"
  lab_log "through the VIP, port $port: $(seen "$port" 6)"
done

# The BACKUP programs no service (no DNAT there) and says why.
[ -z "$(lab_exec d2 nft list map ip lvsctl services | grep -E '10010|10020|10030' || true)" ] \
  || lab_fail "the BACKUP has services: $(lab_exec d2 nft list table ip lvsctl)"
status_text d2 | grep -q "VIP 203.0.113.100 is not held here" \
  || lab_fail "d2's status does not say the VIP is not held: $(status_text d2)"

# The MASTER's status: services, weights, counters.
text=$(status_text d1)
lab_log "d1 status:"; echo "$text" >&2
grep -q "nftables datapath: table ip lvsctl" <<<"$text" || lab_fail "no datapath line"
grep -Eq '^  -> 198\.51\.100\.12:10020 +Masq +2 +[1-9]' <<<"$text" \
  || lab_fail "no weight-2 real server with counted connections on 10020"
[ "$(json_get d1 'len(s["datapath"]["services"])')" = 3 ] || lab_fail "JSON: not 3 services"
conns=$(json_get d1 'sum(d["connections"] for v in s["datapath"]["services"] for d in v["destinations"])')
[ "$conns" -ge 18 ] || lab_fail "JSON: $conns connections counted, at least 18 were made"
[ "$(json_get d1 's["datapath"]["backend"]')" = nftables ] || lab_fail "JSON: backend"

# kill -9 of the master: count what the client loses until d2 serves. (The dead daemon's kernel
# keeps its VIPs and rules, as with keepalived: it goes on forwarding until d2's gratuitous ARPs
# move the client and the real servers; replies of d1's connections then reach d2, which has no
# conntrack for them: those requests fail.)
lost=0; served=0; asked=0; started=$(date +%s.%N)
kill -KILL "$d1"
deadline=$(( $(date +%s) + 40 ))
d2_master() { grep -q "VRRP_Instance(VI_1) Entering MASTER STATE" "$LAB_TMP/d2.log"; }
while ! d2_master || [ "$served" -lt 3 ]; do
  [ "$(date +%s)" -lt "$deadline" ] || lab_fail "not served by d2 within 40 s ($lost lost): $(cat "$LAB_TMP/d2.log")
r1 neighbours: $(lab_exec r1 ip neigh); client neighbours: $(lab_exec cl ip neigh)
d2: $(lab_exec d2 ip addr; lab_exec d2 nft list ruleset)"
  asked=$((asked + 1))
  if [ "$(lab_exec cl curl -sf --max-time 1 "http://$VIP:10010/" || echo failed)" = failed ]; then
    lost=$((lost + 1)); served=0
  elif d2_master; then
    served=$((served + 1))
  fi
done
elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
lab_log "kill -9 of the master: d2 MASTER and serving after ${elapsed} s; requests lost: $lost of $asked"
echo "requests lost during the NAT failover: $lost of $asked (${elapsed} s)"
[ "$(dir_state d2)" = MASTER ] || lab_fail "d2 is not MASTER"
for port in $PORTS; do
  lab_wait 30 '[ "$(seen '"$port"' 6)" = "r1 r2 " ]' || lab_fail "after failover, port $port: '$(seen "$port" 6)'"
done
# d2 served them: its own counters saw the connections.
conns=$(json_get d2 'sum(d["connections"] for v in s["datapath"]["services"] for d in v["destinations"])')
[ "$conns" -ge 18 ] || lab_fail "d2 counted $conns connections after the failover: $(status_text d2)"
lab_log "after failover, all three ports answered by both real servers through d2"
grep -q "Datapath: VIPs held as MASTER now" "$LAB_TMP/d2.log" || lab_fail "d2 never logged the held VIPs"
lab_log "PASS"
