#!/usr/bin/env bash
# lvs_notify_fifo / notify_fifo: the health checks' lines in keepalived 2.2.7's format
# (check/ipwrapper.c: "VS %s %s" / "RS %s %s %s" with "[ADDR]:proto:PORT"), written where
# keepalived writes them — the quorum gained at start, a real server going down and up, the
# quorum lost and regained — on a real TCP_CHECK against real servers. lvs_notify_fifo gets only
# these lines, vrrp_notify_fifo only the VRRP ones, notify_fifo both. (keepalived's checker needs
# IPVS, which this host kernel lacks: the expected lines are keepalived's format, written out.)
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 nft

lab_ns d1; lab_ns r1; lab_ns r2
lab_link d1 eth0 203.0.113.104/24
lab_link r1 eth0 203.0.113.101/24
lab_link r2 eth0 203.0.113.102/24

cat >"$LAB_TMP/tcp.py" <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8080))
s.listen(16)
while True:
    c, _ = s.accept()
    c.close()
PY
tcp_server() {  # tcp_server NS: sets LAB_LAST_PID once the port listens
  lab_spawn "$1" python3 "$LAB_TMP/tcp.py"
  lab_wait 10 "lab_exec $1 ss -Htln 'sport = :8080' | grep -q 8080" || lab_fail "no TCP server in $1"
}
tcp_server r1; r1=$LAB_LAST_PID

reader() {  # reader FIFO OUT: keeps FIFO open, copies whole lines to OUT
  rm -f "$1"; mkfifo "$1"
  python3 -c '
import os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
out = open(sys.argv[2], "w", buffering=1)
buf = b""
while True:
    chunk = os.read(fd, 4096)
    if not chunk: break
    buf += chunk
    while b"\n" in buf:
        line, buf = buf.split(b"\n", 1)
        out.write(line.decode() + "\n")
' "$1" "$2" &
  LAB_PIDS+=("$!")
}
reader "$LAB_TMP/all.fifo" "$LAB_TMP/all.lines"
reader "$LAB_TMP/lvs.fifo" "$LAB_TMP/lvs.lines"
reader "$LAB_TMP/vrrp.fifo" "$LAB_TMP/vrrp.lines"

cat >"$LAB_TMP/lvs.conf" <<CONF
global_defs {
    lb_backend nftables
    notify_fifo $LAB_TMP/all.fifo
    lvs_notify_fifo $LAB_TMP/lvs.fifo
    vrrp_notify_fifo $LAB_TMP/vrrp.fifo
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 62
    priority 100
    advert_int 1
    virtual_ipaddress {
        $VIP/24
    }
}
virtual_server $VIP 8080 {
    delay_loop 1
    lvs_sched rr
    lvs_method NAT
    protocol TCP
    real_server 203.0.113.101 8080 {
        TCP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
    real_server 203.0.113.102 8080 {
        TCP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
}
CONF
"$LVSCTL" director check-config -f "$LAB_TMP/lvs.conf" >"$LAB_TMP/cc.out" 2>&1 || lab_fail "check-config: $(cat "$LAB_TMP/cc.out")"
grep -q "lvs_notify_fifo" "$LAB_TMP/cc.out" && lab_fail "lvs_notify_fifo still warned: $(cat "$LAB_TMP/cc.out")"
dir_lvsctl d1 "$LAB_TMP/lvs.conf"

vs="[$VIP]:tcp:8080"
rs1="[203.0.113.101]:tcp:8080"
rs2="[203.0.113.102]:tcp:8080"
lines() { grep -c . "$LAB_TMP/lvs.lines" 2>/dev/null || true; }
# Start: both real servers count alive (no alpha), the quorum is gained; r2 answers nothing.
lab_wait 20 '[ "$(lines)" -ge 2 ]' || lab_fail "start: $(cat "$LAB_TMP/lvs.lines")"
lab_log "start: $(tr '\n' '|' <"$LAB_TMP/lvs.lines")"
# r1 goes down: the last live server, so the quorum goes too.
kill "$r1"; wait "$r1" 2>/dev/null || true
lab_wait 20 '[ "$(lines)" -ge 4 ]' || lab_fail "r1 down: $(cat "$LAB_TMP/lvs.lines")"
# r1 comes back.
tcp_server r1
lab_wait 20 '[ "$(lines)" -ge 6 ]' || lab_fail "r1 up: $(cat "$LAB_TMP/lvs.lines")"
lab_wait 20 'grep -q "INSTANCE \"VI_1\" MASTER 100" "$LAB_TMP/vrrp.lines"' || lab_fail "no VRRP line: $(cat "$LAB_TMP/vrrp.lines")"

cat >"$LAB_TMP/expected" <<EXP
VS $vs UP
RS $rs2 $vs DOWN
RS $rs1 $vs DOWN
VS $vs DOWN
RS $rs1 $vs UP
VS $vs UP
EXP
diff -u "$LAB_TMP/expected" "$LAB_TMP/lvs.lines" || lab_fail "lvs_notify_fifo lines differ from keepalived's (- expected, + lvsctl)"
grep -v '^INSTANCE ' "$LAB_TMP/all.lines" | diff -u "$LAB_TMP/expected" - \
  || lab_fail "notify_fifo: the checker lines differ"
grep -q '^INSTANCE "VI_1" MASTER 100$' "$LAB_TMP/all.lines" || lab_fail "notify_fifo: no VRRP line"
grep -qE '^(VS|RS) ' "$LAB_TMP/vrrp.lines" && lab_fail "vrrp_notify_fifo got checker lines: $(cat "$LAB_TMP/vrrp.lines")"
grep -q '^INSTANCE' "$LAB_TMP/lvs.lines" && lab_fail "lvs_notify_fifo got VRRP lines"
lab_log "PASS: $(tr '\n' '|' <"$LAB_TMP/lvs.lines")"
