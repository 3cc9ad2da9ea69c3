# Shared helpers for tests/netns/*_test.sh. Source it first thing:
#   . "$(dirname "$0")/../lib/netns.sh"
#   lab_require_root                      # exit 77 (skip) with one line when not root
#   lab_ns a                              # namespace "${LAB}-a" with lo up
#   lab_bridge                            # bridge inside the hub namespace "${LAB}-hub"
#   lab_link a eth0 203.0.113.1/24        # veth from ns a (eth0) to the lab bridge
#   lab_spawn a CMD...                    # background process inside ns a; pid recorded
#   lab_wait 5 "condition cmd"            # poll a condition for up to N seconds
# Everything the lab made (namespaces, processes) goes away on exit, also on failure.
# Safety: only documentation ranges (203.0.113.0/24, 198.51.100.0/24, 2001:db8::/32) and
# loopback are used, and nothing in the root namespace is ever changed.
set -euo pipefail

LAB="lt$$"
LAB_PIDS=()
LAB_NAMESPACES=()
LAB_TMP=$(mktemp -d "/tmp/${LAB}.XXXXXX")
LVSCTL=${LVSCTL:-lvsctl}

lab_log() { printf '[%s] %s\n' "$(date +%T.%3N)" "$*" >&2; }
lab_fail() { lab_log "FAIL: $*"; exit 1; }
# A skip is exit 77 (ctest SKIP_RETURN_CODE); CI sets LVSCTL_NO_SKIP=1, where a skip is a failure.
lab_skip() {
  if [ "${LVSCTL_NO_SKIP:-0}" = 1 ]; then echo "FAIL: would skip (LVSCTL_NO_SKIP=1): $*"; exit 1; fi
  echo "SKIP: $*"; exit 77
}

lab_require_root() {
  [ "$(id -u)" -eq 0 ] || lab_skip "netns tests need root"
  command -v ip >/dev/null || lab_skip "iproute2 (ip) is not installed"
}

lab_require() {  # lab_require CMD...: skip when a command is missing
  local c
  for c in "$@"; do command -v "$c" >/dev/null || lab_skip "$c is not installed"; done
}

lab_cleanup() {
  local rc=$?
  local pid ns
  for pid in "${LAB_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  sleep 0.2
  for pid in "${LAB_PIDS[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  for ns in "${LAB_NAMESPACES[@]}"; do
    # Any process still inside a namespace of ours was started by this test.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns delete "$ns" 2>/dev/null || true
  done
  rm -rf "$LAB_TMP"
  exit $rc
}
trap lab_cleanup EXIT
trap 'exit 130' INT TERM

lab_ns() {  # lab_ns NAME: create "${LAB}-NAME" with lo up
  local ns="${LAB}-$1"
  ip netns add "$ns"
  LAB_NAMESPACES+=("$ns")
  ip -n "$ns" link set lo up
}

lab_exec() { local ns="${LAB}-$1"; shift; ip netns exec "$ns" "$@"; }

lab_bridge() {  # the lab's switch: a bridge inside its own namespace
  [ -n "${LAB_HUB:-}" ] && return 0
  lab_ns hub
  LAB_HUB="${LAB}-hub"
  ip -n "$LAB_HUB" link add br0 type bridge
  ip -n "$LAB_HUB" link set br0 up
  # A switch, not a firewall: where br_netfilter is loaded, bridged frames would go through the
  # hub's (empty) iptables hooks, a third of the CPU of every packet sent in the lab. These
  # sysctls belong to the hub namespace (per namespace since Linux 5.3); absent without the module.
  local f
  for f in iptables ip6tables arptables; do
    ip netns exec "$LAB_HUB" sysctl -qw "net.bridge.bridge-nf-call-$f=0" 2>/dev/null || true
  done
}

lab_link() {  # lab_link NS IFNAME [ADDR/LEN ...]: veth from NS to the lab bridge
  local ns="${LAB}-$1" ifname=$2; shift 2
  lab_bridge
  local peer="p${#LAB_NAMESPACES[@]}$RANDOM"
  peer=${peer:0:15}
  ip link add "$peer" netns "$LAB_HUB" type veth peer name "$ifname" netns "$ns"
  ip -n "$LAB_HUB" link set "$peer" master br0 up
  ip -n "$ns" link set "$ifname" up
  local a
  for a in "$@"; do ip -n "$ns" addr add "$a" dev "$ifname"; done
}

lab_spawn() {  # lab_spawn NS CMD...: run in the background inside NS; sets LAB_LAST_PID
  local ns="${LAB}-$1"; shift
  ip netns exec "$ns" "$@" &
  LAB_LAST_PID=$!
  LAB_PIDS+=("$LAB_LAST_PID")
}

# In the VM (TCG, and in CI beside the netns tier) everything is several times slower: waits are
# deadlines for things that must happen, never measurements, so they are scaled there.
lab_wait() {  # lab_wait SECONDS "shell condition": 0 once true, 1 on timeout
  local secs=$1 cond=$2 deadline
  [ "${LVSCTL_IN_VM:-0}" = 1 ] && secs=$((secs * ${LAB_VM_WAIT_SCALE:-3}))
  deadline=$(( $(date +%s%N) + secs * 1000000000 ))
  while [ "$(date +%s%N)" -lt "$deadline" ]; do
    if eval "$cond" >/dev/null 2>&1; then return 0; fi
    sleep 0.05
  done
  return 1
}

lab_has_addr() {  # lab_has_addr NS IFNAME ADDR: the address is on the interface
  # Read the whole list first: `ip | grep -q` under pipefail fails when grep exits early.
  local list
  list=$(ip -n "${LAB}-$1" -o addr show dev "$2" 2>/dev/null) || return 1
  grep -qw "inet6\? $3\(/[0-9]*\)\?" <<<"$list"
}

lab_keepalived() {  # lab_keepalived NS CONF: keepalived 2.2.7 in NS with its own pid files
  local ns=$1 conf=$2 d="$LAB_TMP/ka-$1"
  mkdir -p "$d"
  rm -f "$d"/*.pid
  lab_spawn "$ns" keepalived -P -n -l -D -G -f "$conf" \
    -p "$d/keepalived.pid" -r "$d/vrrp.pid" -c "$d/checkers.pid" -b "$d/bfd.pid"
}
