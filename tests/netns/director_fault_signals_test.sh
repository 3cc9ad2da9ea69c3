#!/usr/bin/env bash
# Fault suite, signals (issue 13 rows 2 and 8): keepalived's dump signals, the other signals that
# kill by default, and a SIGHUP whose configuration now includes a FIFO. Master + backup lvsctl,
# advert_int 1, the master's adverts captured in a third namespace. Each asserts: the master alive,
# the VIP on the master only, the backup never MASTER, no advert gap > FAULT_MAX_GAP, RSS bounded.
#   1. SIGUSR1, SIGUSR2, SIGRTMIN+2: /tmp-style dumps keepalived.data/.stats/.json appear (in
#      --dump-dir, mode 0600) in keepalived 2.2.7's layouts with the master's state and counters,
#      one log line each; a second SIGUSR2 rewrites the stats with newer counters;
#   2. SIGALRM, SIGVTALRM, SIGPROF, SIGIO (SIGPOLL), SIGRTMIN, SIGRTMAX (twice each): ignored, one log line
#      per signal;
#   3. SIGHUP with an include of a FIFO nobody writes: rejected at the include's file:line:col
#      (the reader never opens a FIFO) while the master keeps advertising; a good reload after.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
. "$(dirname "$0")/../lib/director_fault.sh"
lab_require_root
lab_require python3 timeout

DUMPS=$LAB_TMP/dumps
mkdir -m 0700 "$DUMPS"
fault_pair --dump-dir "$DUMPS"

# --- 1. dump signals ------------------------------------------------------------------------
t0=$(fault_mark)
for sig in USR1 USR2 RTMIN+2; do
  case $sig in USR1) file=keepalived.data ;; USR2) file=keepalived.stats ;; *) file=keepalived.json ;; esac
  kill -s "$sig" "$FAULT_M"
  lab_wait 10 "[ -s '$DUMPS/$file' ]" || lab_fail "SIG$sig: no $file (log: $(tail -n 3 "$LAB_TMP/d1.log"))"
  grep -q VIP_NSQ_100 "$DUMPS/$file" || lab_fail "SIG$sig: $file does not show the instance"
  [ "$(stat -c %a "$DUMPS/$file")" = 600 ] || lab_fail "SIG$sig: $file is not mode 0600"
  name=SIG$sig
  [ "$(grep -c "$name from pid .*: state written to $DUMPS/$file" "$LAB_TMP/d1.log")" = 1 ] \
    || lab_fail "$name: not exactly one log line"
done
# The content, in keepalived 2.2.7's layouts (docs/keepalived-compat.md, "Signal dumps").
grep -qx -- '------< VRRP Topology >------' "$DUMPS/keepalived.data" || lab_fail "keepalived.data: no VRRP Topology section"
grep -qx ' VRRP Instance = VIP_NSQ_100' "$DUMPS/keepalived.data" || lab_fail "keepalived.data: no instance line"
grep -qx '   State = MASTER' "$DUMPS/keepalived.data" || lab_fail "keepalived.data: the instance is not MASTER"
grep -qx '   Virtual Router ID = 100' "$DUMPS/keepalived.data" || lab_fail "keepalived.data: no VRID line"
grep -qE '^   Last transition = [0-9]+\.[0-9]{6} \(' "$DUMPS/keepalived.data" || lab_fail "keepalived.data: no last transition"
# keepalived's global, timer, garp and flag lines (issue 16), from the running daemon's config:
# priority 100, VRRPv2, advert_int 1 -> master down 3 s + (256 - 100) / 256 s.
for l in '------< Global definitions >------' ' Router ID = LVS_TEST' ' Gratuitous ARP delay = 5' \
    '   Master down timer = 3609375 usecs' '   Multicast address 224.0.0.18' \
    '   Gratuitous ARP repeat = 5' '   Down timer adverts = 3' '   Accept = enabled' \
    '   Preempt = enabled' '   Authentication type = SIMPLE_PASSWORD' '   Password = 12345' \
    ' Gratuitous ARP lower priority delay = 5' ' VRRP IPv4 mcast group = 224.0.0.18'; do
  grep -qx -- "$l" "$DUMPS/keepalived.data" || lab_fail "keepalived.data: no line '$l'"
done
head -3 "$DUMPS/keepalived.stats" | tr '\n' '|' | grep -qx 'VRRP Instance: VIP_NSQ_100|  Advertisements:|    Received: [0-9]*|' \
  || lab_fail "keepalived.stats: not keepalived's layout: $(head -3 "$DUMPS/keepalived.stats")"
sent=$(awk '/^    Sent:/ { print $2; exit }' "$DUMPS/keepalived.stats")
[ "${sent:-0}" -ge 1 ] || lab_fail "keepalived.stats: no adverts sent ($sent)"
grep -qx '  Became master: 1' "$DUMPS/keepalived.stats" || lab_fail "keepalived.stats: Became master is not 1"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
i = d[0]
assert i["data"]["iname"] == "VIP_NSQ_100" and i["data"]["state"] == 2, i["data"]
assert i["stats"]["advert_sent"] >= 1 and i["stats"]["become_master"] == 1, i["stats"]
assert d[-1]["lvsctl_status"]["vrrp_instances"][0]["state"] == "MASTER"' \
  "$DUMPS/keepalived.json" || lab_fail "keepalived.json is not keepalived's array with the instance MASTER (state 2)"
# A second USR2 writes the file again with the counters of then (new content, not appended).
before=$(awk '/^    Sent:/ { print $2; exit }' "$DUMPS/keepalived.stats")
lab_wait 10 "[ \$(dir_status d1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"vrrp_instances\"][0][\"adverts_sent\"])') -gt $before ]" \
  || lab_fail "the master sent no advert after the dumps"
kill -s USR2 "$FAULT_M"
lab_wait 10 "[ \$(awk '/^    Sent:/ { print \$2; exit }' '$DUMPS/keepalived.stats') -gt $before ]" \
  || lab_fail "a second SIGUSR2 did not rewrite keepalived.stats with new counters"
[ "$(grep -c '^VRRP Instance:' "$DUMPS/keepalived.stats")" = 1 ] || lab_fail "keepalived.stats appended instead of rewritten"
sleep 2  # an observation window after the signals, not a synchronisation
t1=$(fault_mark)
fault_assert_held "SIGUSR1/SIGUSR2/SIGRTMIN+2" "$t0" "$t1"

# --- 2. signals that would kill by default --------------------------------------------------
t0=$(fault_mark)
for sig in ALRM VTALRM PROF IO RTMIN RTMAX; do
  kill -s "$sig" "$FAULT_M"
  kill -s "$sig" "$FAULT_M"
done
lab_wait 10 "grep -q 'SIGRTMAX from pid' '$LAB_TMP/d1.log'" || lab_fail "no log line for SIGRTMAX"
for name in SIGALRM SIGVTALRM SIGPROF SIGPOLL SIGRTMIN SIGRTMAX; do
  [ "$(grep -c "$name from pid [0-9]* ignored" "$LAB_TMP/d1.log")" = 1 ] \
    || lab_fail "$name: not exactly one log line ($(grep -c "$name from" "$LAB_TMP/d1.log"))"
done
sleep 2  # observation window
t1=$(fault_mark)
fault_assert_held "SIGALRM and other killing signals" "$t0" "$t1"

# --- 3. SIGHUP while the config includes a FIFO ---------------------------------------------
# The reader refuses anything but a regular file without opening it (a FIFO would block), and the
# load runs off the loop anyway (daemon_config_reload_test blocks a load for real): the reload is
# rejected at the include's file:line:col while the master keeps advertising; SIGHUPs in a burst
# change nothing; once the include is gone a reload applies again.
mkfifo "$LAB_TMP/extra.conf"
printf 'include %s\n' "$LAB_TMP/extra.conf" >>"$LAB_TMP/m.conf"
include_line=$(grep -n '^include ' "$LAB_TMP/m.conf" | cut -d: -f1)
t0=$(fault_mark)
for _ in 1 2 3; do kill -HUP "$FAULT_M"; done
lab_wait 20 "grep -q 'Reload rejected' '$LAB_TMP/d1.log'" || lab_fail "SIGHUP with a FIFO include: not rejected"
grep -q "m.conf:$include_line:[0-9]*: error: .*not a regular file (fifo)" "$LAB_TMP/d1.log" \
  || lab_fail "the FIFO include is not named at its file:line:col: $(grep -i 'error' "$LAB_TMP/d1.log" | tail -3)"
sleep 3  # observation window: the master keeps its VIP and its adverts
t1=$(fault_mark)
fault_assert_held "SIGHUP with a FIFO include (rejected)" "$t0" "$t1"
dir_status d1 >/dev/null || lab_fail "director status does not answer after the rejected reload"
sed -i '/^include /d' "$LAB_TMP/m.conf"
echo '# a change' >>"$LAB_TMP/m.conf"
kill -HUP "$FAULT_M"
lab_wait 20 "grep -q 'Reloaded in' '$LAB_TMP/d1.log'" || lab_fail "a good reload after the rejected one did not apply"
fault_assert_held "SIGHUP with a FIFO include (after)" "$t1" "$(fault_mark)"

dir_stop_pair "$FAULT_M" "$FAULT_B" "$VIP/32"
lab_log "PASS"
