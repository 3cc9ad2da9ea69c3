# Helpers for the `lvsctl lab` tests (tests/netns/lab_*_test.sh). Source after netns.sh.
# The lab's namespaces have a fixed prefix (lvslab-), so these tests run one at a time
# (RUN_SERIAL) and every exit runs `lab down` with the test's own state dir.
LABCLI_STATE="$LAB_TMP/state"

labcli() { "$LVSCTL" lab --state-dir "$LABCLI_STATE" "$@"; }

labcli_cleanup() {
  local rc=$?
  labcli down >/dev/null 2>&1 || true
  (exit $rc)
  lab_cleanup
}
trap labcli_cleanup EXIT

labcli_namespaces() { ls /run/netns 2>/dev/null | grep '^lvslab-' || true; }

# A pid that still names a live process (zombies do not count: PID 1 reaps slowly here).
labcli_alive() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# Nothing of the lab is left: no lvslab-* namespace, none of PIDS alive, no state dir, and the
# root namespace's nft tables as TABLES_BEFORE says.
labcli_expect_nothing_left() {  # labcli_expect_nothing_left "PIDS" "TABLES_BEFORE"
  local pid
  [ -z "$(labcli_namespaces)" ] || lab_fail "namespaces left: $(labcli_namespaces | tr '\n' ' ')"
  for pid in $1; do
    labcli_alive "$pid" && lab_fail "process $pid left running: $(tr '\0' ' ' <"/proc/$pid/cmdline")"
  done
  [ ! -e "$LABCLI_STATE" ] || lab_fail "state dir left: $(ls -la "$LABCLI_STATE")"
  [ "$(nft list tables)" = "$2" ] || lab_fail "root namespace nft tables changed: $(nft list tables)"
  return 0
}

# The pids the state dir records (directors and services).
labcli_recorded_pids() { cat "$LABCLI_STATE"/pids/* 2>/dev/null | awk '{print $1}' | tr '\n' ' '; }
