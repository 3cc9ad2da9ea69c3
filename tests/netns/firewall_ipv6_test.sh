#!/usr/bin/env bash
# `lvsctl firewall ... --ipv6` against a VRRPv3 IPv6 pair of lvsctl directors (VIP 2001:db8::100
# floated with adverts to ff02::12). The backup's firewall drops IPv6 input (link-local ND and
# lo accepted): both directors are MASTER (split brain). Then, for nftables and, where the tools
# exist, ip6tables-legacy and ip6tables-nft:
#  - status --ipv6 exits 3 (dropped by policy); status without --ipv6 (IPv4 only) exits 0;
#  - allow-vrrp without --ipv6 leaves the IPv6 rules as they are;
#  - allow-vrrp --ipv6: exactly one rule tagged lvsctl:vrrp, in the IPv6 input chain, first (or
#    before the first drop); one MASTER again; status --ipv6 exits 0 naming our rule; a second
#    allow-vrrp --ipv6 changes nothing;
#  - revoke-vrrp: the ruleset is exactly as before; status --ipv6 exits 3; split brain again.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 nft

VIP6=2001:db8::100
dir_lab
for ns in d1 d2; do
  lab_wait 30 "lab_exec $ns ip -6 addr show dev eth0 scope link | grep -q fe80 && ! lab_exec $ns ip -6 addr show dev eth0 | grep -q tentative" \
    || lab_fail "no usable link-local address in $ns"
done
conf6() {  # conf6 FILE PRIO STATE
  cat >"$1" <<CONF
global_defs {
   router_id LVS_FW6
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
dir_lvsctl d1 "$LAB_TMP/m.conf"
lab_wait 60 "lab_has_addr d1 eth0 $VIP6" || lab_fail "the IPv6 VIP never came up on d1"
dir_lvsctl d2 "$LAB_TMP/b.conf"
lab_wait 60 "dir_backup_accepts d2" || lab_fail "d2 did not settle as BACKUP before any firewall"

fw() { lab_exec d2 "$LVSCTL" firewall "$@"; }
expect_rc() {  # expect_rc CODE WHAT ARGS...: lvsctl firewall ARGS in d2; output in $LAB_TMP/out
  local want=$1 what=$2 rc=0; shift 2
  fw "$@" >"$LAB_TMP/out" 2>&1 || rc=$?
  [ "$rc" = "$want" ] || { cat "$LAB_TMP/out" >&2; lab_fail "$what: firewall $*: exit $rc, expected $want"; }
}
contains() {  # contains WHAT NEEDLE: in $LAB_TMP/out
  grep -qF -- "$2" "$LAB_TMP/out" || { cat "$LAB_TMP/out" >&2; lab_fail "$1: '$2' not in the output"; }
}
split_brain() {
  lab_wait 60 "lab_has_addr d2 eth0 $VIP6" || lab_fail "$1: d2 did not become MASTER behind its firewall"
  lab_wait 60 '[ "$(dir_state d2)" = MASTER ]' || lab_fail "$1: d2 status: $(dir_status d2)"
  lab_has_addr d1 eth0 "$VIP6" && [ "$(dir_state d1)" = MASTER ] || lab_fail "$1: d1 lost MASTER"
  lab_log "$1: split brain (both MASTER)"
}
one_master() {
  lab_wait 60 "! lab_has_addr d2 eth0 $VIP6" || lab_fail "$1: d2 still holds the VIP"
  lab_wait 60 "dir_backup_accepts d2" || lab_fail "$1: d2 is not a BACKUP hearing d1"
  lab_has_addr d1 eth0 "$VIP6" && [ "$(dir_state d1)" = MASTER ] || lab_fail "$1: d1 lost MASTER"
  lab_log "$1: one MASTER (d1), d2 BACKUP"
}

# run_backend NAME RULES_CMD: the firewall was just set up on d2 (RULES_CMD prints its rules);
# the whole allow/status/revoke round.
run_backend() {
  local name=$1 rules=$2 before after
  before=$($rules)
  split_brain "$name drop policy"
  expect_rc 3 "$name, IPv6 dropped" status --ipv6
  contains "$name status --ipv6" "dropped"
  expect_rc 0 "$name, IPv4 only (not filtered)" status
  fw allow-vrrp >"$LAB_TMP/out" 2>&1 || true
  [ "$($rules)" = "$before" ] || lab_fail "$name: allow-vrrp without --ipv6 changed the IPv6 rules"

  expect_rc 0 "$name allow --ipv6" allow-vrrp --ipv6
  after=$($rules)
  [ "$(grep -c 'lvsctl:vrrp' <<<"$after")" -eq 1 ] || lab_fail "$name: not exactly one rule of ours: $after"
  one_master "$name allow-vrrp --ipv6"
  expect_rc 0 "$name, IPv6 accepted" status --ipv6
  contains "$name status --ipv6" "accepted"
  expect_rc 0 "$name, IPv6 accepted (json)" status --ipv6 --json
  contains "$name status --ipv6 --json" '"ours": true'
  expect_rc 0 "$name, second allow --ipv6" allow-vrrp --ipv6
  contains "$name, second allow" "keep"
  [ "$($rules)" = "$after" ] || lab_fail "$name: a second allow-vrrp --ipv6 changed the rules"

  expect_rc 0 "$name revoke" revoke-vrrp
  [ "$($rules)" = "$before" ] || { diff <(echo "$before") <(echo "$($rules)") >&2 || true; lab_fail "$name: revoke-vrrp did not restore the rules exactly"; }
  expect_rc 3 "$name, after revoke" status --ipv6
  split_brain "$name after revoke-vrrp"
}

# --- nftables: an ip6 table with a drop policy, and tables of others that must survive ----------
lab_exec d2 nft -f - <<'NFT'
table ip6 filter6 {
  chain input {
    type filter hook input priority 0; policy drop;
    iifname "lo" accept
    meta l4proto ipv6-icmp accept
    tcp dport 22 accept comment "ssh"
  }
}
table ip audit {
  chain in { type filter hook input priority 10; policy accept; counter; }
}
NFT
nft_rules() { lab_exec d2 nft -s list ruleset; }
run_backend nftables nft_rules
# Where our rule went: the first rule of the IPv6 input chain.
lab_exec d2 "$LVSCTL" firewall allow-vrrp --ipv6 >/dev/null
first=$(lab_exec d2 nft list chain ip6 filter6 input | grep -v -e type -e '{' -e '}' | head -1)
grep -q 'vrrp accept comment "lvsctl:vrrp"' <<<"$first" || lab_fail "nftables: our rule is not first: $first"
lab_exec d2 "$LVSCTL" firewall revoke-vrrp >/dev/null
lab_exec d2 nft flush ruleset
one_master "nftables removed"

# --- ip6tables (legacy, nft): INPUT policy DROP after lo and ICMPv6 -----------------------------
for variant in legacy nft; do
  if ! command -v "ip6tables-$variant" >/dev/null || ! command -v "ip6tables-$variant-save" >/dev/null; then
    lab_log "ip6tables-$variant not installed: not tested"
    continue
  fi
  ipt() { lab_exec d2 "ip6tables-$variant" -w "$@"; }
  ipt -A INPUT -i lo -j ACCEPT
  ipt -A INPUT -p ipv6-icmp -j ACCEPT
  ipt -A INPUT -p tcp --dport 22 -m comment --comment ssh -j ACCEPT
  ipt -P INPUT DROP
  eval "ipt_rules() { lab_exec d2 ip6tables-$variant-save -t filter 2>/dev/null | grep -v '^#' | sed 's/ \\[[0-9]*:[0-9]*\\]\$//'; }"
  run_backend "ip6tables-$variant" ipt_rules
  ipt -F INPUT
  ipt -P INPUT ACCEPT
  [ "$variant" = nft ] && lab_exec d2 nft flush ruleset
  one_master "ip6tables-$variant removed"
done
lab_log PASS
