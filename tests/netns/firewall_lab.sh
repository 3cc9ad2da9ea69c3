# Shared by tests/netns/firewall_*_test.sh: the firewall split-brain lab.
# Two directors on one bridge run keepalived 2.2.7 (VRID 100, priorities 100/50, advert_int 1,
# auth PASS 12345, VIP 203.0.113.100). The backup gets a drop-policy input chain (lo + icmp
# only) -> it becomes MASTER too; `lvsctl firewall allow-vrrp` must return it to BACKUP.
# Every firewall command runs inside the lab's namespaces (never the root namespace).
. "$(dirname "$0")/../lib/netns.sh"

VIP=203.0.113.100

fw_lab_require() {
  lab_require_root
  lab_require keepalived nft "$@"
  [ -x "$LVSCTL" ] || command -v "$LVSCTL" >/dev/null || lab_skip "lvsctl binary not found ($LVSCTL)"
}

fw_has_vip() {  # fw_has_vip NS: the VIP is on eth0 of NS. (Reads the whole list first: with
  # pipefail, `ip | grep -q` can fail when grep exits before ip has written everything.)
  local addrs
  addrs=$(ip -n "${LAB}-$1" -o -4 addr show dev eth0 2>/dev/null) || return 1
  [[ "$addrs" == *" inet $VIP/"* ]]
}

fw_keepalived_conf() {  # fw_keepalived_conf NAME PRIORITY
  cat > "$LAB_TMP/$1.conf" <<CONF
global_defs {
  router_id $1
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 100
  priority $2
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass 12345
  }
  virtual_ipaddress {
    $VIP/24 dev eth0
  }
}
CONF
  echo "$LAB_TMP/$1.conf"
}

# Two directors with keepalived; returns once d1 is MASTER (holds the VIP) and d2 is not.
fw_lab_start() {
  lab_ns d1
  lab_ns d2
  lab_link d1 eth0 203.0.113.1/24
  lab_link d2 eth0 203.0.113.2/24
  lab_keepalived d1 "$(fw_keepalived_conf d1 100)" >"$LAB_TMP/keepalived-d1.log" 2>&1
  lab_keepalived d2 "$(fw_keepalived_conf d2 50)" >"$LAB_TMP/keepalived-d2.log" 2>&1
  lab_wait 20 "fw_has_vip d1" || lab_fail "d1 never became MASTER"
  sleep 2
  fw_has_vip d2 && lab_fail "d2 holds the VIP before any firewall (lab broken)"
  lab_log "d1 MASTER, d2 BACKUP"
}

fw_fail() {  # like lab_fail, with the tail of both keepalived logs
  local d
  for d in d1 d2; do
    lab_log "keepalived $d:"
    tail -n 15 "$LAB_TMP/keepalived-$d.log" >&2 || true
  done
  lab_fail "$@"
}

fw_expect_split_brain() {
  lab_wait 20 "fw_has_vip d2" || fw_fail "d2 did not become MASTER behind its drop firewall"
  fw_has_vip d1 || fw_fail "d1 lost the VIP"
  lab_log "split brain: VIP on d1 and d2"
}

fw_expect_healed() {
  lab_wait 20 "! fw_has_vip d2" || fw_fail "d2 still holds the VIP after allow-vrrp"
  fw_has_vip d1 || fw_fail "d1 lost the VIP"
  lab_log "healed: VIP only on d1, d2 BACKUP"
}

fw() {  # fw NS ARGS...: lvsctl firewall inside NS
  local ns=$1; shift
  lab_exec "$ns" "$LVSCTL" firewall "$@"
}

expect_eq() {  # expect_eq WHAT EXPECTED ACTUAL
  [ "$2" = "$3" ] || lab_fail "$1: expected '$2', got '$3'"
}

expect_contains() {  # expect_contains WHAT NEEDLE HAYSTACK
  case "$3" in *"$2"*) ;; *) lab_fail "$1: '$2' not in: $3" ;; esac
}
