#!/usr/bin/env bash
# Split brain from an nftables drop policy, healed by `lvsctl firewall allow-vrrp` (netlink);
# idempotency, status against the live ruleset, revoke restores the ruleset exactly.
. "$(dirname "$0")/firewall_lab.sh"
fw_lab_require
fw_lab_start

# The backup's firewall: drop policy, lo + icmp accepted; plus unrelated tables that must survive.
lab_exec d2 nft -f - <<'NFT'
table inet filter {
  chain input {
    type filter hook input priority 0; policy drop;
    iifname "lo" accept
    meta l4proto icmp accept
    tcp dport 22 accept comment "ssh"
  }
  chain forward { type filter hook forward priority 0; policy drop; }
}
table ip audit {
  chain in { type filter hook input priority 10; policy accept; counter; }
}
table ip6 guard {
  chain in { type filter hook input priority 5; policy accept; tcp dport 23 drop; }
}
NFT
before=$(lab_exec d2 nft -s list ruleset)
fw_expect_split_brain

out=$(fw d2 allow-vrrp 2>&1) || lab_fail "allow-vrrp failed: $out"
expect_contains "auto backend" "backend (auto): nftables" "$out"
expect_contains "inet filter input" "inet filter input: insert" "$out"
expect_contains "audit chain cannot drop" "ip audit in: not-needed" "$out"
rules=$(lab_exec d2 nft -a -s list ruleset)
expect_eq "our rules (inet filter input only: ip6 guard does not carry IPv4)" 1 \
  "$(grep -c 'comment "lvsctl:vrrp"' <<<"$rules")"
# Our rule is the first rule of the chain.
first=$(lab_exec d2 nft list chain inet filter input | grep -v -e type -e '{' -e '}' | head -1)
expect_contains "first rule" 'ip protocol vrrp accept comment "lvsctl:vrrp"' "$first"
fw_expect_healed

# Idempotent: a second run changes nothing.
after_first=$(lab_exec d2 nft -a -s list ruleset)
out=$(fw d2 allow-vrrp 2>&1) || lab_fail "second allow-vrrp failed: $out"
expect_contains "second run keeps" "inet filter input: keep" "$out"
expect_eq "ruleset after second allow-vrrp" "$after_first" "$(lab_exec d2 nft -a -s list ruleset)"

# status --json agrees with the live ruleset.
json=$(fw d2 status --json) || lab_fail "status exit $? although VRRP is accepted: $json"
json=$(python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), separators=(",", ":")))' <<<"$json")  # compact, so the checks below read one line
handle=$(lab_exec d2 nft -a list chain inet filter input | sed -n 's/.*lvsctl:vrrp" # handle \([0-9]*\).*/\1/p')
expect_contains "status json" "\"chain\":\"input\",\"action\":\"none\"" "$json"
expect_contains "status json verdict" "\"vrrp\":\"accepted\",\"by\":\"handle $handle\"" "$json"
expect_contains "status json ours" '"ours":true' "$json"

# Peers + interface: replaces our rule (still one), set of two peers; status per peer.
out=$(fw d2 allow-vrrp --interface eth0 --peer 203.0.113.1 --peer 203.0.113.3 2>&1) \
  || lab_fail "allow-vrrp with peers failed: $out"
expect_contains "replace" "inet filter input: replace" "$out"
chain=$(lab_exec d2 nft list chain inet filter input)
expect_eq "one rule after replace" 1 "$(grep -c lvsctl:vrrp <<<"$chain")"
expect_contains "peer rule" 'iifname "eth0" ip protocol vrrp ip saddr { 203.0.113.1, 203.0.113.3 } accept comment "lvsctl:vrrp"' "$chain"
out=$(fw d2 allow-vrrp --interface eth0 --peer 203.0.113.3 --peer 203.0.113.1 2>&1) || lab_fail "$out"
expect_contains "same peers, other order: keep" "inet filter input: keep" "$out"
rc=0; out=$(fw d2 status -i eth0 --peer 203.0.113.1 --peer 203.0.113.9) || rc=$?
expect_eq "status exit with an unlisted peer" 3 "$rc"
expect_contains "listed peer" "from 203.0.113.1: accepted" "$out"
expect_contains "unlisted peer" "from 203.0.113.9: dropped by policy" "$out"
fw_has_vip d2 && lab_fail "d2 became MASTER with the peer-restricted rule"

# Revoke: exactly our rule goes, everything else is as before.
out=$(fw d2 revoke-vrrp 2>&1) || lab_fail "revoke-vrrp failed: $out"
expect_eq "ruleset after revoke" "$before" "$(lab_exec d2 nft -s list ruleset)"
rc=0; out=$(fw d2 status) || rc=$?
expect_eq "status exit after revoke" 3 "$rc"
expect_contains "dropped after revoke" "dropped by policy" "$out"
fw_expect_split_brain
lab_log "PASS"
