#!/usr/bin/env bash
# notify_fifo / vrrp_notify_fifo: lvsctl writes the same lines as keepalived 2.2.7 running the
# same file (`INSTANCE "VI_1" MASTER 100`, `GROUP "G1" ...`, STOP on SIGTERM), and a FIFO nobody
# reads never blocks it: with no reader at all it still becomes MASTER and answers status.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 keepalived

dir_lab
fifo="$LAB_TMP/notify.fifo"
conf="$LAB_TMP/fifo.conf"
cat >"$conf" <<CONF
global_defs {
   router_id FIFO
   notify_fifo $fifo
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        $VIP/24
    }
}
CONF

run() {  # run IMPL -> $LAB_TMP/IMPL.fifo
  local impl=$1 pid reader
  lab_log "--- $impl"
  rm -f "$fifo"; mkfifo "$fifo"
  # The reader keeps the FIFO open across the writer's restarts and ends with the test.
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
' "$fifo" "$LAB_TMP/$impl.fifo" &
  reader=$!; LAB_PIDS+=("$reader")
  dir_start "$impl" d1 "$conf"; pid=$LAB_LAST_PID
  lab_wait 20 "grep -q 'MASTER' $LAB_TMP/$impl.fifo" || lab_fail "$impl: no MASTER line ($(cat "$LAB_TMP/$impl.fifo"))"
  kill -TERM "$pid"
  lab_wait 15 "! kill -0 $pid 2>/dev/null" || lab_fail "$impl did not stop"
  lab_wait 5 "grep -q 'STOP' $LAB_TMP/$impl.fifo" || true
  sleep 0.5
  kill "$reader" 2>/dev/null || true
  ip -n "${LAB}-d1" addr del "$VIP/24" dev eth0 2>/dev/null || true
}

run keepalived
run lvsctl
lab_log "keepalived: $(tr '\n' '|' <"$LAB_TMP/keepalived.fifo")"
lab_log "lvsctl:     $(tr '\n' '|' <"$LAB_TMP/lvsctl.fifo")"
grep -qx 'INSTANCE "VI_1" MASTER 100' "$LAB_TMP/lvsctl.fifo" || lab_fail "lvsctl: no INSTANCE \"VI_1\" MASTER 100 line"
diff -u "$LAB_TMP/keepalived.fifo" "$LAB_TMP/lvsctl.fifo" || lab_fail "FIFO lines differ from keepalived's (- keepalived, + lvsctl)"

lab_log "--- a FIFO without a reader never blocks lvsctl"
rm -f "$fifo"; mkfifo "$fifo"
dir_lvsctl d1 "$conf"; pid=$LAB_LAST_PID
lab_wait 20 "dir_vip_on d1" || lab_fail "no reader: lvsctl did not become MASTER"
dir_status d1 >/dev/null || lab_fail "no reader: status did not answer"
kill -TERM "$pid"
lab_wait 15 "! kill -0 $pid 2>/dev/null" || lab_fail "no reader: lvsctl did not stop"
lab_log "PASS: the same FIFO lines as keepalived 2.2.7; no reader blocks nothing"
