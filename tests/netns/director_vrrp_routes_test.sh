#!/usr/bin/env bash
# static_ipaddress / static_routes / static_rules and a vrrp_instance's
# virtual_ipaddress_excluded / virtual_routes / virtual_rules on the real kernel, compared with
# keepalived 2.2.7 running the same file in the same namespace: the same addresses, routes and
# rules (ip addr / ip route / ip rule) while MASTER, after a higher-priority peer took over
# (BACKUP: the virtual ones gone, the static ones kept) and after stop (everything removed, as
# keepalived does).
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 keepalived

dir_lab
# A second link for routes through another interface.
lab_link d1 eth1 198.51.100.104/24
ip -n "${LAB}-d1" addr add 2001:db8::104/64 dev eth0 nodad

conf="$LAB_TMP/routes.conf"
cat >"$conf" <<'CONF'
global_defs {
   router_id ROUTES
}
static_ipaddress {
    192.0.2.16/32 dev eth1
    192.0.2.17/28 dev eth0 label eth0:st
}
static_routes {
    192.0.2.64/27 via 203.0.113.1 dev eth0
    192.0.2.96/28 dev eth1 scope link
    blackhole 192.0.2.200/32
    192.0.2.128/26 via 198.51.100.1 table 50 metric 20
    2001:db8:5::/48 via 2001:db8::1 dev eth0
}
static_rules {
    from 192.0.2.0/26 table 50 priority 100
    to 198.51.100.128/25 table 50
    from 2001:db8:7::/48 lookup 50 preference 110
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress {
        203.0.113.100/24
    }
    virtual_ipaddress_excluded {
        198.51.100.200/24 dev eth1
        2001:db8::200/64
    }
    virtual_routes {
        src 203.0.113.100 192.0.2.32/28 via 203.0.113.1 dev eth0
        192.0.2.48/28 via 198.51.100.1
        unreachable 192.0.2.201/32
        default via 203.0.113.1 table 60 metric 5
        2001:db8:6::/48 via 2001:db8::1 dev eth0 table 60
    }
    virtual_rules {
        from 203.0.113.100 table 60 priority 200
        to 192.0.2.240/28 fwmark 7 table 60 preference 210
        iif eth1 table 60 priority 220
    }
}
CONF

# The peer that takes over: same VRID, higher priority, no routes of its own.
dir_conf "$LAB_TMP/peer.conf" 250 BACKUP
sed -i 's/virtual_router_id 100/virtual_router_id 51/; /authentication {/,/}/d' "$LAB_TMP/peer.conf"

# The kernel state of d1 that the file governs, one canonical line per entry.
snapshot() {
  local ns="${LAB}-d1"
  {
    ip -n "$ns" -o addr show | awk '$4 !~ /^fe80/ {print $2, $3, $4, $5, $6, $7, $NF}' |
      sed 's/ valid_lft.*//; s/ preferred_lft.*//'
    ip -n "$ns" -4 route show table all | grep -vE '^(local|broadcast|multicast) '
    ip -n "$ns" -6 route show table all | grep -vE '^(local|multicast|anycast) |^fe80|^ff00'
    ip -n "$ns" -4 rule show
    ip -n "$ns" -6 rule show
  } | sed 's/ *$//' | sort
}

has_route_60() { ip -n "${LAB}-d1" -4 route show table 60 2>/dev/null | grep -q default; }

run() {  # run IMPL: snapshots while MASTER, after the peer took over, after stop -> $LAB_TMP/IMPL.*
  local impl=$1 pid peer
  lab_log "--- $impl"
  dir_start "$impl" d1 "$conf"; pid=$LAB_LAST_PID
  lab_wait 30 "has_route_60 && dir_vip_on d1" || lab_fail "$impl: not MASTER with its routes ($(tail -5 "$LAB_TMP/d1.log"))"
  # The last of the virtual rules is in as well (rules follow routes).
  lab_wait 10 "ip -n ${LAB}-d1 rule show | grep -q '^220:'" || lab_fail "$impl: rules missing"
  snapshot >"$LAB_TMP/$impl.master"
  dir_lvsctl d2 "$LAB_TMP/peer.conf"; peer=$LAB_LAST_PID
  lab_wait 30 "dir_vip_on d2 && ! dir_vip_on d1 && ! has_route_60" ||
    lab_fail "$impl: the peer did not take over ($(tail -5 "$LAB_TMP/d1.log"))"
  lab_wait 10 "! ip -n ${LAB}-d1 rule show | grep -q '^220:'" || lab_fail "$impl: virtual rules stayed"
  snapshot >"$LAB_TMP/$impl.backup"
  kill -TERM "$pid"
  lab_wait 15 "! kill -0 $pid 2>/dev/null" || lab_fail "$impl did not stop"
  snapshot >"$LAB_TMP/$impl.stopped"
  kill -TERM "$peer"
  lab_wait 15 "! kill -0 $peer 2>/dev/null" || lab_fail "peer did not stop"
}

run keepalived
run lvsctl

for phase in master backup stopped; do
  if ! diff -u "$LAB_TMP/keepalived.$phase" "$LAB_TMP/lvsctl.$phase"; then
    lab_fail "kernel state differs from keepalived's when $phase (- keepalived, + lvsctl)"
  fi
done

# The comparison covers something: the phases differ as the features say.
grep -q '^default via 203.0.113.1 dev eth0 table 60 proto keepalived metric 5' "$LAB_TMP/lvsctl.master" ||
  lab_fail "virtual default route missing while MASTER: $(cat "$LAB_TMP/lvsctl.master")"
grep -q '^192.0.2.64/27 via 203.0.113.1 dev eth0 proto keepalived' "$LAB_TMP/lvsctl.backup" ||
  lab_fail "static route missing while BACKUP"
grep -q '198.51.100.200/24' "$LAB_TMP/lvsctl.master" || lab_fail "excluded VIP missing while MASTER"
if grep -q '198.51.100.200/24\|table 60\|^200:' "$LAB_TMP/lvsctl.backup"; then
  lab_fail "virtual addresses, routes or rules left while BACKUP: $(cat "$LAB_TMP/lvsctl.backup")"
fi
if grep -q 'proto keepalived\|192.0.2.16' "$LAB_TMP/lvsctl.stopped"; then
  lab_fail "static entries left after stop: $(cat "$LAB_TMP/lvsctl.stopped")"
fi
lab_log "PASS: same addresses, routes and rules as keepalived 2.2.7 when MASTER, BACKUP and stopped"
