# The iptables variant of the split-brain test; source after setting VARIANT=legacy|nft.
. "$(dirname "$0")/firewall_lab.sh"
IPT=iptables-$VARIANT
SAVE=iptables-$VARIANT-save
fw_lab_require "$IPT" "$SAVE"
fw_lab_start

ipt() { lab_exec d2 "$IPT" -w "$@"; }
saved() { lab_exec d2 "$SAVE" -t filter | grep -v '^#' | sed 's/ \[[0-9]*:[0-9]*\]$//'; }

# The backup's firewall, as in the user's notes: lo and icmp accepted, then drop.
ipt -A INPUT -i lo -j ACCEPT
ipt -A INPUT -p icmp -j ACCEPT
ipt -A INPUT -p tcp --dport 22 -m comment --comment ssh -j ACCEPT
ipt -N LOGDROP
ipt -A LOGDROP -j DROP
ipt -A INPUT -p tcp --dport 23 -j LOGDROP
ipt -A INPUT -j REJECT
ipt -P INPUT DROP
before=$(saved)
fw_expect_split_brain

out=$(fw d2 allow-vrrp 2>&1) || lab_fail "allow-vrrp failed: $out"
expect_contains "auto backend" "backend (auto): iptables-$VARIANT" "$out"
expect_contains "insert" "iptables-$VARIANT ip filter INPUT: insert" "$out"
# Before the first rule that can drop (the jump to LOGDROP), after the user's accepts.
expect_eq "position" "-A INPUT -p vrrp -m comment --comment \"lvsctl:vrrp\" -j ACCEPT" \
  "$(saved | grep -- '-A INPUT' | sed -n 4p)"
fw_expect_healed

after_first=$(saved)
out=$(fw d2 allow-vrrp 2>&1) || lab_fail "second allow-vrrp failed: $out"
expect_contains "keep" "INPUT: keep" "$out"
expect_eq "rules after second allow-vrrp" "$after_first" "$(saved)"
expect_eq "one rule" 1 "$(saved | grep -c lvsctl:vrrp)"

json=$(fw d2 status --json) || lab_fail "status exit $? although VRRP is accepted: $json"
json=$(python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), separators=(",", ":")))' <<<"$json")  # compact, so the checks below read one line
expect_contains "status json" "\"backend\":\"iptables-$VARIANT\"" "$json"
expect_contains "status json verdict" '"vrrp":"accepted","by":"rule 4"' "$json"
expect_contains "status json ours" '"ours":true' "$json"

out=$(fw d2 allow-vrrp -i eth0 --peer 203.0.113.1 --peer 203.0.113.3 2>&1) || lab_fail "$out"
expect_contains "replace" "INPUT: replace" "$out"
expect_eq "one rule per peer" 2 "$(saved | grep -c lvsctl:vrrp)"
rc=0; out=$(fw d2 status -i eth0 --peer 203.0.113.1 --peer 203.0.113.9) || rc=$?
expect_eq "status exit with an unlisted peer" 3 "$rc"
expect_contains "listed peer" "from 203.0.113.1: accepted" "$out"
expect_contains "unlisted peer" "from 203.0.113.9: dropped by rule 7" "$out"

out=$(fw d2 revoke-vrrp 2>&1) || lab_fail "revoke-vrrp failed: $out"
expect_eq "rules after revoke" "$before" "$(saved)"
rc=0; fw d2 status >/dev/null || rc=$?
expect_eq "status exit after revoke" 3 "$rc"
fw_expect_split_brain
lab_log "PASS"
