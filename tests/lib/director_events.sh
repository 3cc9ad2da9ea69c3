# Event helpers for director tests (source after netns.sh and director.sh). Everything waits on
# an event (a log line, an advert on the wire, a state) with a generous deadline, never on time.
#   dev_count NS PATTERN              # lines of NS's daemon log ($LAB_TMP/NS.log) matching PATTERN
#   dev_hup NS PID PATTERN            # SIGHUP PID, then wait until NS's log has one more PATTERN
#                                     # line than before (fails the test after 60 s)
#   dev_watch_start NS                # `lvsctl director watch -i eth0` in NS (a bystander on the
#                                     # lab bridge), every advert on the wire in $LAB_TMP/watch.out
#   dev_adverts REGEX                 # adverts seen so far whose watch line matches REGEX
#   dev_wait_adverts N REGEX          # wait until N more adverts match REGEX than now
#   dev_shape NS                      # `director status --json` of NS without its counters, one
#                                     # line (equal before/after = nothing changed but traffic)
#   dev_instance NS NAME FIELD        # FIELD of vrrp instance NAME in NS's status (empty: none)
#   dev_fail MSG                      # lab_fail with the tails of the daemon logs and the wire
DEV_WAIT=${DEV_WAIT:-60}

dev_count() { grep -c -- "$2" "$LAB_TMP/$1.log" 2>/dev/null || true; }

dev_hup() {
  local ns=$1 pid=$2 pattern=$3 before
  before=$(dev_count "$ns" "$pattern")
  kill -HUP "$pid"
  lab_wait "$DEV_WAIT" "[ \$(dev_count '$ns' '$pattern') -gt $before ]" \
    || dev_fail "SIGHUP of $ns: no new '$pattern' log line"
}

dev_watch_start() {
  : >"$LAB_TMP/watch.out"
  lab_spawn "$1" "$LVSCTL" director watch -i eth0 >>"$LAB_TMP/watch.out" 2>>"$LAB_TMP/watch.err"
}

dev_adverts() { grep -c -E -- "$1" "$LAB_TMP/watch.out" 2>/dev/null || true; }

dev_wait_adverts() {
  local n=$1 regex=$2 before
  before=$(dev_adverts "$regex")
  lab_wait "$DEV_WAIT" "[ \$(dev_adverts '$regex') -ge $((before + n)) ]" \
    || dev_fail "fewer than $n new adverts matching '$regex' on the wire"
}

dev_shape() {
  dir_status "$1" | python3 -c '
import json, sys
s = json.load(sys.stdin)
for i in s.get("vrrp_instances", []):
    for k in ("adverts_sent", "adverts_received", "adverts_rejected", "last_rejection"):
        i.pop(k, None)
for k in ("uptime_seconds", "reload"):  # time passes; a reload (also a rejected one) is recorded
    s.pop(k, None)
s.get("ipvs", {}).pop("requests_sent", None)
def strip(o):  # traffic counters of services and destinations
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items()
                if k not in ("connections", "in_packets", "out_packets", "in_bytes", "out_bytes",
                             "active_connections", "inactive_connections", "uptime_s")}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
print(json.dumps(strip(s), sort_keys=True))'
}

dev_instance() {
  dir_status "$1" | python3 -c '
import json, sys
for i in json.load(sys.stdin)["vrrp_instances"]:
    if i["name"] == sys.argv[1]:
        v = i[sys.argv[2]]
        print(",".join(v) if isinstance(v, list) else v)' "$2" "$3"
}

dev_fail() {
  local f
  for f in "$LAB_TMP"/d1.log "$LAB_TMP"/d2.log "$LAB_TMP"/watch.out; do
    [ -f "$f" ] || continue
    lab_log "--- tail of $(basename "$f"):"
    tail -n 25 "$f" >&2 || true
  done
  lab_fail "$@"
}
