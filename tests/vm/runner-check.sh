#!/bin/bash
# runner-check.sh: checks run-in-vm.sh itself (one boot): the guest command's exit status comes
# back to the host, the working directory and environment (LVSCTL_NO_SKIP among it) are carried
# over, ip_vs and a scheduler are loaded, lo is up, and files written to $LVSCTL_VM_OUT reach the
# host. Exit 77 when run-in-vm.sh skips; with LVSCTL_NO_SKIP=1 (CI) that is a failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d /tmp/lvsctl-vmcheck.XXXXXX)
trap 'rm -rf "$out"' EXIT
cd "$here"
export LVSCTL_VM_CHECK_TOKEN="token-$$"
bash "$here/run-in-vm.sh" --timeout 300 --out "$out" -- bash -c '
  [ "$PWD" = "'"$here"'" ] || { echo "cwd is $PWD"; exit 1; }
  [ "$LVSCTL_VM_CHECK_TOKEN" = "token-'$$'" ] || { echo "environment not carried over"; exit 1; }
  [ "${LVSCTL_NO_SKIP:-0}" = "'"${LVSCTL_NO_SKIP:-0}"'" ] || { echo "LVSCTL_NO_SKIP not carried over"; exit 1; }
  grep -q "^ip_vs " /proc/modules || { echo "ip_vs not loaded"; exit 1; }
  grep -q "^ip_vs_wrr " /proc/modules || { echo "ip_vs_wrr not loaded"; exit 1; }
  ip link show lo | grep -q "state UNKNOWN\|UP" || { echo "lo is down"; exit 1; }
  [ "$(uname -r)" != "'"$(uname -r)"'" ] || { echo "not in the VM kernel"; exit 1; }
  echo done >"$LVSCTL_VM_OUT/marker"
  exit 42'
rc=$?
if [ "$rc" -eq 77 ]; then
  [ "${LVSCTL_NO_SKIP:-0}" = 1 ] && { echo "FAIL: run-in-vm.sh skipped and LVSCTL_NO_SKIP=1"; exit 1; }
  exit 77
fi
[ "$rc" -eq 42 ] || { echo "FAIL: expected exit status 42 from the guest, got $rc"; exit 1; }
[ "$(cat "$out/marker" 2>/dev/null)" = done ] || { echo "FAIL: the shared directory did not carry the marker"; exit 1; }
echo "run-in-vm.sh: exit status, cwd, environment, modules, lo and shared directory all fine"
