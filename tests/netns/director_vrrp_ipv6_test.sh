#!/usr/bin/env bash
# VRRPv3 over IPv6: VIP 2001:db8::100 floats between directors using ff02::12 from link-local
# sources (hop limit 255, kernel checksum). Pairs: lvsctl+lvsctl, lvsctl master + keepalived
# backup, keepalived master + lvsctl backup: VIP on the master only (peer adverts accepted),
# kill -9 moves it to the backup, restarting the master takes it back (preempt).
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 keepalived

VIP6=2001:db8::100
dir_lab
for ns in d1 d2 cl; do
  lab_exec "$ns" sysctl -qw net.ipv6.conf.eth0.accept_dad=0
  lab_exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0
done
for ns in d1 d2; do
  lab_wait 10 "lab_exec $ns ip -6 addr show dev eth0 scope link | grep -q fe80 && ! lab_exec $ns ip -6 addr show dev eth0 | grep -q tentative" \
    || lab_fail "no usable link-local address in $ns"
done

conf6() {  # conf6 FILE PRIO STATE
  cat >"$1" <<CONF
global_defs {
   router_id LVS_TEST
   vrrp_version 3
}
vrrp_instance VI_6 {
    state $3
    interface eth0
    virtual_router_id 60
    priority $2
    advert_int 1
    virtual_ipaddress {
        $VIP6/64
    }
}
CONF
}
conf6 "$LAB_TMP/m.conf" 100 MASTER
conf6 "$LAB_TMP/b.conf" 50 BACKUP
vip6_on() { lab_has_addr "$1" eth0 "$VIP6"; }

start_impl() {  # start_impl IMPL NS CONF -> sets started_pid
  if [ "$1" = lvsctl ]; then dir_lvsctl "$2" "$3"; else lab_keepalived "$2" "$3" >>"$LAB_TMP/$2.log" 2>&1; fi
  started_pid=$LAB_LAST_PID
}

run_pair() {  # run_pair MASTER_IMPL BACKUP_IMPL
  local m_impl=$1 b_impl=$2
  lab_log "--- IPv6 v3: $m_impl master (d1) + $b_impl backup (d2)"
  start_impl "$m_impl" d1 "$LAB_TMP/m.conf"; local m=$started_pid
  start_impl "$b_impl" d2 "$LAB_TMP/b.conf"; local b=$started_pid
  lab_wait 10 "vip6_on d1" || lab_fail "IPv6 VIP not on the $m_impl master"
  sleep 4
  vip6_on d2 && lab_fail "$b_impl backup also holds the VIP: it does not accept $m_impl's IPv6 adverts"
  if [ "$b_impl" = lvsctl ]; then
    dir_status d2 | python3 -c 'import json,sys; s=json.load(sys.stdin)["vrrp_instances"][0]; assert s["state"]=="BACKUP" and s["adverts_received"]>0 and s["adverts_rejected"]==0 and s["master_address"].startswith("fe80"), s' \
      || lab_fail "lvsctl backup did not accept $m_impl's IPv6 adverts: $(dir_status d2)"
  fi
  kill -KILL "$m"
  lab_wait 10 "vip6_on d2" || lab_fail "$b_impl backup did not take over from $m_impl"
  ip -n "${LAB}-d1" addr del "$VIP6/64" dev eth0 2>/dev/null || true
  start_impl "$m_impl" d1 "$LAB_TMP/m.conf"; m=$started_pid
  lab_wait 10 "vip6_on d1 && ! vip6_on d2" || lab_fail "$m_impl did not preempt $b_impl"
  kill -TERM "$m" "$b"
  lab_wait 10 "! kill -0 $m 2>/dev/null && ! kill -0 $b 2>/dev/null" || true
  kill -KILL "$m" "$b" 2>/dev/null || true
  ip -n "${LAB}-d1" addr del "$VIP6/64" dev eth0 2>/dev/null || true
  ip -n "${LAB}-d2" addr del "$VIP6/64" dev eth0 2>/dev/null || true
  sleep 0.5
}

run_pair lvsctl lvsctl
run_pair lvsctl keepalived
run_pair keepalived lvsctl
lab_log "PASS"
