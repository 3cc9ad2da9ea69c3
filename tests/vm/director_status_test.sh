#!/bin/bash
# vm tier: `lvsctl director status` must not hold the daemon's event loop while the kernel's
# IPVS table is dumped (one netlink request per service: seconds for thousands of services).
# A VRRP pair (d1 MASTER priority 100, d2 BACKUP priority 50, advert_int 1); d1 also programs
# STATUS_SERVICES (3000) virtual services. While d1 answers four status requests sent at once
# (JSON and text; one dump at a time, the others wait), its adverts must keep flowing: d2 must
# stay BACKUP (a stall longer than Master_Down, 3.8 s, makes it take over: split brain; the old
# daemon dumped on its event loop, about 1.7 s per request here) and every answer must hold the
# whole table. Prints when each answer came and the largest advert gap d2 saw meanwhile.
. "${LVSCTL_SOURCE_DIR:?}/tests/lib/netns.sh"
. "${LVSCTL_SOURCE_DIR}/tests/lib/director.sh"
lab_require_root
lab_require ipvsadm python3 tcpdump
[ "${LVSCTL_IN_VM:-0}" = 1 ] || lab_skip "needs real IPVS: runs in the vm tier only"
[ -x "${LVSCTL:-}" ] || lab_skip "LVSCTL does not point at the built lvsctl"
SERVICES=${STATUS_SERVICES:-3000}

dir_lab
dir_conf "$LAB_TMP/master.conf" 100 MASTER
dir_conf "$LAB_TMP/backup.conf" 50 BACKUP
for ((i = 0; i < SERVICES; i++)); do
  port=$((10000 + i))
  printf 'virtual_server %s %d {\n  lb_algo rr\n  lb_kind DR\n  protocol TCP\n  real_server 203.0.113.11 %d {\n    weight 1\n  }\n}\n' \
    "$VIP" "$port" "$port"
done >>"$LAB_TMP/master.conf"

dir_lvsctl d1 "$LAB_TMP/master.conf"
dir_lvsctl d2 "$LAB_TMP/backup.conf"
programmed() { [ "$(lab_exec d1 grep -c '^TCP' /proc/net/ip_vs)" -eq "$SERVICES" ]; }
lab_wait 300 programmed ||
  { tail -n 20 "$LAB_TMP/d1.log" >&2; lab_fail "d1 did not program $SERVICES services"; }
lab_wait 30 "dir_vip_on d1 && dir_backup_accepts d2" ||
  { tail -n 20 "$LAB_TMP/d1.log" "$LAB_TMP/d2.log" >&2; lab_fail "the pair did not settle"; }
lab_log "$SERVICES services programmed; d1 MASTER, d2 BACKUP"
# d2 may have been MASTER while d1 was still programming its table at start (d1's VRRP starts
# after its first apply): only a takeover from here on is a stall.
d2_mark=$(dir_log_mark d2)

lab_spawn d2 tcpdump -i eth0 -n -tt -l 'ip proto 112 and src 203.0.113.104' >"$LAB_TMP/adverts" 2>/dev/null
lab_wait 10 "[ \$(wc -l <'$LAB_TMP/adverts') -ge 2 ]" || lab_fail "d2 captures no advert from d1"

# Four requests at once (JSON and text, twice): one dump runs, the others wait their turn. The
# old daemon dumped on its event loop, one request after another: no advert for 4 dumps.
start=$(date +%s.%N)
requests=(json text json text)
clients=()
for i in "${!requests[@]}"; do
  flag=; [ "${requests[$i]}" = json ] && flag=--json
  (
    rc=0
    lab_exec d1 "$LVSCTL" director status $flag --timeout 60 --run-dir "$LAB_TMP/run-d1" >"$LAB_TMP/status.$i" \
      2>"$LAB_TMP/status.$i.err" || rc=$?
    echo "$rc $(date +%s.%N)" >"$LAB_TMP/status.$i.done"
  ) &
  clients+=($!)
done
wait "${clients[@]}"
end=$(date +%s.%N)
sleep 1.5  # the next advert closes the last gap

python3 - "$LAB_TMP" "$start" "$end" "${#requests[@]}" <<'PYEOF' >&2
import sys
tmp, start, end, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
times = [float(l.split()[0]) for l in open(tmp + "/adverts") if l[:1].isdigit()]
gaps = [b - a for a, b in zip(times, times[1:]) if b >= start and a <= end]  # overlapping it
answered = sorted(float(open(f"{tmp}/status.{i}.done").read().split()[1]) - start for i in range(n))
print(f"{n} status requests at once answered after " + ", ".join(f"{t:.2f}" for t in answered) +
      f" s; largest gap between d1's adverts meanwhile {max(gaps, default=float('nan')):.2f} s")
PYEOF
dir_log_since d2 "$d2_mark" | grep -q "Entering MASTER" &&
  lab_fail "d2 took over while d1 answered status: d1's adverts stalled (split brain)"
for i in "${!requests[@]}"; do
  read -r rc _ <"$LAB_TMP/status.$i.done"
  [ "$rc" -le 1 ] || lab_fail "status ${requests[$i]} failed (exit $rc): $(cat "$LAB_TMP/status.$i.err")"
done
python3 -c '
import json, sys
n = int(sys.argv[1])
for path in sys.argv[2:]:
    s = json.load(open(path))
    assert s["ipvs"]["available"] and "error" not in s["ipvs"], s["ipvs"].get("error")
    assert len(s["ipvs"]["services"]) == n, len(s["ipvs"]["services"])
    assert all(len(v["destinations"]) == 1 for v in s["ipvs"]["services"])
    assert s["vrrp_instances"][0]["state"] == "MASTER", s["vrrp_instances"][0]
' "$SERVICES" "$LAB_TMP/status.0" "$LAB_TMP/status.2" || lab_fail "status --json is not the whole table"
for i in 1 3; do
  [ "$(grep -c '^TCP  ' "$LAB_TMP/status.$i")" -eq "$SERVICES" ] ||
    lab_fail "status (text) does not list $SERVICES services: $(head -c 300 "$LAB_TMP/status.$i")"
done
dir_backup_accepts d2 || lab_fail "d2 is not BACKUP after the status requests"
dir_vip_on d2 && lab_fail "the VIP is on d2 too (split brain)"
lab_log "PASS: adverts kept flowing while the daemon dumped $SERVICES services for 4 status requests"
