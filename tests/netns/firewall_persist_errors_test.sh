#!/usr/bin/env bash
# `lvsctl firewall ... --persist` writes under $LVSCTL_FIREWALL_ROOT (never the host's /etc):
# the nftables include (valid for `nft -c`), the include line once, rules.v4 with only our line
# added (valid for iptables-restore --test), and revoke --persist restores the files exactly.
# Also the error paths: unknown interface, bad peer, no permission, nothing to do.
. "$(dirname "$0")/firewall_lab.sh"
lab_require_root
lab_require nft iptables-legacy iptables-legacy-restore setpriv
[ -x "$LVSCTL" ] || command -v "$LVSCTL" >/dev/null || lab_skip "lvsctl binary not found ($LVSCTL)"

export LVSCTL_FIREWALL_ROOT="$LAB_TMP/root"
mkdir -p "$LVSCTL_FIREWALL_ROOT/etc/iptables"
lab_ns n
lab_ns i
lab_link n eth0 203.0.113.1/24
lab_link i eth0 203.0.113.2/24

# Nothing filters input yet: nothing needs doing, nothing written.
out=$(fw n allow-vrrp 2>&1) || lab_fail "allow-vrrp on an open host failed: $out"
expect_contains "open host" "nothing needs doing" "$out"
[ -z "$(lab_exec n nft list ruleset)" ] || lab_fail "allow-vrrp changed an empty ruleset"

# Errors.
rc=0; out=$(fw n allow-vrrp --interface nosuch0 2>&1) || rc=$?
expect_eq "unknown interface exit" 1 "$rc"
expect_contains "unknown interface message" "interface 'nosuch0' does not exist" "$out"
rc=0; out=$(fw n allow-vrrp --peer 203.0.113.300 2>&1) || rc=$?
expect_eq "bad peer exit" 2 "$rc"
expect_contains "bad peer message" "203.0.113.300" "$out"
rc=0; out=$(fw n allow-vrrp --backend pf 2>&1) || rc=$?
expect_eq "bad backend exit" 2 "$rc"
rc=0; out=$(lab_exec n setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
  "$LVSCTL" firewall status --backend nftables 2>&1) || rc=$?
expect_eq "no permission exit (4 in every role)" 4 "$rc"
expect_contains "no permission message" "permission denied" "$out"

# nftables --persist.
cat > "$LVSCTL_FIREWALL_ROOT/etc/nftables.conf" <<'NFT'
#!/usr/sbin/nft -f
flush ruleset
table inet filter {
  chain input {
    type filter hook input priority 0; policy drop;
    iifname "lo" accept
  }
}
NFT
conf_before=$(cat "$LVSCTL_FIREWALL_ROOT/etc/nftables.conf")
lab_exec n nft -f - <<'NFT'
table inet filter {
  chain input { type filter hook input priority 0; policy drop; iifname "lo" accept; }
}
NFT
fw n allow-vrrp -i eth0 --persist >/dev/null 2>&1 || lab_fail "allow-vrrp --persist (nftables) failed"
fw n allow-vrrp -i eth0 --persist >/dev/null 2>&1 || lab_fail "second allow-vrrp --persist failed"
inc="$LVSCTL_FIREWALL_ROOT/etc/nftables.d/lvsctl-vrrp.nft"
[ -f "$inc" ] || lab_fail "include file not written"
expect_eq "include lines" 1 "$(grep -c '^include "/etc/nftables.d/lvsctl-vrrp.nft"$' "$LVSCTL_FIREWALL_ROOT/etc/nftables.conf")"
expect_contains "include content" 'insert rule inet filter input iifname "eth0" ip protocol vrrp accept comment "lvsctl:vrrp"' "$(cat "$inc")"
# The include is valid nftables syntax on top of the user's ruleset (check mode changes nothing).
lab_exec n nft -c -f "$inc" || lab_fail "the include file does not load"
# Loading the saved config plus the include gives the same rule as the live one.
lab_ns n2
lab_exec n2 nft -f - <<<"$(sed '/^include/d' "$LVSCTL_FIREWALL_ROOT/etc/nftables.conf")"
lab_exec n2 nft -f "$inc"
expect_eq "restored rule" "$(lab_exec n nft list chain inet filter input)" "$(lab_exec n2 nft list chain inet filter input)"
fw n revoke-vrrp --persist >/dev/null 2>&1 || lab_fail "revoke-vrrp --persist (nftables) failed"
[ -e "$inc" ] && lab_fail "include file left behind"
expect_eq "nftables.conf after revoke" "$conf_before" "$(cat "$LVSCTL_FIREWALL_ROOT/etc/nftables.conf")"

# iptables --persist into an existing rules.v4 (Debian layout).
rules="$LVSCTL_FIREWALL_ROOT/etc/iptables/rules.v4"
cat > "$rules" <<'RULES'
# hand-written
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 198.51.100.0/24 -j MASQUERADE
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p icmp -j ACCEPT
-A INPUT -j REJECT --reject-with icmp-port-unreachable
COMMIT
RULES
rules_before=$(cat "$rules")
lab_exec i iptables-legacy-restore < "$rules"
out=$(fw i allow-vrrp --peer 203.0.113.1 --persist 2>&1) || lab_fail "allow-vrrp --persist (iptables) failed: $out"
expect_contains "auto picked legacy" "backend (auto): iptables-legacy" "$out"
expect_contains "persist note" "rules.v4" "$out"
diff <(echo "$rules_before") "$rules" > "$LAB_TMP/diff" && lab_fail "rules.v4 unchanged"
expect_eq "only our line added" "> -A INPUT -p 112 -s 203.0.113.1 -m comment --comment lvsctl:vrrp -j ACCEPT" \
  "$(grep '^[<>]' "$LAB_TMP/diff")"
expect_eq "our line before the REJECT" "-A INPUT -j REJECT --reject-with icmp-port-unreachable" \
  "$(grep -A1 lvsctl:vrrp "$rules" | tail -1)"
lab_exec i iptables-legacy-restore --test < "$rules" || lab_fail "rules.v4 does not restore"
fw i allow-vrrp --peer 203.0.113.1 --persist >/dev/null 2>&1 || lab_fail "second allow --persist failed"
expect_eq "one line after two runs" 1 "$(grep -c lvsctl:vrrp "$rules")"
fw i revoke-vrrp --persist >/dev/null 2>&1 || lab_fail "revoke-vrrp --persist (iptables) failed"
expect_eq "rules.v4 after revoke" "$rules_before" "$(cat "$rules")"

# RHEL layout without a saved file yet: the live rules are saved, as `service iptables save` does.
rm -r "$LVSCTL_FIREWALL_ROOT/etc/iptables"
mkdir -p "$LVSCTL_FIREWALL_ROOT/etc/sysconfig"
fw i allow-vrrp --persist >/dev/null 2>&1 || lab_fail "allow-vrrp --persist (RHEL) failed"
sysconfig="$LVSCTL_FIREWALL_ROOT/etc/sysconfig/iptables"
[ -f "$sysconfig" ] || lab_fail "/etc/sysconfig/iptables not written"
expect_contains "live rules saved" "-A POSTROUTING -s 198.51.100.0/24 -j MASQUERADE" "$(cat "$sysconfig")"
expect_contains "our rule saved" '-A INPUT -p vrrp -m comment --comment "lvsctl:vrrp" -j ACCEPT' "$(cat "$sysconfig")"
lab_exec i iptables-legacy-restore --test < "$sysconfig" || lab_fail "sysconfig/iptables does not restore"
fw i revoke-vrrp --persist >/dev/null 2>&1 || lab_fail "revoke-vrrp --persist (RHEL) failed"
expect_eq "no lvsctl line left" 0 "$(grep -c lvsctl:vrrp "$sysconfig" || true)"
[ -e "$LVSCTL_FIREWALL_ROOT/etc/iptables" ] && lab_fail "Debian path created on a RHEL layout"
lab_log "PASS"
