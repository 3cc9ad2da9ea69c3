#!/usr/bin/env bash
# unicast_src_ip / unicast_peer: multicast to 224.0.0.18 is dropped by nftables in both director
# namespaces, so adverts can only travel unicast. Pairs: lvsctl+lvsctl, lvsctl master +
# keepalived backup, keepalived master + lvsctl backup: the VIP sits on the master only, kill -9
# moves it to the backup, restarting the master takes it back (preempt).
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 nft keepalived

dir_lab
for ns in d1 d2; do
  lab_exec "$ns" nft -f - <<'NFT'
table ip nomcast {
  chain out { type filter hook output priority 0; ip daddr 224.0.0.18 counter drop; }
  chain in { type filter hook input priority 0; ip daddr 224.0.0.18 counter drop; }
}
NFT
done

unicast_conf() {  # unicast_conf FILE PRIO STATE SRC PEER
  dir_conf "$1" "$2" "$3"
  sed -i "s|^    virtual_ipaddress {|    unicast_src_ip $4\n    unicast_peer {\n        $5\n    }\n    virtual_ipaddress {|" "$1"
}
unicast_conf "$LAB_TMP/m.conf" 100 MASTER 203.0.113.104 203.0.113.105
unicast_conf "$LAB_TMP/b.conf" 50 BACKUP 203.0.113.105 203.0.113.104

start_impl() {  # start_impl IMPL NS CONF -> sets started_pid
  if [ "$1" = lvsctl ]; then dir_lvsctl "$2" "$3"; else lab_keepalived "$2" "$3" >>"$LAB_TMP/$2.log" 2>&1; fi
  started_pid=$LAB_LAST_PID
}

run_pair() {  # run_pair MASTER_IMPL BACKUP_IMPL
  local m_impl=$1 b_impl=$2
  lab_log "--- unicast: $m_impl master (d1) + $b_impl backup (d2)"
  start_impl "$m_impl" d1 "$LAB_TMP/m.conf"; local m=$started_pid
  start_impl "$b_impl" d2 "$LAB_TMP/b.conf"; local b=$started_pid
  lab_wait 10 "dir_vip_on d1" || lab_fail "VIP not on the $m_impl master"
  sleep 4
  dir_vip_on d2 && lab_fail "$b_impl backup also holds the VIP: unicast adverts not received"
  if [ "$b_impl" = lvsctl ]; then
    dir_status d2 | python3 -c 'import json,sys; s=json.load(sys.stdin)["vrrp_instances"][0]; assert s["state"]=="BACKUP" and s["adverts_received"]>0 and s["adverts_rejected"]==0, s' \
      || lab_fail "lvsctl backup did not accept $m_impl's unicast adverts: $(dir_status d2)"
  fi
  kill -KILL "$m"
  lab_wait 10 "dir_vip_on d2" || lab_fail "$b_impl backup did not take over from $m_impl"
  ip -n "${LAB}-d1" addr del "$VIP/32" dev eth0 2>/dev/null || true
  start_impl "$m_impl" d1 "$LAB_TMP/m.conf"; m=$started_pid
  lab_wait 10 "dir_vip_on d1 && ! dir_vip_on d2" || lab_fail "$m_impl did not preempt $b_impl"
  kill -TERM "$m" "$b"
  lab_wait 10 "! kill -0 $m 2>/dev/null && ! kill -0 $b 2>/dev/null" || true
  kill -KILL "$m" "$b" 2>/dev/null || true
  ip -n "${LAB}-d1" addr del "$VIP/32" dev eth0 2>/dev/null || true
  ip -n "${LAB}-d2" addr del "$VIP/32" dev eth0 2>/dev/null || true
  sleep 0.5
}

run_pair lvsctl lvsctl
run_pair lvsctl keepalived
run_pair keepalived lvsctl
lab_log "PASS"
