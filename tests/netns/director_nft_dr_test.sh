#!/usr/bin/env bash
# The nftables datapath, DR, with two directors on the host kernel (no IPVS): d1 (priority 100)
# and d2 (50) share VRRP instance VI_1 (VIP 203.0.113.100 on eth0); three services
# 10010/10020/10030 (rr, lb_kind DR) over two real servers on the same segment that run
# `lvsctl realserver start` (VIP on lo, arp_ignore/arp_announce in their namespaces) and a
# python http.server on each port answering with its name.
#   - the client reaches all three ports through the VIP with answers from both real servers
#     (replies go straight from the real servers to the client);
#   - the MASTER has `table netdev lvsctl` with an ingress chain on eth0; the BACKUP has the
#     table without an ingress chain (it forwards nothing) and says so in `director status`;
#   - a real server whose service stops takes no new flows within delay_loop + retry (measured
#     and printed), and comes back;
#   - a DR real server that nothing else talks to (r1's second address 203.0.113.21, no health
#     checker, service 10040) gets its MAC resolved by the datapath (ARP through NTF_USE) and
#     serves the client;
#   - kill -9 of d1: d2 becomes MASTER, hooks its ingress chain, and the client is served again;
#     the requests lost meanwhile are counted and printed.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 curl nft
[ -x "$LVSCTL" ] || lab_skip "LVSCTL ($LVSCTL) is not an executable"

VIP=203.0.113.100
PORTS="10010 10020 10030"
lab_ns d1; lab_ns d2; lab_ns cl; lab_ns r1; lab_ns r2
lab_link d1 eth0 203.0.113.2/24
lab_link d2 eth0 203.0.113.3/24
lab_link cl eth0 203.0.113.10/24
lab_link r1 eth0 203.0.113.11/24
lab_link r2 eth0 203.0.113.12/24
for rs in r1 r2; do
  lab_exec "$rs" "$LVSCTL" realserver start --vip "$VIP" --state-dir "$LAB_TMP/state-$rs" >/dev/null \
    || lab_fail "realserver start in $rs"
  grep -q "$VIP" <<<"$(lab_exec "$rs" ip -o addr show dev lo)" || lab_fail "no VIP on $rs's lo"
done

serve() {  # serve NS PORT: python3 http.server answering NS; sets LAB_LAST_PID
  mkdir -p "$LAB_TMP/www-$1"
  echo "$1" >"$LAB_TMP/www-$1/index.html"
  lab_spawn "$1" python3 -m http.server "$2" --bind 0.0.0.0 --directory "$LAB_TMP/www-$1" \
    >>"$LAB_TMP/http-$1.log" 2>&1
  local pid=$LAB_LAST_PID
  lab_wait 20 "lab_exec $1 ss -Htln 'sport = :$2' | grep -q LISTEN" || lab_fail "no server on $1:$2"
  LAB_LAST_PID=$pid
}
for port in $PORTS; do serve r1 "$port"; serve r2 "$port"; [ "$port" = 10010 ] && r2_10010=$LAB_LAST_PID; done
ip -n "${LAB}-r1" addr add 203.0.113.21/24 dev eth0
serve r1 10040

conf() {  # conf STATE PRIORITY
  local port
  cat <<CONF
global_defs {
    router_id NFT_DR_$1
    lb_backend nftables
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
        $VIP
    }
}
CONF
  for port in $PORTS; do
    cat <<CONF
virtual_server $VIP $port {
    delay_loop 1
    lvs_sched rr
    lvs_method DR
    protocol TCP
    real_server 203.0.113.11 $port {
        TCP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
    real_server 203.0.113.12 $port {
        TCP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
}
CONF
  done
  cat <<CONF
virtual_server $VIP 10040 {
    delay_loop 1
    lvs_sched rr
    lvs_method DR
    protocol TCP
    real_server 203.0.113.21 10040 {
    }
}
CONF
}
conf MASTER 100 >"$LAB_TMP/d1.conf"
conf BACKUP 50 >"$LAB_TMP/d2.conf"
"$LVSCTL" director check-config -f "$LAB_TMP/d1.conf" >/dev/null || lab_fail "check-config refused d1.conf"
dir_lvsctl d1 "$LAB_TMP/d1.conf"; d1=$LAB_LAST_PID
dir_lvsctl d2 "$LAB_TMP/d2.conf"; d2=$LAB_LAST_PID

status_text() { lab_exec "$1" "$LVSCTL" director status --run-dir "$LAB_TMP/run-$1"; }
json_get() { dir_status "$1" | python3 -c "import json,sys; s=json.load(sys.stdin); print($2)"; }
lab_wait 20 "dir_vip_on d1" || lab_fail "the VIP never came to d1: $(cat "$LAB_TMP/d1.log")"
lab_wait 20 '[ "$(dir_state d2)" = BACKUP ]' || lab_fail "d2 is not BACKUP"
lab_wait 15 "lab_exec d1 nft list chain netdev lvsctl ingress_eth0 >/dev/null 2>&1" \
  || lab_fail "no DR ingress chain on d1: $(lab_exec d1 nft list ruleset; cat "$LAB_TMP/d1.log")"

ask() { lab_exec cl curl -sf --max-time 2 "http://$VIP:$1/" || echo failed; }
seen() { local i; for i in $(seq "$2"); do ask "$1"; done | sort -u | tr '\n' ' '; }
for port in $PORTS; do
  lab_wait 30 '[ "$(seen '"$port"' 8)" = "r1 r2 " ]' \
    || lab_fail "port $port: not both real servers: '$(seen "$port" 8)'; $(lab_exec d1 nft list ruleset); $(status_text d1)"
  lab_log "through the VIP (DR), port $port: $(seen "$port" 8)"
done
# The unchecked real server: its MAC came from the datapath's own resolution.
[ -z "$(lab_exec d2 ip neigh show 203.0.113.21)" ] || lab_fail "the BACKUP resolved 203.0.113.21 (nothing should talk to it there)"
lab_wait 20 '[ "$(ask 10040)" = r1 ]' || lab_fail "VIP:10040 not served by 203.0.113.21: $(status_text d1; lab_exec d1 ip neigh)"
lab_log "unchecked DR real server: MAC resolved by the datapath ($(lab_exec d1 ip neigh show 203.0.113.21)); VIP:10040 answered by $(ask 10040)"
# Direct return: the real servers answered from the VIP, the director saw only the requests.
grep -q "counter packets [1-9]" <<<"$(lab_exec d1 nft list map netdev lvsctl dr_backends)" \
  || lab_fail "no packets counted in dr_backends"

# The BACKUP has no ingress chain and says why.
lab_exec d2 nft list chain netdev lvsctl ingress_eth0 >/dev/null 2>&1 \
  && lab_fail "the BACKUP has an ingress chain: $(lab_exec d2 nft list ruleset)"
status_text d2 | grep -q "VIP $VIP is not held here" || lab_fail "d2's status: $(status_text d2)"
text=$(status_text d1)
lab_log "d1 status:"; echo "$text" >&2
grep -q "nftables datapath: table ip lvsctl, netdev lvsctl" <<<"$text" || lab_fail "no DR table in status"
grep -Eq '^  -> 203\.0\.113\.12:10010 +Route +1 +0 +[1-9]' <<<"$text" || lab_fail "no DR packet counters"

# A real server's service stops: it takes no new flows within delay_loop + retry.
t0=$(date +%s.%N)
kill -TERM "$r2_10010"; wait "$r2_10010" 2>/dev/null || true
lab_wait 20 '[ "$(seen 10010 6)" = "r1 " ]' || lab_fail "r2 still chosen on 10010: $(seen 10010 6)"
t1=$(date +%s.%N)
lab_log "r2:10010 stopped: only r1 after $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s (delay_loop 1 + retry 1 x delay_before_retry 1 + connect_timeout 1)"
[ "$(seen 10020 8)" = "r1 r2 " ] || lab_fail "10020 lost r2 too"
serve r2 10010
lab_wait 20 '[ "$(seen 10010 8)" = "r1 r2 " ]' || lab_fail "r2 did not come back on 10010"
lab_log "r2:10010 back: $(seen 10010 8)"

# kill -9 of the master. Its kernel keeps the VIP and its ingress chain, as with keepalived,
# until d2's gratuitous ARPs move the client; per-flow jhash with the same seed on both
# directors picks the same real server for a flow, so either forwards it the same way.
lost=0; served=0; asked=0; started=$(date +%s.%N)
kill -KILL "$d1"
deadline=$(( $(date +%s) + 40 ))
d2_master() { grep -q "VRRP_Instance(VI_1) Entering MASTER STATE" "$LAB_TMP/d2.log"; }
while ! d2_master || [ "$served" -lt 3 ]; do
  [ "$(date +%s)" -lt "$deadline" ] || lab_fail "not served by d2 within 40 s ($lost lost): $(cat "$LAB_TMP/d2.log"; lab_exec d2 nft list ruleset)"
  asked=$((asked + 1))
  if [ "$(lab_exec cl curl -sf --max-time 1 "http://$VIP:10020/" || echo failed)" = failed ]; then
    lost=$((lost + 1)); served=0
  elif d2_master; then
    served=$((served + 1))
  fi
done
elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
lab_log "kill -9 of the master: d2 MASTER and serving after ${elapsed} s; requests lost: $lost of $asked"
echo "requests lost during the DR failover: $lost of $asked (${elapsed} s)"
lab_exec d2 nft list chain netdev lvsctl ingress_eth0 >/dev/null || lab_fail "d2 has no ingress chain"
for port in $PORTS; do
  lab_wait 30 '[ "$(seen '"$port"' 8)" = "r1 r2 " ]' || lab_fail "after failover, port $port: '$(seen "$port" 8)'"
done
lab_wait 20 '[ "$(ask 10040)" = r1 ]' || lab_fail "after failover, VIP:10040 not served: $(status_text d2)"
pk=$(json_get d2 'sum(d["in_packets"] for v in s["datapath"]["services"] for d in v["destinations"])')
[ "$pk" -gt 0 ] || lab_fail "d2 forwarded nothing after the failover: $(status_text d2)"
lab_log "after failover: all three ports answered by both real servers, d2 forwarded $pk packets"

kill -TERM "$d2"
lab_wait 15 "! kill -0 $d2" || lab_fail "d2 did not stop"
lab_exec d2 nft list table netdev lvsctl >/dev/null 2>&1 && lab_fail "table netdev lvsctl left after SIGTERM"
for rs in r1 r2; do lab_exec "$rs" "$LVSCTL" realserver stop --state-dir "$LAB_TMP/state-$rs" >/dev/null; done
lab_log "PASS"
