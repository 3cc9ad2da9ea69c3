# Helpers for the director fault suite (source after netns.sh and director.sh).
#   fault_pair [EXTRA_RUN_ARGS...]   # dir_lab, master (d1, prio 100) + backup (d2, prio 50),
#                                    # advert_int 1, a `director watch` capture in cl; sets
#                                    # FAULT_M / FAULT_B (pids) and FAULT_RUN (master's run dir)
#   fault_mark                       # prints the wall time "now" (seconds of the day)
#   fault_max_gap T0 T1              # the master's longest gap between adverts in [T0, T1] (s),
#                                    # boundaries included (no advert at all: T1 - T0)
#   fault_assert_held WHAT T0 T1     # the master is alive, holds the VIP alone, the backup never
#                                    # took over, adverts never gapped > FAULT_MAX_GAP, RSS bounded
FAULT_MAX_GAP=${FAULT_MAX_GAP:-1.6}    # advert_int 1 + slack for a loaded machine
FAULT_MAX_RSS_KB=${FAULT_MAX_RSS_KB:-65536}

fault_spawn() {  # fault_spawn NS CONF [EXTRA...]: like dir_lvsctl, with extra run arguments;
  # the daemon creates its run dir ($LAB_TMP/run-NS)
  local ns=$1 conf=$2; shift 2
  lab_spawn "$ns" "$LVSCTL" --log-level debug director run -f "$conf" --run-dir "$LAB_TMP/run-$ns" \
    "$@" >>"$LAB_TMP/$ns.log" 2>&1
}

fault_pair() {
  dir_lab
  dir_conf "$LAB_TMP/m.conf" 100 MASTER
  dir_conf "$LAB_TMP/b.conf" 50 BACKUP
  fault_spawn d1 "$LAB_TMP/m.conf" "$@"; FAULT_M=$LAB_LAST_PID
  fault_spawn d2 "$LAB_TMP/b.conf"; FAULT_B=$LAB_LAST_PID
  FAULT_RUN=$LAB_TMP/run-d1
  lab_spawn cl "$LVSCTL" director watch -i eth0 >"$LAB_TMP/watch.out" 2>"$LAB_TMP/watch.err"
  lab_wait 15 "dir_vip_on d1" || lab_fail "VIP not on the master"
  lab_wait 15 "dir_backup_accepts d2" || lab_fail "backup not BACKUP with adverts accepted"
  lab_wait 10 '[ "$(grep -c "203.0.113.104 > 224.0.0.18" "$LAB_TMP/watch.out")" -ge 2 ]' \
    || lab_fail "the capture in cl sees no adverts of the master"
}

fault_mark() { date +%H:%M:%S.%N | awk -F: '{ printf "%.6f\n", $1 * 3600 + $2 * 60 + $3 }'; }

fault_max_gap() {
  python3 - "$LAB_TMP/watch.out" "$1" "$2" <<'PY'
import sys
path, t0, t1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
times = []
for line in open(path, errors="replace"):
    parts = line.split()
    if len(parts) < 6 or parts[2] != "203.0.113.104" or "vrid 100" not in line:
        continue
    h, m, s = parts[0].split(":")
    t = int(h) * 3600 + int(m) * 60 + float(s)
    if t0 <= t <= t1:
        times.append(t)
points = [t0] + times + [t1]
print("%.3f" % max(b - a for a, b in zip(points, points[1:])))
PY
}

fault_rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

fault_assert_held() {  # fault_assert_held WHAT T0 T1
  local what=$1 gap rss
  gap=$(fault_max_gap "$2" "$3")
  rss=$(fault_rss_kb "$FAULT_M" 2>/dev/null || echo 0)
  lab_log "$what: longest advert gap ${gap} s, master RSS ${rss} kB"
  kill -0 "$FAULT_M" 2>/dev/null || lab_fail "$what: the master died (log: $(tail -n 5 "$LAB_TMP/d1.log"))"
  dir_vip_on d1 || lab_fail "$what: the VIP left the master"
  dir_vip_on d2 && lab_fail "$what: the VIP is on both directors"
  grep -q "Entering MASTER" "$LAB_TMP/d2.log" && lab_fail "$what: the backup took over"
  python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$gap" \
    "$FAULT_MAX_GAP" || lab_fail "$what: the master's adverts gapped ${gap} s (> $FAULT_MAX_GAP s)"
  [ "$rss" -lt "$FAULT_MAX_RSS_KB" ] || lab_fail "$what: master RSS ${rss} kB (>= $FAULT_MAX_RSS_KB kB)"
}
