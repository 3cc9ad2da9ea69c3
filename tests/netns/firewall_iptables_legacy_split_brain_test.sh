#!/usr/bin/env bash
# Split brain from an iptables-legacy drop policy, healed by `lvsctl firewall allow-vrrp`;
# idempotency, status, revoke restores the table exactly.
VARIANT=legacy
. "$(dirname "$0")/firewall_iptables_lab.sh"
