#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One exit code for "not privileged" in every role (4) and one JSON error shape with --json:
# each command runs as nobody (no capabilities) inside a namespace of its own, and must exit 4
# with nothing changed; with --json its error is {"error": {"command", "message", "exit_code"}}
# on stdout. Usage errors are 2 in every role, also as JSON.
. "$(dirname "$0")/../lib/netns.sh"
lab_require_root
lab_require setpriv python3
lab_ns n
nobody() { lab_exec n setpriv --reuid=65534 --regid=65534 --clear-groups "$LVSCTL" "$@"; }
setpriv --reuid=65534 --regid=65534 --clear-groups "$LVSCTL" --version >/dev/null 2>&1 \
  || lab_skip "nobody cannot run $LVSCTL (a build directory others cannot enter)"

expect_rc() {  # expect_rc CODE WHAT CMD...: run as nobody, output in $LAB_TMP/out and err
  local want=$1 what=$2; shift 2
  local rc=0
  nobody "$@" >"$LAB_TMP/out" 2>"$LAB_TMP/err" || rc=$?
  [ "$rc" = "$want" ] || lab_fail "$what: exit $rc, expected $want: $(cat "$LAB_TMP/out" "$LAB_TMP/err")"
}
expect_json_error() {  # expect_json_error CODE COMMAND: $LAB_TMP/out is the one error object
  python3 - "$LAB_TMP/out" "$1" "$2" <<'PY' || lab_fail "not the JSON error shape: $(cat "$LAB_TMP/out")"
import json, sys
doc = json.load(open(sys.argv[1]))
e = doc["error"]
assert set(doc) == {"error"}, doc
assert set(e) == {"command", "message", "exit_code"}, e
assert e["exit_code"] == int(sys.argv[2]), e
assert e["command"] == sys.argv[3], e
assert e["message"], e
PY
}

mkdir -m 0755 "$LAB_TMP/conf"
printf 'vrrp_instance V {\n interface lo\n virtual_router_id 1\n virtual_ipaddress {\n  203.0.113.1\n }\n}\n' \
  >"$LAB_TMP/conf/k.conf"
chmod 0644 "$LAB_TMP/conf/k.conf"
chmod 0711 "$LAB_TMP"

expect_rc 4 "director run as nobody" director run -f "$LAB_TMP/conf/k.conf" --run-dir "$LAB_TMP/run"
grep -q "needs root" "$LAB_TMP/err" || lab_fail "director run: no reason given: $(cat "$LAB_TMP/err")"
[ -e "$LAB_TMP/run" ] && lab_fail "director run as nobody created its run dir"
lab_exec n ip -br addr show lo | grep -q 203.0.113.1 && lab_fail "director run as nobody added the VIP"

mkdir -m 0700 "$LAB_TMP/rootrun"
expect_rc 4 "director status of root's run dir as nobody" director status --run-dir "$LAB_TMP/rootrun"
expect_rc 4 "director status --json as nobody" director status --json --run-dir "$LAB_TMP/rootrun"
expect_json_error 4 "director status"

expect_rc 4 "firewall allow-vrrp as nobody" firewall allow-vrrp --backend nftables
expect_rc 4 "firewall status as nobody" firewall status --backend nftables
expect_rc 4 "firewall status --json as nobody" firewall status --backend nftables --json
expect_json_error 4 "firewall status"

expect_rc 4 "realserver start as nobody" realserver start --vip 203.0.113.7 --state-dir "$LAB_TMP/rs"
lab_exec n ip -br addr show lo | grep -q 203.0.113.7 && lab_fail "realserver start as nobody added the VIP"
lab_log "not privileged: exit 4 in director run/status, firewall and realserver"

# Usage errors: 2 everywhere, as JSON when --json is on the line.
expect_rc 2 "firewall status --json with a bad peer" firewall status --json --peer not-an-address
expect_json_error 2 "firewall status"
expect_rc 2 "an unknown option with --json" realserver status --json --no-such-option
expect_json_error 2 "realserver status"
expect_rc 2 "check-config --json of a missing file" director check-config --json -f "$LAB_TMP/none.conf"
expect_json_error 2 "director check-config"
expect_rc 2 "an unknown option without --json" director run --no-such-option
grep -q "no-such-option" "$LAB_TMP/err" || lab_fail "usage error not named: $(cat "$LAB_TMP/err")"

# -f is the role's configuration file in every command that has one.
expect_rc 0 "check-config -f" director check-config -f "$LAB_TMP/conf/k.conf"
expect_rc 0 "check-config --file" director check-config --file "$LAB_TMP/conf/k.conf"
expect_rc 4 "director run --file" director run --file "$LAB_TMP/conf/k.conf"
lab_log "PASS: one privilege exit code, one JSON error shape, one -f"
