#!/usr/bin/env bash
# `lvsctl director watch` against keepalived 2.2.7 on a lab bridge:
#  1. a keepalived MASTER (VRRPv2, PASS 12345): watch in another namespace prints its adverts;
#  2. a second keepalived on the same VRID with another auth_pass: both become MASTER, and
#     watch flags two masters (exit 3); then the users' case: same auth_pass, but b's firewall
#     drops IP protocol 112, so b is MASTER beside a: flagged too;
#  3. VRRPv3 over IPv4 (advert_int 0.1) and over IPv6 (link-local source, ff02::12): decoded,
#     checksums (with the pseudo-headers) verified, nothing rejected.
. "$(dirname "$0")/../lib/netns.sh"
lab_require_root
lab_require keepalived timeout
"$LVSCTL" director watch --help >/dev/null 2>&1 || lab_fail "$LVSCTL has no 'director watch' command"

ka_conf() {  # ka_conf FILE NAME VERSION PRIO PASS VIP INTERVAL
  cat >"$1" <<CONF
global_defs {
  router_id $2
}
vrrp_instance $2 {
  state MASTER
  interface eth0
  virtual_router_id 100
  priority $4
  advert_int $7
  version $3
$( [ "$3" = 2 ] && printf '  authentication {\n    auth_type PASS\n    auth_pass %s\n  }\n' "$5" )
  virtual_ipaddress {
    $6
  }
}
CONF
}

lab_ns a
lab_ns b
lab_ns w
lab_link a eth0 203.0.113.104/24
lab_link b eth0 203.0.113.105/24
lab_link w eth0 203.0.113.50/24

# --- 1. one master --------------------------------------------------------------------------
ka_conf "$LAB_TMP/a.conf" VI_A 2 100 12345 203.0.113.100/24 1
lab_keepalived a "$LAB_TMP/a.conf"
lab_wait 15 "lab_has_addr a eth0 203.0.113.100" || lab_fail "keepalived in a never became MASTER"
lab_exec w timeout 30 "$LVSCTL" director watch -i eth0 --count 3 --timeout 20 >"$LAB_TMP/one.out" \
  || lab_fail "watch exited $? (output: $(cat "$LAB_TMP/one.out"))"
cat "$LAB_TMP/one.out" >&2
want='eth0 203.0.113.104 > 224.0.0.18 VRRPv2 vrid 100 prio 100 intvl 1s auth PASS "12345" vips 203.0.113.100'
[ "$(grep -cF "$want" "$LAB_TMP/one.out")" -eq 3 ] || lab_fail "expected 3 lines with: $want"
grep -Eq '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} ' "$LAB_TMP/one.out" || lab_fail "no time stamps"
grep -q 'TWO MASTERS\|rejected' "$LAB_TMP/one.out" && lab_fail "unexpected conflict or rejection"

# --- 2. two masters (they ignore each other: different auth_pass) ---------------------------
ka_conf "$LAB_TMP/b.conf" VI_B 2 50 other 203.0.113.100/24 1
lab_keepalived b "$LAB_TMP/b.conf"
lab_wait 15 "lab_has_addr b eth0 203.0.113.100" || lab_fail "keepalived in b never became MASTER"
set +e
lab_exec w timeout 40 "$LVSCTL" director watch -i eth0 --timeout 15 >"$LAB_TMP/two.out"
rc=$?
set -e
cat "$LAB_TMP/two.out" >&2
[ "$rc" -eq 3 ] || lab_fail "watch exited $rc, expected 3 (two masters)"
grep -q 'TWO MASTERS for VRID 100 (VRRPv2): 203.0.113.10[45] prio [0-9]* and 203.0.113.10[45] prio' \
  "$LAB_TMP/two.out" || lab_fail "no TWO MASTERS line"
grep -qF '203.0.113.105 > 224.0.0.18 VRRPv2 vrid 100 prio 50 intvl 1s auth PASS "other"' \
  "$LAB_TMP/two.out" || lab_fail "b's adverts not shown"
kill -TERM "$LAB_LAST_PID" 2>/dev/null || true
lab_wait 10 "! lab_has_addr b eth0 203.0.113.100" || lab_fail "b kept the VIP after SIGTERM"

# --- 2b. the users' split brain: b's firewall drops VRRP, same auth_pass ----------------------
if command -v nft >/dev/null; then
  lab_exec b nft -f - <<'NFT'
table inet h5_lab {
  chain input {
    type filter hook input priority 0; policy accept;
    ip protocol vrrp drop
  }
}
NFT
  ka_conf "$LAB_TMP/b2.conf" VI_B 2 50 12345 203.0.113.100/24 1
  lab_keepalived b "$LAB_TMP/b2.conf"
  lab_wait 15 "lab_has_addr b eth0 203.0.113.100" || lab_fail "b never became MASTER behind its firewall"
  set +e
  lab_exec w timeout 40 "$LVSCTL" director watch -i eth0 --timeout 8 >"$LAB_TMP/fw.out"
  rc=$?
  set -e
  cat "$LAB_TMP/fw.out" >&2
  [ "$rc" -eq 3 ] || lab_fail "watch exited $rc for the firewall split brain, expected 3"
  grep -q 'TWO MASTERS for VRID 100' "$LAB_TMP/fw.out" || lab_fail "firewall split brain not flagged"
else
  lab_log "nft missing: firewall split-brain case not run"
fi
kill -TERM "${LAB_PIDS[@]}" 2>/dev/null || true
lab_wait 10 "! lab_has_addr a eth0 203.0.113.100 && ! lab_has_addr b eth0 203.0.113.100" || true

# --- 3. VRRPv3 over IPv4 and IPv6 -------------------------------------------------------------
ka_conf "$LAB_TMP/v3.conf" VI_3 3 120 - 203.0.113.100/24 0.1
cat >>"$LAB_TMP/v3.conf" <<CONF
vrrp_instance VI_6 {
  state MASTER
  interface eth0
  virtual_router_id 61
  priority 90
  advert_int 0.1
  version 3
  virtual_ipaddress {
    2001:db8::100/64
  }
}
CONF
lab_wait 10 "ip -n ${LAB}-a -6 addr show dev eth0 scope link | grep -q 'inet6 fe80' && ! ip -n ${LAB}-a -6 addr show dev eth0 | grep -q tentative" \
  || lab_fail "no link-local IPv6 address in a"
lab_keepalived a "$LAB_TMP/v3.conf"
lab_wait 15 "lab_has_addr a eth0 2001:db8::100 && lab_has_addr a eth0 203.0.113.100" \
  || lab_fail "keepalived v3 never became MASTER (v4 and v6)"
lab_exec w timeout 30 "$LVSCTL" director watch -i eth0 --count 20 --timeout 20 >"$LAB_TMP/v3.out" \
  || lab_fail "watch v3 exited $?"
cat "$LAB_TMP/v3.out" >&2
grep -qF '203.0.113.104 > 224.0.0.18 VRRPv3 vrid 100 prio 120 intvl 0.1s auth none vips 203.0.113.100' \
  "$LAB_TMP/v3.out" || lab_fail "no VRRPv3 IPv4 advert line"
grep -Eq 'fe80::[0-9a-f:]+ > ff02::12 VRRPv3 vrid 61 prio 90 intvl 0.1s auth none vips 2001:db8::100$' \
  "$LAB_TMP/v3.out" || lab_fail "no VRRPv3 IPv6 advert line"
grep -q 'rejected' "$LAB_TMP/v3.out" && lab_fail "a keepalived packet was rejected"
lab_log "PASS"
