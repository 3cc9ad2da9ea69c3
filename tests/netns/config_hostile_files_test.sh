#!/bin/bash
# Hostile files and values given to lvsctl's commands (issue 13, rows 2 and 9), inside a
# namespace made here. Every config read goes through one bounded reader: a FIFO nobody writes,
# /dev/zero, a symbolic link to it, a 10 GB sparse file, a directory and `include /*/*/*/*/*`
# are each refused with a clear error, by check-config, `director run`, `realserver start -f`
# and `--from-director-config`, within a generous deadline (never a hang) and under 64 MB of peak
# RSS (ru_maxrss of the command, measured by python3). A file of a million '{' prints a few
# lines, not a million. Empty -i / --state-dir, --timeout nan/inf/-1 and IPv4-mapped VIPs are
# usage errors (exit 2); `firewall allow-vrrp -i ""` leaves the namespace's ruleset empty.
. "$(dirname "$0")/../lib/netns.sh"
lab_require_root
lab_require python3 nft
[ -x "$LVSCTL" ] || lab_skip "LVSCTL ($LVSCTL) is not an executable"

lab_ns a
D=$LAB_TMP/conf
mkdir -p "$D/dir.conf" "$LAB_TMP/state"
mkfifo "$D/fifo.conf"
truncate -s 10G "$D/huge.conf"
ln -s /dev/zero "$D/zero.conf"
printf 'include fifo.conf\n' >"$D/inc_fifo.conf"
printf 'global_defs {\n}\ninclude /dev/zero\n' >"$D/inc_devzero.conf"
printf 'include zero.conf\n' >"$D/inc_zerolink.conf"
printf '\n  include huge.conf\n' >"$D/inc_huge.conf"
printf 'include dir.conf\n' >"$D/inc_dir.conf"
printf 'include /*/*/*/*/*\n' >"$D/inc_disk.conf"
python3 -c "open('$D/braces.conf','w').write('{\n'*1000000)"
cat >"$D/auth.conf" <<'CONF'
vrrp_instance VI_1 {
  state BACKUP
  interface lo
  virtual_router_id 51
  priority 100
  authentication {
    auth_type PASS
    auth_pass Sup3rS3cretPassw0rd
  }
  virtual_ipaddress {
    ::ffff:192.0.2.10
  }
}
CONF

# run EXPECTED_RC PATTERN CMD...: runs CMD inside the namespace (deadline 120 s, 1 GB address
# space) and checks its exit code, that stdout+stderr match PATTERN (grep -E), and its peak RSS.
# Sets OUT (the output) and LINES.
run() {
  local want=$1 pattern=$2
  shift 2
  local res
  res=$(python3 - "$LAB_TMP/out" "$@" <<'PY'
import resource, subprocess, sys
out = open(sys.argv[1], "w")
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
try:
    rc = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.STDOUT, timeout=120,
                        preexec_fn=limit, stdin=subprocess.DEVNULL).returncode
except subprocess.TimeoutExpired:
    rc = "timeout"
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
)
  OUT=$(cat "$LAB_TMP/out")
  LINES=$(wc -l <"$LAB_TMP/out")
  local rc=${res% *} rss=${res#* }
  lab_log "$* -> rc=$rc peak_rss=${rss}KB lines=$LINES: $(head -c 200 "$LAB_TMP/out" | head -n 2 | tr '\n' '|')"
  [ "$rc" = "$want" ] || lab_fail "$*: exit $rc, expected $want: $OUT"
  grep -qE -- "$pattern" "$LAB_TMP/out" || lab_fail "$*: output does not match '$pattern': $OUT"
  [ "$rss" -lt 65536 ] || lab_fail "$*: peak RSS ${rss} KB, more than 64 MB"
}
ns() { echo ip netns exec "${LAB}-a" "$LVSCTL"; }
L=$(ns)

# Row 2: config reads are bounded, never block, never read pseudo file systems.
for cmd in "director check-config -f" "director run --run-dir $LAB_TMP/run -f"; do
  run 1 "inc_fifo.conf:1:1: error: cannot read included file '$D/fifo.conf': not a regular file \(fifo\)" \
    $L $cmd "$D/inc_fifo.conf"
  run 1 "inc_devzero.conf:3:1: error: cannot include '/dev/zero': it is in /dev" $L $cmd "$D/inc_devzero.conf"
  run 1 "inc_zerolink.conf:1:1: error: .*/dev" $L $cmd "$D/inc_zerolink.conf"
  run 1 "inc_huge.conf:2:3: error: cannot read included file '$D/huge.conf': larger than the 16 MiB .*\(10737418240 bytes\)" \
    $L $cmd "$D/inc_huge.conf"
  run 1 "inc_dir.conf:1:1: error: cannot read included file '$D/dir.conf': not a regular file \(directory\)" \
    $L $cmd "$D/inc_dir.conf"
  run 1 "inc_disk.conf:1:1: warning: include '/\*/\*/\*/\*/\*': /proc.* not searched" $L $cmd "$D/inc_disk.conf"
  grep -qE "inc_disk.conf:1:1: error: " "$LAB_TMP/out" || lab_fail "whole-disk include not refused: $OUT"
done
run 2 "cannot read /dev/zero: /dev/zero: not a regular file \(character device\)" \
  $L director check-config -f /dev/zero
run 2 "not a regular file \(fifo\)" $L director check-config -f "$D/fifo.conf"
run 1 "not a regular file \(fifo\)" $L director run --run-dir "$LAB_TMP/run" -f "$D/fifo.conf"
run 2 "^lvsctl realserver start: /dev/zero: not a regular file \(character device\)$" \
  $L realserver start -f /dev/zero --state-dir "$LAB_TMP/state"
run 2 "realserver start: $D/fifo.conf: not a regular file \(fifo\)" \
  $L realserver start -f "$D/fifo.conf" --state-dir "$LAB_TMP/state"
run 2 "realserver start: $D/huge.conf: larger than the 16 MiB" \
  $L realserver start -f "$D/huge.conf" --state-dir "$LAB_TMP/state"
run 2 "inc_fifo.conf:1:1: error: cannot read included file .*not a regular file \(fifo\)" \
  $L realserver start --from-director-config "$D/inc_fifo.conf" --state-dir "$LAB_TMP/state"
run 2 "inc_devzero.conf:3:1: error: cannot include '/dev/zero'" \
  $L realserver start --from-director-config "$D/inc_devzero.conf" --state-dir "$LAB_TMP/state"
[ -z "$(ls -A "$LAB_TMP/state")" ] || lab_fail "a refused realserver start wrote state"

# Row 9: diagnostics are capped; a million '{' give a handful of lines.
run 1 "braces.conf:1:1: error: missing '\}': the block opened here is still open \(with 999999 more blocks open inside it\)" \
  $L director check-config -f "$D/braces.conf"
[ "$LINES" -le 102 ] || lab_fail "a million '{' printed $LINES lines"
python3 -c "open('$D/bogus.conf','w').write('bogus_keyword 1\n'*300)"
run 1 "\.\.\. and 200 more \(200 errors, 0 warnings not shown\)" $L director check-config -f "$D/bogus.conf"
[ "$LINES" -eq 102 ] || lab_fail "300 errors printed $LINES lines, expected 100 + the count + the verdict"
# 300 stray '}': the parser keeps 100 and one error counting the rest (the 101st, not printed).
python3 -c "open('$D/closes.conf','w').write('}\n'*300)"
run 1 "invalid: 101 errors" $L director check-config -f "$D/closes.conf"

# Row 9: auth_pass truncation is warned without printing any of it; IPv4-mapped VIPs refused.
run 1 "auth.conf:8:15: warning: 'auth_pass' is longer than 8 characters: it is truncated to its first 8" \
  $L director check-config -f "$D/auth.conf"
grep -qE "Sup3|\(19\)|19 char" "$LAB_TMP/out" && lab_fail "the auth_pass or its length was printed: $OUT"
grep -qE "auth.conf:11:5: error: '::ffff:192.0.2.10' is an IPv4-mapped IPv6 address, never a VIP: write it as IPv4 \(192.0.2.10\)" \
  "$LAB_TMP/out" || lab_fail "IPv4-mapped VIP not refused: $OUT"
run 2 "VIP '::ffff:192.0.2.1' is an IPv4-mapped IPv6 address: give it as IPv4 \(192.0.2.1\)" \
  $L realserver start --vip ::ffff:192.0.2.1 --state-dir "$LAB_TMP/state"

# Row 9: empty strings and non-finite numbers are usage errors.
run 2 "--state-dir: must not be empty" $L realserver start --vip 203.0.113.100 --state-dir ""
run 2 "--interface: must not be empty" $L director watch --timeout 1 -i ""
for v in nan inf -1 -nan; do
  run 2 "--timeout: '$v' is not a number of seconds" $L director watch --timeout "$v" -i lo
done
run 2 "--interface: must not be empty" $L firewall allow-vrrp --backend nftables -i ""
[ -z "$(lab_exec a nft list ruleset)" ] || lab_fail "allow-vrrp -i '' changed the ruleset: $(lab_exec a nft list ruleset)"
lab_log "PASS"
