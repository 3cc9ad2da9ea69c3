#!/usr/bin/env bash
# VRRPv3 over IPv6: VIP 2001:db8::100 floats between directors using ff02::12 from link-local
# sources (hop limit 255, kernel checksum). Pairs: lvsctl+lvsctl, lvsctl master + keepalived
# backup, keepalived master + lvsctl backup: VIP on the master only (peer adverts accepted),
# kill -9 moves it to the backup, restarting the master takes it back (preempt). VIPs skip
# duplicate address detection (IFA_F_NODAD, as keepalived's): usable the moment they appear.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 keepalived

VIP6=2001:db8::100
dir_lab
# Duplicate address detection stays on (the kernel's default), so a VIP added without
# IFA_F_NODAD would sit "tentative" (unusable) for about a second.
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
# vip6_usable NS WHO: the VIP, just seen on NS, is not tentative and a socket binds to it at once
# (binding to a tentative address fails with EADDRNOTAVAIL).
vip6_usable() {
  local line
  line=$(ip -n "${LAB}-$1" -6 -o addr show dev eth0 | grep -F "$VIP6/") || lab_fail "$2: VIP gone from $1"
  case $line in *tentative*) lab_fail "$2 added the IPv6 VIP with duplicate address detection: $line" ;; esac
  lab_exec "$1" python3 -c "import socket,sys; s=socket.socket(socket.AF_INET6); s.bind(('$VIP6', 0))" \
    || lab_fail "$2: the IPv6 VIP on $1 is not usable at once"
}

DIR_ON_VIP=vip6_usable
run_pair() {  # run_pair MASTER_IMPL BACKUP_IMPL
  lab_log "--- IPv6 v3: $1 master (d1) + $2 backup (d2)"
  dir_pair_round "$1" "$2" "$VIP6/64" 4 's["master_address"].startswith("fe80")'
}

run_pair lvsctl lvsctl
run_pair lvsctl keepalived
run_pair keepalived lvsctl
lab_log "PASS"
