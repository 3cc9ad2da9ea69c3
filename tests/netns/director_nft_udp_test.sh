#!/usr/bin/env bash
# The nftables datapath, NAT, UDP, on the host kernel (no IPVS): `lvsctl director run` with
# lb_backend nftables balances UDP 203.0.113.100:10053 (rr) over two real servers running a
# socat UDP echo that answers with its name. Each client datagram from a new source port is a
# new conntrack flow: the client gets answers from both real servers; `director status` counts
# them per real server. UDP 10054 has persistence_timeout 30: one client's datagrams all reach
# one real server (the persist map holds its entry). SIGTERM removes the table. lvs_timeouts
# (IPVS's) is not applied by nftables: a warning says so.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require socat nft python3

lab_ns d1; lab_ns cl; lab_ns r1; lab_ns r2
lab_link d1 eth0 203.0.113.2/24
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
backend_link d1 198.51.100.1/24
backend_link r1 198.51.100.11/24
backend_link r2 198.51.100.12/24
ip -n "${LAB}-r1" route add default via 198.51.100.1
ip -n "${LAB}-r2" route add default via 198.51.100.1
lab_exec d1 sysctl -qw net.ipv4.ip_forward=1
for rs in r1 r2; do
  for port in 10053 10054; do
    lab_spawn "$rs" socat UDP4-RECVFROM:$port,fork "SYSTEM:echo $rs"
    lab_wait 10 "[ -n \"\$(lab_exec $rs ss -Hlun 'sport = :$port')\" ]" || lab_fail "no UDP echo in $rs:$port"
  done
done

cat >"$LAB_TMP/udp.conf" <<'CONF'
global_defs {
    router_id NFT_UDP
    lb_backend nftables
    lvs_timeouts udp 45
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
virtual_server 203.0.113.100 10053 {
    delay_loop 1
    lvs_sched rr
    lvs_method NAT
    protocol UDP
    real_server 198.51.100.11 10053 {
    }
    real_server 198.51.100.12 10053 {
    }
}
virtual_server 203.0.113.100 10054 {
    delay_loop 1
    lvs_sched rr
    lvs_method NAT
    protocol UDP
    persistence_timeout 30
    real_server 198.51.100.11 10054 {
    }
    real_server 198.51.100.12 10054 {
    }
}
CONF
dir_lvsctl d1 "$LAB_TMP/udp.conf"; daemon=$LAB_LAST_PID
VIP=203.0.113.100
lab_wait 20 "dir_vip_on d1" || lab_fail "the VIP never came to d1: $(cat "$LAB_TMP/d1.log")"
lab_wait 10 "lab_exec d1 nft list map ip lvsctl services 2>/dev/null | grep -q 'udp . 10053'" \
  || lab_fail "no UDP service: $(lab_exec d1 nft list ruleset; cat "$LAB_TMP/d1.log")"

ask() { echo hello | lab_exec cl socat -T 2 - UDP4:$VIP:${2:-10053} 2>/dev/null || echo failed; }
seen() { local i; for i in $(seq "$1"); do ask x "${2:-10053}"; done | sort -u | tr '\n' ' '; }
lab_wait 30 '[ "$(seen 6)" = "r1 r2 " ]' || lab_fail "not both real servers over UDP: '$(seen 6)'"
lab_log "UDP through the VIP: $(seen 6)"
grep -q "lvs_timeouts: IPVS timeouts do not apply to the nftables datapath" "$LAB_TMP/d1.log" \
  || lab_fail "no lvs_timeouts warning with nftables: $(cat "$LAB_TMP/d1.log")"
# Persistence: one client, one real server, across many flows.
lab_wait 10 '[ "$(seen 1 10054)" != "failed " ]' || lab_fail "no answer on the persistent service"
sticky=$(seen 10 10054)
[ "$sticky" = "r1 " ] || [ "$sticky" = "r2 " ] || lab_fail "persistence_timeout: answers from '$sticky'"
grep -q "203.0.113.10" <<<"$(lab_exec d1 nft list map ip lvsctl persist)" \
  || lab_fail "the client is not in the persist map: $(lab_exec d1 nft list map ip lvsctl persist)"
lab_log "persistent UDP service: 10 flows all answered by $sticky"
conns=$(dir_status d1 | python3 -c 'import json,sys; s=json.load(sys.stdin); print(" ".join(str(d["connections"]) for d in s["datapath"]["services"][0]["destinations"]))')
read -r c1 c2 <<<"$conns"
[ "$c1" -gt 0 ] && [ "$c2" -gt 0 ] || lab_fail "UDP flows not counted per real server: $conns"
lab_log "UDP flows counted per real server: $conns"

kill -TERM "$daemon"
lab_wait 15 "! kill -0 $daemon" || lab_fail "the daemon did not stop"
lab_exec d1 nft list table ip lvsctl >/dev/null 2>&1 && lab_fail "table ip lvsctl left after SIGTERM"
lab_log "PASS"
