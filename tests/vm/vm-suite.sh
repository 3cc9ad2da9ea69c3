#!/bin/bash
# vm-suite.sh TEST...: runs inside the VM (see run-in-vm.sh); runs each test (an executable,
# typically a GoogleTest binary, or a *.sh script run with bash) one after another, each in a
# fresh network namespace with lo up so tests cannot disturb each other's IPVS tables (IPVS
# state is per network namespace), prints one line per test and a summary.
# Exit: 0 all passed (or skipped), 1 any failed, 77 when every test skipped.
# LVSCTL_VM_FILTER (a grep -E pattern on the test's file name) selects tests.
set -uo pipefail
[ "${LVSCTL_IN_VM:-0}" = 1 ] || { echo "vm-suite.sh runs inside the VM; use run-in-vm.sh" >&2; exit 2; }

passed=0 failed=0 skipped=0 failures=()
for t in "$@"; do
  name=$(basename "$t")
  if [ -n "${LVSCTL_VM_FILTER:-}" ] && ! grep -Eq -- "$LVSCTL_VM_FILTER" <<<"$name"; then continue; fi
  ns="vmsuite-$$-$passed$failed$skipped"
  ip netns add "$ns" && ip -n "$ns" link set lo up || { echo "vm-suite: cannot make namespace $ns" >&2; exit 1; }
  echo "=== $name"
  start=$(date +%s.%N)
  case $t in
    *.sh) ip netns exec "$ns" bash "$t" ;;
    *) ip netns exec "$ns" "$t" ;;
  esac
  rc=$?
  secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  ip netns delete "$ns" 2>/dev/null
  case $rc in
    0) passed=$((passed + 1)); echo "=== PASS $name (${secs}s)" ;;
    77) skipped=$((skipped + 1)); echo "=== SKIP $name (${secs}s)" ;;
    *) failed=$((failed + 1)); failures+=("$name"); echo "=== FAIL $name: exit $rc (${secs}s)" ;;
  esac
done
echo "=== vm suite: $passed passed, $failed failed, $skipped skipped${failures:+ (failed: ${failures[*]})}"
[ "$failed" -eq 0 ] || exit 1
[ "$passed" -eq 0 ] && [ "$skipped" -gt 0 ] && exit 77
exit 0
