# NAT lab for comparing datapaths (source after tests/lib/netns.sh): a client, a director and two
# real servers, no VRRP. The client (203.0.113.10, plus sources .20-.27 for per-client checks)
# and the director (eth0 203.0.113.2 with the VIP 203.0.113.100) share one switch; the director
# (eth1 198.51.100.1) and the real servers (rs1 .11, rs2 .12, default route via the director)
# another. Every real server answers each TCP connection on the given ports with its name and
# closes it. Used by tests/vm/director_backend_parity_test.sh and bench/vip_rps.sh.
#   nat_lab [PORT...]      build it and start the real servers' listeners (python, one process
#                          per real server) on the ports given
#   nat_run BACKEND CONF   start `lvsctl director run --lb-backend BACKEND` in the director
#                          (log $LAB_TMP/BACKEND.log); sets NAT_LVSCTL_PID
#   nat_stop               stop it (SIGTERM) and wait; IPVS services are removed with ipvsadm -C
#   nat_ask PORT COUNT [SOURCE...]  COUNT connections to VIP:PORT (from each SOURCE in turn, or
#                          the default address): one "SOURCE NAME" line per connection
NAT_VIP=203.0.113.100
NAT_PY=/usr/bin/python3; [ -x "$NAT_PY" ] || NAT_PY=$(command -v python3)
NAT_SOURCES="203.0.113.20 203.0.113.21 203.0.113.22 203.0.113.23 203.0.113.24 203.0.113.25 203.0.113.26 203.0.113.27"

nat_lab() {
  lab_ns client; lab_ns dir; lab_ns rs1; lab_ns rs2
  lab_link client eth0 203.0.113.10/24
  local a
  for a in $NAT_SOURCES; do lab_exec client ip addr add "$a/24" dev eth0; done
  lab_link dir eth0 203.0.113.2/24 "$NAT_VIP/24"
  ip -n "$LAB_HUB" link add br1 type bridge
  ip -n "$LAB_HUB" link set br1 up
  local ns addr peer i=0
  for ns in dir rs1 rs2; do
    case $ns in dir) addr=198.51.100.1 ;; rs1) addr=198.51.100.11 ;; rs2) addr=198.51.100.12 ;; esac
    i=$((i + 1)); peer="n$i$RANDOM"; peer=${peer:0:15}
    ip link add "$peer" netns "$LAB_HUB" type veth peer name eth1 netns "${LAB}-$ns"
    ip -n "$LAB_HUB" link set "$peer" master br1 up
    lab_exec "$ns" ip link set eth1 up
    lab_exec "$ns" ip addr add "$addr/24" dev eth1
  done
  lab_exec rs1 ip route add default via 198.51.100.1
  lab_exec rs2 ip route add default via 198.51.100.1
  lab_exec dir sysctl -qw net.ipv4.ip_forward=1
  cat >"$LAB_TMP/name_server.py" <<'PYEOF'
import selectors, socket, sys
name, ports = sys.argv[1].encode() + b"\n", [int(p) for p in sys.argv[2:]]
sel = selectors.DefaultSelector()
for port in ports:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", port))
    s.listen(512)
    sel.register(s, selectors.EVENT_READ)
while True:
    for key, _ in sel.select():
        try:
            c, _ = key.fileobj.accept()
        except OSError:
            continue
        try:
            c.sendall(name)
        except OSError:
            pass
        c.close()
PYEOF
  cat >"$LAB_TMP/ask.py" <<'PYEOF'
import socket, sys
vip, port, count, sources = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:] or [""]
for src in sources:
    for _ in range(count):
        try:
            with socket.create_connection((vip, port), timeout=5,
                                          source_address=(src, 0) if src else None) as c:
                name = c.makefile("rb").readline().decode().strip() or "empty"
        except OSError as e:
            name = "failed"
        print(src or "default", name, flush=True)
PYEOF
  [ $# -gt 0 ] || return 0
  for ns in rs1 rs2; do
    lab_spawn "$ns" "$NAT_PY" "$LAB_TMP/name_server.py" "$ns" "$@"
  done
  for ns in rs1 rs2; do
    lab_wait 60 "[ \$(lab_exec $ns ss -Hltn | wc -l) -ge $# ]" || lab_fail "$ns's listeners did not start"
  done
}

nat_run() {
  mkdir -p "$LAB_TMP/run-$1"
  lab_spawn dir "$LVSCTL" director run --lb-backend "$1" -f "$2" --run-dir "$LAB_TMP/run-$1" \
    >"$LAB_TMP/$1.log" 2>&1
  NAT_LVSCTL_PID=$LAB_LAST_PID
}

nat_stop() {
  kill -TERM "$NAT_LVSCTL_PID" 2>/dev/null || true
  lab_wait 30 "! kill -0 $NAT_LVSCTL_PID 2>/dev/null" || lab_fail "lvsctl did not stop"
  if command -v ipvsadm >/dev/null && [ -e /proc/net/ip_vs ]; then lab_exec dir ipvsadm -C; fi
}

nat_ask() {
  local port=$1 count=$2; shift 2
  lab_exec client "$NAT_PY" "$LAB_TMP/ask.py" "$NAT_VIP" "$port" "$count" "$@"
}
