#!/usr/bin/env bash
# bench/metrics_scrape_jitter.sh [SECONDS]: do Prometheus scrapes delay VRRP adverts?
# A master (v3, advert_int 0.1 s, 1,000 real servers in 100 virtual servers so a scrape renders
# ~5,000 samples) with --metrics-listen, its adverts captured with kernel timestamps in another
# namespace; SECONDS (default 20) without a scraper, then SECONDS with one scraping /metrics 10
# times a second. Prints, per phase: adverts, the interval between adverts (mean, stddev, p99,
# max) and the scrape size and mean scrape time. Figures only, no assertions (bench/ rule).
# Needs root. LVSCTL=path/to/lvsctl (default build/lvsctl).
here=$(cd "$(dirname "$0")" && pwd)
LVSCTL=${LVSCTL:-$here/../build/lvsctl}
. "$here/../tests/lib/netns.sh"
. "$here/../tests/lib/director.sh"
lab_require_root
lab_require python3 tcpdump
SECS=${1:-20}

dir_lab
dir_conf "$LAB_TMP/m.conf" 100 MASTER 3 12345 0.1
for v in $(seq 1 100); do
  printf 'virtual_server 198.51.100.%d 80 {\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n' "$v"
  for r in $(seq 1 10); do printf '    real_server 203.0.113.%d 8080 {\n        weight 1\n    }\n' $((r + 10)); done
  printf '}\n'
done >>"$LAB_TMP/m.conf"
metrics_args=(--metrics-listen 127.0.0.1:9650)
mkdir -p "$LAB_TMP/run-d1"
lab_spawn d1 "$LVSCTL" director run -f "$LAB_TMP/m.conf" --run-dir "$LAB_TMP/run-d1" "${metrics_args[@]}" \
  >>"$LAB_TMP/d1.log" 2>&1
lab_wait 30 "dir_vip_on d1" || lab_fail "the master never held the VIP: $(tail -3 "$LAB_TMP/d1.log")"
dir_capture cl "$LAB_TMP/cap"; capture=$LAB_LAST_PID
sleep 2  # settle: the first adverts after start are not the steady state

mark() { date +%s.%N; }
t0=$(mark); sleep "$SECS"; t1=$(mark)
lab_spawn d1 python3 -c 'import sys, time, urllib.request
n = 0; total = 0.0; size = 0; end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    start = time.monotonic()
    body = urllib.request.urlopen("http://127.0.0.1:9650/metrics", timeout=2).read()
    took = time.monotonic() - start; n += 1; total += took; size = len(body)
    time.sleep(max(0.0, 0.1 - took))
open(sys.argv[2], "w").write(f"{n} {total / max(n, 1) * 1000:.2f} {size}\n")' "$SECS" "$LAB_TMP/scrapes"
scraper=$LAB_LAST_PID
t2=$(mark)
lab_wait $((SECS + 30)) "[ -s '$LAB_TMP/scrapes' ]" || lab_fail "the scraper did not finish"
t3=$(mark)
sleep 0.5
kill "$capture" 2>/dev/null; sleep 0.5
dir_adverts "$LAB_TMP/cap" | awk '$2 == "203.0.113.104" && $4 > 0 { print $1 }' >"$LAB_TMP/times"
read -r scrapes scrape_ms scrape_bytes <"$LAB_TMP/scrapes"

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); advert_int 0.1 s; $SECS s per phase"
python3 - "$LAB_TMP/times" "$t0" "$t1" "$t2" "$t3" "$scrapes" "$scrape_ms" "$scrape_bytes" <<'PY'
import statistics, sys
times = [float(l) for l in open(sys.argv[1])]
t0, t1, t2, t3 = map(float, sys.argv[2:6])
def phase(name, a, b, extra):
    ts = [t for t in times if a <= t <= b]
    gaps = [y - x for x, y in zip(ts, ts[1:])]
    if len(gaps) < 2:
        print(f"{name:<26} too few adverts ({len(ts)})"); return
    gaps.sort()
    p99 = gaps[min(len(gaps) - 1, int(0.99 * len(gaps)))]
    print(f"{name:<26} adverts {len(ts):5d}  interval mean {statistics.mean(gaps)*1000:7.2f} ms"
          f"  stddev {statistics.stdev(gaps)*1000:6.2f} ms  p99 {p99*1000:7.2f} ms"
          f"  max {gaps[-1]*1000:7.2f} ms{extra}")
phase("no scraper", t0, t1, "")
phase("10 scrapes/s", t2, t3,
      f"  ({sys.argv[6]} scrapes, {int(sys.argv[8])} bytes, {sys.argv[7]} ms each)")
PY
