#!/bin/bash
# vm-suite.sh TEST...: runs inside the VM (see run-in-vm.sh); runs each test (an executable,
# typically a GoogleTest binary, or a *.sh script run with bash) one after another, each in a
# fresh network namespace with lo up so tests cannot disturb each other's IPVS tables (IPVS
# state is per network namespace), prints one line per test and a summary with a skip count.
# Skips: a script's exit 77 skips it; a GoogleTest binary's GTEST_SKIP cases (read from its
# --gtest_output=json report) are counted one by one, even when the binary exits 0.
# Exit: 0 all passed (skips allowed), 1 any failed, or any skip when LVSCTL_NO_SKIP=1 (CI sets it:
# there a skipped test is a failure), 77 when every test skipped.
# LVSCTL_VM_FILTER (a grep -E pattern on the test's file name) selects tests.
set -uo pipefail
[ "${LVSCTL_IN_VM:-0}" = 1 ] || { echo "vm-suite.sh runs inside the VM; use run-in-vm.sh" >&2; exit 2; }

# gtest_skips JSON: from a --gtest_output=json report, the number of test cases on the first
# line, then the skipped ones, one "Suite.Name" a line.
gtest_skips() {
  python3 - "$1" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
cases = [(s.get("name", "?"), c) for s in report.get("testsuites", []) for c in s.get("testsuite", [])]
print(len(cases))
for suite, case in cases:
    if case.get("result") == "SKIPPED":
        print("%s.%s" % (suite, case.get("name", "?")))
PY
}

report_dir=$(mktemp -d /tmp/vm-suite.XXXXXX)
trap 'rm -rf "$report_dir"' EXIT
passed=0 failed=0 skipped=0 failures=() skips=() n=0
for t in "$@"; do
  name=$(basename "$t")
  if [ -n "${LVSCTL_VM_FILTER:-}" ] && ! grep -Eq -- "$LVSCTL_VM_FILTER" <<<"$name"; then continue; fi
  n=$((n + 1))
  ns="vmsuite-$$-$n"
  ip netns add "$ns" && ip -n "$ns" link set lo up || { echo "vm-suite: cannot make namespace $ns" >&2; exit 1; }
  echo "=== $name"
  start=$(date +%s.%N)
  json="$report_dir/$n.json"
  case $t in
    *.sh) ip netns exec "$ns" bash "$t" ;;
    *) ip netns exec "$ns" "$t" --gtest_output="json:$json" ;;
  esac
  rc=$?
  secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  ip netns delete "$ns" 2>/dev/null
  cases=() total=0
  if [ "$rc" -eq 0 ] && [ "$t" = "${t%.sh}" ]; then  # a GoogleTest binary that passed
    if [ ! -s "$json" ] || ! gtest_skips "$json" >"$json.skips"; then
      rc=1; echo "vm-suite: no readable GoogleTest report from $name ($json)"
    else
      mapfile -t cases <"$json.skips"
      total=${cases[0]}
      cases=("${cases[@]:1}")
    fi
  fi
  if [ "$rc" -eq 0 ] && [ "${#cases[@]}" -gt 0 ] && [ "${#cases[@]}" -eq "$total" ]; then
    rc=77  # every case skipped: the binary skipped
  fi
  case $rc in
    0)
      passed=$((passed + 1))
      if [ "${#cases[@]}" -gt 0 ]; then
        skipped=$((skipped + ${#cases[@]}))
        for c in "${cases[@]}"; do skips+=("$name:$c"); done
        echo "=== PASS $name, ${#cases[@]} of $total cases SKIPPED: ${cases[*]} (${secs}s)"
      else
        echo "=== PASS $name (${secs}s)"
      fi ;;
    77)
      if [ "${#cases[@]}" -gt 0 ]; then
        skipped=$((skipped + ${#cases[@]})); skips+=("$name:all ${#cases[@]} cases")
      else
        skipped=$((skipped + 1)); skips+=("$name")
      fi
      echo "=== SKIP $name (${secs}s)" ;;
    *) failed=$((failed + 1)); failures+=("$name"); echo "=== FAIL $name: exit $rc (${secs}s)" ;;
  esac
done
echo "=== vm suite: $passed passed, $failed failed, $skipped skipped${failures:+ (failed: ${failures[*]})}${skips:+ (skipped: ${skips[*]})}"
[ "$failed" -eq 0 ] || exit 1
if [ "$skipped" -gt 0 ] && [ "${LVSCTL_NO_SKIP:-0}" = 1 ]; then
  echo "=== vm suite FAILED: $skipped skipped and LVSCTL_NO_SKIP=1 (CI runs every test)"
  exit 1
fi
[ "$passed" -eq 0 ] && [ "$skipped" -gt 0 ] && exit 77
exit 0
