#!/bin/bash
# lvsctl realserver on the real kernel, inside namespaces made here:
#   client (203.0.113.1) --- bridge --- rs (203.0.113.2, VIPs on lo)
# - start puts the VIPs on lo (label lo:N) with arp_ignore=1/arp_announce=2 (all and lo);
# - the client's ARP requests for the VIP get no answer (a control shows arping would see one),
#   while a TCP connection routed to the VIP via 203.0.113.2 reaches a listener bound to the VIP;
# - stop restores the non-default sysctl values set before start and removes the VIPs;
# - start/stop are idempotent; status exits 0/1/3; bad input exits 2; non-root exits 4 and
#   changes nothing; a VIP found on lo before start survives stop;
# - the root namespace's sysctls and lo are never touched (lvsctl runs only via ip netns exec).
. "$(dirname "$0")/../lib/netns.sh"
lab_require_root
lab_require arping python3 setpriv
[ -x "$LVSCTL" ] || lab_skip "LVSCTL ($LVSCTL) is not an executable"

VIP=203.0.113.100
VIP6=2001:db8::100
KEYS="net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce net.ipv4.conf.lo.arp_ignore net.ipv4.conf.lo.arp_announce"

sysctl_path() { echo "/proc/sys/$(echo "$1" | tr . /)"; }
sysctls_of() {  # sysctls_of NS|root: the four values, space-separated
  local k out=""
  for k in $KEYS; do
    if [ "$1" = root ]; then out+="$(cat "$(sysctl_path "$k")") "
    else out+="$(lab_exec "$1" cat "$(sysctl_path "$k")") "; fi
  done
  echo "${out% }"
}
root_before_sysctls=$(sysctls_of root)
root_before_lo=$(ip -o addr show dev lo)

lab_ns rs
lab_ns client
lab_link rs eth0 203.0.113.2/24
lab_link client eth0 203.0.113.1/24
ip -n "${LAB}-rs" addr add 2001:db8:1::2/64 dev eth0 nodad
ip -n "${LAB}-client" addr add 2001:db8:1::1/64 dev eth0 nodad
ip -n "${LAB}-client" route add "$VIP/32" via 203.0.113.2
ip -n "${LAB}-client" -6 route add "$VIP6/128" via 2001:db8:1::2
STATE="$LAB_TMP/state"

rs() { lab_exec rs "$LVSCTL" realserver "$@"; }
expect_rc() {  # expect_rc CODE what CMD...
  local want=$1 what=$2 rc=0; shift 2
  "$@" >"$LAB_TMP/out" 2>"$LAB_TMP/err" || rc=$?
  [ "$rc" -eq "$want" ] || { cat "$LAB_TMP/out" "$LAB_TMP/err" >&2; lab_fail "$what: exit $rc, expected $want"; }
}
arp_answered() {  # arp_answered ADDR: the client gets an ARP reply for ADDR
  lab_exec client arping -q -i eth0 -c 3 -w 3 "$1" >/dev/null 2>&1
}
# (no `cmd | grep -q` under pipefail: grep's early exit would fail the pipeline)
lo_has() { grep -qw "inet6\\? $1\\(/[0-9]*\\)\\?" <<<"$(ip -n "${LAB}-rs" -o addr show dev lo)"; }

# --- Control: with default sysctls a VIP on lo IS answered, so the check below can fail.
ip -n "${LAB}-rs" addr add 203.0.113.99/32 dev lo
arp_answered 203.0.113.99 || lab_fail "control: no ARP answer for an address on lo with arp_ignore=0"
ip -n "${LAB}-rs" addr del 203.0.113.99/32 dev lo
lab_log "control ok: arp_ignore=0 answers ARP for an address on lo"

# --- Non-default values before start, to see them come back after stop.
before="2 1 3 1"
i=1
for k in $KEYS; do lab_exec rs sh -c "echo $(echo "$before" | cut -d' ' -f$i) > $(sysctl_path "$k")"; i=$((i+1)); done
[ "$(sysctls_of rs)" = "$before" ] || lab_fail "could not set the sysctls to $before"

# --- Bad input: exit 2 naming the value, nothing changed.
expect_rc 2 "bad address" rs start --vip 203.0.113.300 --state-dir "$STATE"
grep -q "'203.0.113.300'" "$LAB_TMP/err" || lab_fail "bad address not named: $(cat "$LAB_TMP/err")"
expect_rc 2 "VIP twice" rs start --vip "$VIP" --vip "$VIP,203.0.113.7" --state-dir "$STATE"
grep -q "VIP $VIP is given twice" "$LAB_TMP/err" || lab_fail "duplicate not named: $(cat "$LAB_TMP/err")"
expect_rc 2 "network prefix" rs start --vip 203.0.113.0/24 --state-dir "$STATE"
expect_rc 2 "no VIPs" rs start --vip "" --state-dir "$STATE"
[ "$(sysctls_of rs)" = "$before" ] || lab_fail "bad input changed sysctls"

# --- Not root: exit 4, explained, nothing changed (state dir writable, so the sysctl write fails).
mkdir -m 0777 "$LAB_TMP/nobody-state"
chmod 0755 "$LAB_TMP"
nobody() { lab_exec rs setpriv --reuid=65534 --regid=65534 --clear-groups "$LVSCTL" realserver "$@"; }
expect_rc 4 "start as nobody" nobody start --vip "$VIP" --state-dir "$LAB_TMP/nobody-state"
grep -q "run it as root" "$LAB_TMP/err" || lab_fail "EPERM not explained: $(cat "$LAB_TMP/err")"
grep -qi "permission denied" "$LAB_TMP/err" || lab_fail "errno not shown: $(cat "$LAB_TMP/err")"
[ ! -e "$LAB_TMP/nobody-state/realserver.state" ] || lab_fail "failed start left a state file"
expect_rc 4 "start as nobody, state dir not writable" nobody start --vip "$VIP" --state-dir "$STATE"
[ "$(sysctls_of rs)" = "$before" ] || lab_fail "non-root start changed sysctls"
lo_has "$VIP" && lab_fail "non-root start added the VIP"
lab_log "bad input and non-root rejected without changes"

# --- Stopped.
expect_rc 3 "status before start" rs status --vip "$VIP" --vip "$VIP6" --state-dir "$STATE"
expect_rc 0 "stop when not started" rs stop --state-dir "$STATE"
[ "$(sysctls_of rs)" = "$before" ] || lab_fail "stop when not started changed sysctls"

# --- Start.
expect_rc 0 "start" rs start --vip "$VIP" --vip "$VIP6" --state-dir "$STATE"
[ "$(sysctls_of rs)" = "1 2 1 2" ] || lab_fail "sysctls after start: $(sysctls_of rs)"
grep -q "inet $VIP/32 .*lo:0" <<<"$(ip -n "${LAB}-rs" -o -4 addr show dev lo)" ||
  lab_fail "no $VIP/32 labelled lo:0 on lo: $(ip -n "${LAB}-rs" -o addr show dev lo)"
grep -q "inet6 $VIP6/128" <<<"$(ip -n "${LAB}-rs" -o -6 addr show dev lo)" || lab_fail "no $VIP6/128 on lo"
expect_rc 0 "status after start" rs status --state-dir "$STATE"
expect_rc 0 "status --json" rs status --json --state-dir "$STATE"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["status"]=="running" and all(v["present"] for v in d["vips"]) and len(d["vips"])==2, d' "$LAB_TMP/out" ||
  lab_fail "status --json: $(cat "$LAB_TMP/out")"

# --- Idempotent start: no change at all.
addrs1=$(ip -n "${LAB}-rs" -o addr show dev lo); state1=$(cat "$STATE/realserver.state")
expect_rc 0 "second start" rs start --vip "$VIP" --vip "$VIP6" --state-dir "$STATE"
grep -q "already started" "$LAB_TMP/out" || lab_fail "second start: $(cat "$LAB_TMP/out")"
[ "$addrs1" = "$(ip -n "${LAB}-rs" -o addr show dev lo)" ] || lab_fail "second start changed lo"
[ "$state1" = "$(cat "$STATE/realserver.state")" ] || lab_fail "second start changed the state"
grep -q "sysctl net.ipv4.conf.all.arp_ignore 2" "$STATE/realserver.state" || lab_fail "saved values wrong"

# --- ARP: no answer for the VIP; the real server's own address is still answered.
arp_answered "$VIP" && lab_fail "the real server answered ARP for the VIP $VIP"
arp_answered 203.0.113.2 || lab_fail "control: no ARP answer for 203.0.113.2"
lab_log "ARP for $VIP unanswered, 203.0.113.2 answered"

# --- TCP to the VIP, routed via the real server's address, accepted by a listener on the VIP.
cat > "$LAB_TMP/listen.py" <<'PY'
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(1)
open(sys.argv[3], "w").close()
c, peer = s.accept()
c.sendall(b"hello from " + sys.argv[1].encode() + b"\n")
c.close()
PY
connect() {  # connect ADDR PORT: prints what the server said
  lab_exec client python3 -c 'import socket,sys; c=socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5); print(c.recv(100).decode().strip())' "$1" "$2"
}
for addr in "$VIP" "$VIP6"; do
  rm -f "$LAB_TMP/ready"
  lab_spawn rs python3 "$LAB_TMP/listen.py" "$addr" 8080 "$LAB_TMP/ready"
  lab_wait 10 "[ -e $LAB_TMP/ready ]" || lab_fail "listener on $addr did not start"
  got=$(connect "$addr" 8080) || lab_fail "TCP connection to $addr:8080 failed"
  [ "$got" = "hello from $addr" ] || lab_fail "unexpected reply from $addr: $got"
  lab_log "TCP to $addr:8080 accepted by the listener bound to the VIP"
done

# --- Drift: a VIP removed by hand -> status 1; start repairs it.
ip -n "${LAB}-rs" addr del "$VIP/32" dev lo
expect_rc 1 "status with a VIP missing" rs status --state-dir "$STATE"
grep -q MISSING "$LAB_TMP/out" || lab_fail "status does not say MISSING"
lab_exec rs sh -c "echo 0 > $(sysctl_path net.ipv4.conf.all.arp_announce)"
expect_rc 0 "start repairs" rs start --vip "$VIP" --vip "$VIP6" --state-dir "$STATE"
expect_rc 0 "status after repair" rs status --state-dir "$STATE"
grep -q "sysctl net.ipv4.conf.all.arp_announce 1" "$STATE/realserver.state" || lab_fail "repair overwrote saved values"

# --- Stop: VIPs gone, the values from before start back, state gone; stop again is a no-op.
expect_rc 0 "stop" rs stop --state-dir "$STATE"
[ "$(sysctls_of rs)" = "$before" ] || lab_fail "sysctls after stop: $(sysctls_of rs), expected $before"
lo_has "$VIP" && lab_fail "$VIP still on lo after stop"
lo_has "$VIP6" && lab_fail "$VIP6 still on lo after stop"
[ ! -e "$STATE/realserver.state" ] || lab_fail "state file left after stop"
expect_rc 3 "status after stop" rs status --vip "$VIP" --state-dir "$STATE"
expect_rc 0 "second stop" rs stop --state-dir "$STATE"
grep -q "not started" "$LAB_TMP/out" || lab_fail "second stop: $(cat "$LAB_TMP/out")"
lab_log "stop restored '$before' and removed the VIPs"

# --- A VIP already on lo before start is left there by stop.
ip -n "${LAB}-rs" addr add 203.0.113.101/32 dev lo label lo:keep
expect_rc 0 "start with a found VIP" rs start --vip 203.0.113.101 --vip 203.0.113.102 --state-dir "$STATE"
grep -q "203.0.113.102/32 .*lo:0" <<<"$(ip -n "${LAB}-rs" -o addr show dev lo)" || lab_fail "lo:0 not used for .102"
expect_rc 0 "stop" rs stop --state-dir "$STATE"
lo_has 203.0.113.101 || lab_fail "stop removed a VIP it did not add"
lo_has 203.0.113.102 && lab_fail "stop left a VIP it added"

# --- The root namespace was never touched.
[ "$(sysctls_of root)" = "$root_before_sysctls" ] || lab_fail "root namespace sysctls changed!"
[ "$(ip -o addr show dev lo)" = "$root_before_lo" ] || lab_fail "root namespace lo changed!"
lab_log "PASS (root namespace sysctls '$root_before_sysctls' and lo unchanged)"
