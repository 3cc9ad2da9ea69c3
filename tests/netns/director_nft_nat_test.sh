#!/usr/bin/env bash
# The nftables datapath, NAT, on the host kernel (no IPVS): `lvsctl director run` with
# lb_backend nftables holds the VIP by VRRP and load-balances 203.0.113.100:10010 (rr) over two
# real servers on 198.51.100.0/24 whose default route is the director.
#   - the client gets answers from both real servers through the VIP;
#   - `table ip lvsctl` is in the director's namespace, another table there is left alone;
#   - a real server whose service stops leaves the selection within delay_loop + retry (the
#     client sees only the other), and comes back when it restarts; each health change is one
#     transaction that edits map elements only (the rules and their handles do not change);
#   - SIGTERM removes our table (and only ours).
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 curl nft

lab_ns d1; lab_ns cl; lab_ns r1; lab_ns r2
lab_link d1 eth0 203.0.113.104/24
lab_link cl eth0 203.0.113.10/24
# The real servers' side: a second switch in the hub namespace.
ip -n "$LAB_HUB" link add br1 type bridge
ip -n "$LAB_HUB" link set br1 up
backend_link() {  # backend_link NS ADDR/LEN
  local peer="q$1$RANDOM"; peer=${peer:0:15}
  ip link add "$peer" netns "$LAB_HUB" type veth peer name eth1 netns "${LAB}-$1"
  ip -n "$LAB_HUB" link set "$peer" master br1 up
  ip -n "${LAB}-$1" link set eth1 up
  ip -n "${LAB}-$1" addr add "$2" dev eth1
}
backend_link d1 198.51.100.1/24
backend_link r1 198.51.100.11/24
backend_link r2 198.51.100.12/24
ip -n "${LAB}-r1" route add default via 198.51.100.1
ip -n "${LAB}-r2" route add default via 198.51.100.1
lab_exec d1 sysctl -qw net.ipv4.ip_forward=1

# Each real server answers with its own name.
serve() {  # serve NS: python3 http.server on :10010 in a directory whose index says NS
  mkdir -p "$LAB_TMP/www-$1"
  echo "$1" >"$LAB_TMP/www-$1/index.html"
  lab_spawn "$1" python3 -m http.server 10010 --bind 0.0.0.0 --directory "$LAB_TMP/www-$1" \
    >>"$LAB_TMP/http-$1.log" 2>&1
  lab_wait 10 "lab_exec $1 ss -Htln 'sport = :10010' | grep -q LISTEN" || lab_fail "no server in $1"
}
serve r1; r1=$LAB_LAST_PID
serve r2; r2=$LAB_LAST_PID

# A table that is not ours: it must survive everything below.
lab_exec d1 nft -f - <<'NFT'
table inet bystander {
	chain input {
		type filter hook input priority 0; policy accept;
		counter
	}
}
NFT

cat >"$LAB_TMP/nat.conf" <<'CONF'
global_defs {
    router_id NFT_NAT
    lb_backend nftables
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 100
    priority 100
    advert_int 1
    virtual_ipaddress {
        203.0.113.100
    }
}
virtual_server 203.0.113.100 10010 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 198.51.100.11 10010 {
        weight 1
        TCP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
    real_server 198.51.100.12 10010 {
        weight 1
        TCP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
}
CONF
dir_lvsctl d1 "$LAB_TMP/nat.conf"; daemon=$LAB_LAST_PID
log="$LAB_TMP/d1.log"

lab_wait 20 "dir_vip_on d1" || lab_fail "the VIP never came to d1: $(cat "$log")"
lab_wait 10 "lab_exec d1 nft list table ip lvsctl" || lab_fail "no table ip lvsctl: $(cat "$log")"
grep -q "Datapath: nftables (lb_backend nftables)" "$log" || lab_fail "backend choice not logged"

# A failed request shows as "failed", so "r1 " means every request was answered by r1.
ask() { lab_exec cl curl -sf --max-time 3 http://203.0.113.100:10010/ || echo failed; }
# The names seen in N requests, sorted and unique.
seen() { local i; for i in $(seq "$1"); do ask; done | sort -u | tr '\n' ' '; }

lab_wait 30 '[ "$(seen 6)" = "r1 r2 " ]' || lab_fail "not both real servers: '$(seen 6)'; $(lab_exec d1 nft list ruleset)"
lab_log "through the VIP: $(seen 6)"

rules() {  # the table's rules with their handles (map elements left out)
  lab_exec d1 nft -a list table ip lvsctl | grep -E '# handle' | grep -v '^\s*(map|elements)'
}
rules_before=$(rules)
transactions() { grep -c "in 1 transaction" "$log" || true; }
tx_before=$(transactions)

# r2's service stops: within delay_loop + retry it takes no new flows.
kill -TERM "$r2"; wait "$r2" 2>/dev/null || true
lab_wait 20 '[ "$(seen 6)" = "r1 " ]' || lab_fail "r2 still chosen after it stopped: $(seen 6)"
lab_log "r2 stopped: $(seen 6)"
lab_wait 10 '[ "$(transactions)" -gt "$tx_before" ]' || lab_fail "no transaction for the health change"
line=$(grep "in 1 transaction" "$log" | tail -1)
[[ "$line" == *"0 chains added, 0 removed, 2 elements changed in 1 transaction"* ]] \
  || lab_fail "the health change was not a map-element edit: $line"
[ "$(rules)" = "$rules_before" ] || lab_fail "the rules changed on a health change: $(rules)"
backends=$(lab_exec d1 nft list map ip lvsctl backends)  # whole: nft writes in small pieces
grep -q 198.51.100.12 <<<"$backends" && lab_fail "r2 still in the backends map: $backends"

# Back: both again.
serve r2
lab_wait 20 '[ "$(seen 6)" = "r1 r2 " ]' || lab_fail "r2 did not come back: $(seen 6)"
lab_log "r2 restarted: $(seen 6)"
[ "$(rules)" = "$rules_before" ] || lab_fail "the rules changed when r2 came back"

# Stop: our table goes, the other stays.
kill -TERM "$daemon"
lab_wait 15 "! kill -0 $daemon" || lab_fail "the daemon did not stop"
lab_exec d1 nft list table ip lvsctl >/dev/null 2>&1 && lab_fail "table ip lvsctl left after SIGTERM"
lab_exec d1 nft list table inet bystander >/dev/null || lab_fail "the bystander table was removed"
grep -q "table ip lvsctl removed" "$log" || lab_fail "no removal logged"
grep -E "Datapath|nftables" "$log" >&2
lab_log "PASS"
