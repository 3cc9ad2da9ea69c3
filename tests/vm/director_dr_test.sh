#!/bin/bash
# vm tier: a real DR path. Client, director and two real servers in namespaces on one bridge;
# the real servers hold the VIP on lo (arp_ignore=1, arp_announce=2, set before the VIP), the
# director runs `lvsctl director run` with a DR virtual server (rr) and holds the VIP on its
# interface (no vrrp_instance). The client connects to the VIP several times and must be
# answered by both real servers.
. "${LVSCTL_SOURCE_DIR:?}/tests/lib/netns.sh"
lab_require_root
lab_require ipvsadm python3
[ "${LVSCTL_IN_VM:-0}" = 1 ] || lab_skip "needs real IPVS: runs in the vm tier only"
[ -x "${LVSCTL:-}" ] || lab_skip "LVSCTL does not point at the built lvsctl"
PY=/usr/bin/python3; [ -x "$PY" ] || PY=$(command -v python3)

VIP=203.0.113.100 PORT=8000
lab_ns client; lab_ns dir; lab_ns rs1; lab_ns rs2
lab_link client eth0 203.0.113.10/24
lab_link dir eth0 203.0.113.2/24 "$VIP/24"
for i in 1 2; do
  lab_link "rs$i" eth0 "203.0.113.1$i/24"
  for k in all eth0; do
    lab_exec "rs$i" sysctl -qw "net.ipv4.conf.$k.arp_ignore=1" "net.ipv4.conf.$k.arp_announce=2"
  done
  lab_exec "rs$i" ip addr add "$VIP/32" dev lo
done

cat >"$LAB_TMP/server.py" <<'PYEOF'
import socket, sys, threading
name, port = sys.argv[1], int(sys.argv[2])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", port))
s.listen(16)
def serve(c):
    with c:
        c.sendall((name + "\n").encode())
        for line in c.makefile("rb"):
            c.sendall(line)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PYEOF
cat >"$LAB_TMP/hello.py" <<'PYEOF'
import socket, sys
with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5) as c:
    print(c.makefile("rb").readline().decode().strip())
PYEOF
for i in 1 2; do lab_spawn "rs$i" "$PY" "$LAB_TMP/server.py" "rs$i" "$PORT"; done

cat >"$LAB_TMP/dr.conf" <<EOF
virtual_server $VIP $PORT {
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 203.0.113.11 $PORT {
        weight 1
    }
    real_server 203.0.113.12 $PORT {
        weight 1
    }
}
EOF
mkdir -p "$LAB_TMP/run"
lab_spawn dir "$LVSCTL" director run -f "$LAB_TMP/dr.conf" --run-dir "$LAB_TMP/run" >"$LAB_TMP/lvsctl.log" 2>&1
lab_wait 30 "[ \$(lab_exec dir ipvsadm -S -n | grep -c -- '-r 203.0.113.1[12]:$PORT') -eq 2 ]" ||
  { cat "$LAB_TMP/lvsctl.log" >&2; lab_fail "the director did not program both real servers"; }
for i in 1 2; do
  lab_wait 30 "[ -n \"\$(lab_exec rs$i ss -Hltn 'sport = :$PORT')\" ]" ||
    lab_fail "rs$i's server did not start"
done

answers=""
for n in 1 2 3 4; do
  a=$(lab_exec client "$PY" "$LAB_TMP/hello.py" "$VIP" "$PORT") || lab_fail "connection $n to $VIP:$PORT failed"
  answers="$answers $a"
done
lab_log "answers from $VIP:$PORT:$answers"
grep -qw rs1 <<<"$answers" || lab_fail "rs1 never answered:$answers"
grep -qw rs2 <<<"$answers" || lab_fail "rs2 never answered:$answers"
lab_exec dir ipvsadm -Ln --stats >&2
lab_exec dir "$LVSCTL" director status --run-dir "$LAB_TMP/run" >&2 || lab_fail "lvsctl director status failed"
lab_log "DR path: both real servers answered through the VIP"
