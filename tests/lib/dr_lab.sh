# DR lab for vm-tier tests (source after tests/lib/netns.sh): client, director and two real
# servers in namespaces on one bridge. The real servers hold the VIP on lo (arp_ignore=1,
# arp_announce=2, set before the VIP) and run a TCP server that greets with its name ("rs1",
# "rs2") and then echoes lines. The director holds the VIP on eth0 (no vrrp_instance needed).
#   dr_lab PORT      build it (VIP 203.0.113.100, client .10, director .2, rs1 .11, rs2 .12)
#   dr_hello         one connection from the client: prints the greeting (the real server name)
#   dr_start_server N  (re)start rs N's server; DR_SERVER_PID[N] holds its pid
#   dr_lvsctl_run CONF  start `lvsctl director run` in the director (log $LAB_TMP/lvsctl.log,
#                    run dir $LAB_TMP/run); sets DR_LVSCTL_PID
#   dr_wait_dests N  wait until ipvsadm lists N destinations for the VIP:PORT
DR_VIP=203.0.113.100
DR_PY=/usr/bin/python3; [ -x "$DR_PY" ] || DR_PY=$(command -v python3)
declare -a DR_SERVER_PID

dr_lab() {
  DR_PORT=$1
  lab_ns client; lab_ns dir; lab_ns rs1; lab_ns rs2
  lab_link client eth0 203.0.113.10/24
  lab_link dir eth0 203.0.113.2/24 "$DR_VIP/24"
  local i k
  for i in 1 2; do
    lab_link "rs$i" eth0 "203.0.113.1$i/24"
    for k in all eth0; do
      lab_exec "rs$i" sysctl -qw "net.ipv4.conf.$k.arp_ignore=1" "net.ipv4.conf.$k.arp_announce=2"
    done
    lab_exec "rs$i" ip addr add "$DR_VIP/32" dev lo
  done
  cat >"$LAB_TMP/server.py" <<'PYEOF'
import socket, sys, threading
name, port = sys.argv[1], int(sys.argv[2])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", port))
s.listen(64)
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
  for i in 1 2; do dr_start_server "$i"; done
}

dr_start_server() {
  lab_spawn "rs$1" "$DR_PY" "$LAB_TMP/server.py" "rs$1" "$DR_PORT"
  DR_SERVER_PID[$1]=$LAB_LAST_PID
  lab_wait 30 "[ -n \"\$(lab_exec rs$1 ss -Hltn 'sport = :$DR_PORT')\" ]" ||
    lab_fail "rs$1's server did not start"
}

dr_hello() { lab_exec client "$DR_PY" "$LAB_TMP/hello.py" "$DR_VIP" "$DR_PORT"; }

dr_lvsctl_run() {
  mkdir -p "$LAB_TMP/run"
  lab_spawn dir "$LVSCTL" director run -f "$1" --run-dir "$LAB_TMP/run" >"$LAB_TMP/lvsctl.log" 2>&1
  DR_LVSCTL_PID=$LAB_LAST_PID
}

dr_wait_dests() {
  lab_wait 30 "[ \$(lab_exec dir ipvsadm -S -n | grep -c -- '-r 203.0.113.1[12]:$DR_PORT') -eq $1 ]" ||
    { cat "$LAB_TMP/lvsctl.log" >&2; lab_fail "the director did not program $1 real servers"; }
}
