#!/usr/bin/env bash
# bench/metrics_scrape_jitter.sh [SECONDS]: do Prometheus scrapes delay VRRP adverts?
# A master (v3, advert_int 0.1 s, 1,000 real servers in 100 virtual servers: a scrape is ~2,000
# samples, ~200 KB) with --metrics-listen, its adverts captured with kernel timestamps in another
# namespace; three phases of SECONDS (default 20): no load, one client scraping /metrics 10 times
# a second, one running `director status --json` 10 times a second. Prints, per phase: adverts,
# the interval between adverts (mean, stddev, p99, max), the difference with the no-load phase,
# and the requests' size and mean time. Figures only, no assertions (bench/ rule). On a shared
# machine compare the phases of one run: the load of other processes moves all three.
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
# run_load NAME SCRIPT [ARG...]: runs the python SCRIPT (argv: SECS, its summary file
# $LAB_TMP/NAME, ARG...) in d1 and waits for its summary ("count mean_ms bytes").
run_load() {
  local name=$1 script=$2
  shift 2
  lab_spawn d1 python3 -c "$script" "$SECS" "$LAB_TMP/$name" "$@"
  lab_wait $((SECS + 30)) "[ -s '$LAB_TMP/$name' ]" || lab_fail "the $name load did not finish"
}
t0=$(mark); sleep "$SECS"; t1=$(mark)
t2=$(mark)
run_load scrapes 'import sys, time, urllib.request
n = 0; total = 0.0; size = 0; end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    start = time.monotonic()
    body = urllib.request.urlopen("http://127.0.0.1:9650/metrics", timeout=2).read()
    took = time.monotonic() - start; n += 1; total += took; size = len(body)
    time.sleep(max(0.0, 0.1 - took))
open(sys.argv[2], "w").write(f"{n} {total / max(n, 1) * 1000:.2f} {size}\n")'
t3=$(mark)
t4=$(mark)
run_load status 'import subprocess, sys, time
n = 0; total = 0.0; size = 0; end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    start = time.monotonic()
    out = subprocess.run(sys.argv[3:], capture_output=True).stdout
    took = time.monotonic() - start; n += 1; total += took; size = len(out)
    time.sleep(max(0.0, 0.1 - took))
open(sys.argv[2], "w").write(f"{n} {total / max(n, 1) * 1000:.2f} {size}\n")' \
  "$LVSCTL" director status --json --run-dir "$LAB_TMP/run-d1"
t5=$(mark)
sleep 0.5
kill "$capture" 2>/dev/null; sleep 0.5
dir_adverts "$LAB_TMP/cap" | awk '$2 == "203.0.113.104" && $4 > 0 { print $1 }' >"$LAB_TMP/times"

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); advert_int 0.1 s; $SECS s per phase"
python3 - "$LAB_TMP/times" "$t0" "$t1" "$t2" "$t3" "$t4" "$t5" "$LAB_TMP/scrapes" "$LAB_TMP/status" <<'PY'
import statistics, sys
times = [float(l) for l in open(sys.argv[1])]
t = list(map(float, sys.argv[2:8]))
def figures(a, b):
    ts = [x for x in times if a <= x <= b]
    gaps = sorted(y - x for x, y in zip(ts, ts[1:]))
    if len(gaps) < 2:
        return None
    return {"adverts": len(ts), "mean": statistics.mean(gaps) * 1000,
            "stddev": statistics.stdev(gaps) * 1000,
            "p99": gaps[min(len(gaps) - 1, int(0.99 * len(gaps)))] * 1000, "max": gaps[-1] * 1000}
def load(path, what):
    n, ms, size = open(path).read().split()
    return f"  ({n} {what}, {int(size)} bytes, {ms} ms each)"
base = figures(t[0], t[1])
for name, a, b, extra in [("no load", t[0], t[1], ""),
                          ("10 scrapes/s", t[2], t[3], load(sys.argv[8], "scrapes")),
                          ("10 status --json/s", t[4], t[5], load(sys.argv[9], "status"))]:
    f = figures(a, b)
    if f is None:
        print(f"{name:<20} too few adverts"); continue
    print(f"{name:<20} adverts {f['adverts']:4d}  interval mean {f['mean']:7.2f} ms  stddev "
          f"{f['stddev']:6.2f} ms  p99 {f['p99']:7.2f} ms  max {f['max']:7.2f} ms{extra}")
    if base is not None and a != t[0]:
        print(f"{'':<20} vs no load: mean {f['mean'] - base['mean']:+.2f} ms, stddev "
              f"{f['stddev'] - base['stddev']:+.2f} ms, p99 {f['p99'] - base['p99']:+.2f} ms, "
              f"max {f['max'] - base['max']:+.2f} ms")
PY
