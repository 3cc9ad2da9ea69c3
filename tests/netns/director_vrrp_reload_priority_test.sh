#!/usr/bin/env bash
# Issue 13 row 4: a SIGHUP that changes only the priority keeps the instance's state.
#  1. master d1 (priority 100) + backup d2 (50); d1 reloaded with priority 110: adverts captured
#     on d2's wire carry 110 afterwards, never priority 0, never gap by more than an interval +
#     slack; the VIP never leaves d1 (sampled every 20 ms) and never appears on d2; d2 never
#     enters MASTER.
#  2. d2 reloaded with priority 150 (above d1's 110, preemption on): it takes over by the normal
#     rules (its timer runs out on d1's lower adverts), without restarting its instance.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require timeout python3

dir_lab
dir_conf "$LAB_TMP/m.conf" 100 MASTER
dir_conf "$LAB_TMP/b.conf" 50 BACKUP
dir_lvsctl d1 "$LAB_TMP/m.conf"; m=$LAB_LAST_PID
lab_wait 15 "dir_vip_on d1" || lab_fail "VIP never on the master"
dir_lvsctl d2 "$LAB_TMP/b.conf"; b=$LAB_LAST_PID
lab_wait 15 "dir_backup_accepts d2" || lab_fail "the backup does not accept the master's adverts"

# Adverts on d2's wire, and the VIP's whereabouts every 20 ms, while d1 reloads.
lab_spawn d2 timeout 60 "$LVSCTL" director watch -i eth0 --timeout 50 >"$LAB_TMP/watch.out" 2>&1
watch=$LAB_LAST_PID
vipmon() {
  while :; do
    local on1=0 on2=0
    if dir_vip_on d1; then on1=1; fi
    if dir_vip_on d2; then on2=1; fi
    echo "$(date +%s.%N) $on1 $on2"
    sleep 0.02
  done
}
vipmon >"$LAB_TMP/vip.samples" &
mon=$!
LAB_PIDS+=("$mon")
lab_wait 10 "grep -q 'prio 100' '$LAB_TMP/watch.out'" || lab_fail "watch saw no advert of 100"

sed -i 's/priority 100/priority 110/' "$LAB_TMP/m.conf"
kill -HUP "$m"
lab_wait 20 "grep -q 'Reloaded in' '$LAB_TMP/d1.log'" || lab_fail "d1 did not reload"
lab_wait 15 "[ \$(grep -c 'prio 110' '$LAB_TMP/watch.out') -ge 4 ]" \
  || { cat "$LAB_TMP/watch.out" >&2; lab_fail "no adverts of 110 after the reload"; }
kill "$mon" "$watch" 2>/dev/null || true
wait "$mon" "$watch" 2>/dev/null || true

grep 'VRRPv2' "$LAB_TMP/watch.out" | grep ' 203.0.113.104 ' | sed 's/^\([0-9:.]*\) .* prio \([0-9]*\) .*/\1 \2/' \
  >"$LAB_TMP/adverts"
grep -q 'prio 0 ' "$LAB_TMP/watch.out" && { cat "$LAB_TMP/watch.out" >&2; lab_fail "a priority-0 advert was sent on reload"; }
python3 - "$LAB_TMP/adverts" "$LAB_TMP/vip.samples" <<'PY' || lab_fail "adverts or VIP not continuous (see above)"
import sys
def secs(t):
    h, m, s = t.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)
adverts = [(secs(t), int(p)) for t, p in (l.split() for l in open(sys.argv[1]) if l.strip())]
gaps = [b[0] - a[0] for a, b in zip(adverts, adverts[1:])]
print(f"{len(adverts)} adverts from d1, largest gap {max(gaps):.3f} s, priorities {sorted(set(p for _, p in adverts))}", file=sys.stderr)
ok = True
if max(gaps) > 1.5:
    print("FAIL: advert gap above interval + 0.5 s slack", file=sys.stderr); ok = False
if adverts[-1][1] != 110:
    print("FAIL: last advert not 110", file=sys.stderr); ok = False
samples = [l.split() for l in open(sys.argv[2]) if len(l.split()) == 3]
off = sum(1 for s in samples if s[1] != "1")
both = sum(1 for s in samples if s[2] != "0")
print(f"{len(samples)} VIP samples: {off} without the VIP on d1, {both} with it on d2", file=sys.stderr)
if off or both:
    ok = False
sys.exit(0 if ok else 1)
PY
grep -q 'Entering MASTER STATE' "$LAB_TMP/d2.log" && lab_fail "the backup became MASTER during the master's reload"
[ "$(dir_state d1)" = MASTER ] || lab_fail "d1 is not MASTER after its reload"
lab_log "priority 100 -> 110 on the master: state kept, adverts continuous, 110 on the wire"

# 2. The backup raised above the master: it preempts by the normal rules.
sed -i 's/priority 50/priority 150/' "$LAB_TMP/b.conf"
kill -HUP "$b"
lab_wait 20 "dir_vip_on d2 && ! dir_vip_on d1" || lab_fail "the backup raised to 150 did not take over"
[ "$(dir_state d2)" = MASTER ] || lab_fail "d2 not MASTER"
lab_wait 10 "[ \"\$(dir_state d1)\" = BACKUP ]" || lab_fail "d1 not BACKUP after d2 preempted"
[ "$(grep -c 'starting on' "$LAB_TMP/d2.log")" -eq 1 ] || lab_fail "d2's instance restarted instead of updating"
lab_log "backup raised 50 -> 150: preempted the master (110)"
dir_stop_pair "$m" "$b" "$VIP/32"
