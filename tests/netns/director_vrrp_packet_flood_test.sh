#!/usr/bin/env bash
# Issue 13 row 5: a flood of rejected VRRP packets must not flood the log. Master d1 (100) and
# backup d2 (50); a third namespace sends VRRPv2 packets with a bad checksum for VRID 100 to
# 224.0.0.18 as fast as it can for 4 s. Asserted: d1 logs the first in full and then at most a
# summary line per 10 s (fewer than 50 new log lines in all), its status counts the rejected
# packets (per reason too), it keeps the VIP and keeps advertising (the backup never becomes
# MASTER, never holds the VIP; adverts_sent grows through the flood).
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3

dir_lab
dir_conf "$LAB_TMP/m.conf" 100 MASTER
dir_conf "$LAB_TMP/b.conf" 50 BACKUP
dir_lvsctl d1 "$LAB_TMP/m.conf"; m=$LAB_LAST_PID
lab_wait 15 "dir_vip_on d1" || lab_fail "VIP never on the master"
dir_lvsctl d2 "$LAB_TMP/b.conf"; b=$LAB_LAST_PID
lab_wait 15 "dir_backup_accepts d2" || lab_fail "the backup does not accept the master's adverts"

field() {  # field NS KEY: a number of the first instance's status
  dir_status "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["vrrp_instances"][0][sys.argv[1]])' "$2"
}
sent_before=$(field d1 adverts_sent)
lines_before=$(wc -l <"$LAB_TMP/d1.log")

cat >"$LAB_TMP/flood.py" <<'PY'
import socket, struct, sys, time
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
body = bytes([0x21, 100, 200, 1, 1, 1, 0, 0]) + socket.inet_aton("203.0.113.100") + b"12345\0\0\0"
good = csum(body)
pkt = body[:6] + struct.pack("!H", good ^ 0x5a5a) + body[8:]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("203.0.113.10"))
end, n = time.monotonic() + float(sys.argv[1]), 0
while time.monotonic() < end and n < 2_000_000:
    for _ in range(100):
        s.sendto(pkt, ("224.0.0.18", 0))
    n += 100
print(n)
PY
lab_exec cl python3 "$LAB_TMP/flood.py" 4 >"$LAB_TMP/flood.count" || lab_fail "the flood did not run"
sent=$(cat "$LAB_TMP/flood.count")
lab_log "sent $sent bad-checksum packets in 4 s"
# Let the master read what is queued and advertise a few more times.
lab_wait 10 "[ \$(field d1 adverts_sent) -ge $((sent_before + 5)) ]" || lab_fail "d1 stopped advertising"
rejected=$(field d1 adverts_rejected)
new_lines=$(( $(wc -l <"$LAB_TMP/d1.log") - lines_before ))
lab_log "d1: $rejected rejected, $new_lines new log lines"
tail -n "$new_lines" "$LAB_TMP/d1.log" >&2
[ "$rejected" -ge 1000 ] || lab_fail "d1 counted only $rejected rejected packets"
[ "$new_lines" -lt 50 ] || lab_fail "$new_lines log lines for one flood"
grep -q 'ignored a packet from 203.0.113.10 on eth0: bad checksum' "$LAB_TMP/d1.log" \
  || lab_fail "the first rejected packet was not logged in full"
dir_status d1 | python3 -c 'import json,sys; s=json.load(sys.stdin)["vrrp_instances"][0]; sys.exit(0 if s["packet_issues"].get("bad checksum",0) >= 1000 else 1)' \
  || lab_fail "no per-reason count of bad checksums in status"
# The flood's tail comes out as one summary line once the interval (10 s) has passed.
lab_wait 25 "grep -q 'more packets rejected on eth0: bad checksum (last from 203.0.113.10)' '$LAB_TMP/d1.log'" \
  || lab_fail "no summary line for the suppressed packets"
grep 'more packets rejected' "$LAB_TMP/d1.log" >&2
dir_vip_on d1 || lab_fail "d1 lost its VIP"
dir_vip_on d2 && lab_fail "d2 holds the VIP"
grep -q 'Entering MASTER STATE' "$LAB_TMP/d2.log" && lab_fail "the backup became MASTER during the flood"
[ "$(dir_state d1)" = MASTER ] || lab_fail "d1 not MASTER after the flood"
lab_log "flood: bounded log, VIP kept, adverts kept"
dir_stop_pair "$m" "$b" "$VIP/32"
