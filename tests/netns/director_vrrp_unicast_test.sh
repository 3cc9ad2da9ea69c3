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

run_pair() {  # run_pair MASTER_IMPL BACKUP_IMPL
  lab_log "--- unicast: $1 master (d1) + $2 backup (d2)"
  dir_pair_round "$1" "$2" "$VIP/32" 4
}

run_pair lvsctl lvsctl
run_pair lvsctl keepalived
run_pair keepalived lvsctl
lab_log "PASS"
