#!/usr/bin/env bash
# track_process: the priority follows whether a tracked process runs (weight 30: +30 while it
# does) and a weight-0 one (keepalived's default) puts the instance in FAULT while it does not.
# lvsctl and keepalived 2.2.7 run the same file in d1 against an lvsctl peer (priority 120) in
# d2; the processes are copies of sleep with distinctive names, started and killed by pid. The
# same advertised priorities and the same VIP moves are expected.
#
# keepalived 2.2.7 inside a network namespace gets ECONNREFUSED from the proc connector (process
# events are only sent to the initial namespace) and then counts processes only when it loads
# its configuration: so keepalived is sent SIGHUP after each change (a reload re-reads /proc),
# while lvsctl must notice each change by itself.
#
# Then a fork flood: thousands of short-lived processes, many with the tracked name, while lvsctl
# is MASTER: the peer must never hear silence long enough to take over.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 keepalived tcpdump

dir_lab
sfx=$(printf '%04x' $((RANDOM)))
UP="lvsup-$sfx"; MUST="lvsmust-$sfx"   # at most 15 characters: the kernel's process name
cp "$(command -v sleep)" "$LAB_TMP/$UP"
cp "$(command -v sleep)" "$LAB_TMP/$MUST"
conf="$LAB_TMP/tp.conf"
cat >"$conf" <<CONF
global_defs {
   router_id TP
}
vrrp_track_process up {
    process $UP
    weight 30
}
vrrp_track_process must {
    process $MUST
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 100
    priority 100
    advert_int 1
    virtual_ipaddress {
        $VIP
    }
    track_process {
        up
        must
    }
}
CONF
dir_conf "$LAB_TMP/peer.conf" 120 BACKUP
sed -i '/authentication {/,/}/d' "$LAB_TMP/peer.conf"
lab_exec d1 "$LVSCTL" director check-config -f "$conf" >"$LAB_TMP/check.out" 2>&1 ||
  lab_fail "check-config refused the file: $(cat "$LAB_TMP/check.out")"
sed 's/^        must$/        nosuch/' "$conf" >"$LAB_TMP/bad.conf"
if lab_exec d1 "$LVSCTL" director check-config -f "$LAB_TMP/bad.conf" >"$LAB_TMP/bad.out" 2>&1; then
  lab_fail "check-config accepted a track_process nobody defines"
fi
line=$(grep -n '^        nosuch$' "$LAB_TMP/bad.conf" | cut -d: -f1)
grep -q "bad.conf:$line:9: error: vrrp_instance VI_1 tracks process 'nosuch'" "$LAB_TMP/bad.out" ||
  lab_fail "no file:line:col error for the unknown track_process: $(cat "$LAB_TMP/bad.out")"

start_proc() {  # start_proc NAME: sets PROC_PID
  "$LAB_TMP/$1" 100000 &
  PROC_PID=$!
  LAB_PIDS+=("$PROC_PID")
}
stop_proc() { kill -TERM "$1"; wait "$1" 2>/dev/null || true; }

run() {  # run IMPL
  local impl=$1 pid peer cap="$LAB_TMP/$1.cap" up must
  lab_log "--- $impl"
  # keepalived rereads /proc on a reload only (see above); lvsctl is left alone.
  seen() { if [ "$impl" = keepalived ]; then sleep 0.5; kill -HUP "$pid"; fi; }
  dir_capture d2 "$cap"
  dir_lvsctl d2 "$LAB_TMP/peer.conf"; peer=$LAB_LAST_PID
  lab_wait 15 "dir_vip_on d2" || lab_fail "peer not MASTER"
  start_proc "$MUST"; must=$PROC_PID
  dir_start "$impl" d1 "$conf"; pid=$LAB_LAST_PID
  sleep 2; seen
  sleep 4  # d1 settles as BACKUP behind the peer (120 > 100)
  dir_vip_on d1 && lab_fail "$impl: d1 took the VIP at priority 100"
  start_proc "$UP"; up=$PROC_PID; seen   # 100 + 30 = 130 > 120: d1 preempts
  lab_wait 15 "dir_vip_on d1 && ! dir_vip_on d2" || lab_fail "$impl: no takeover once $UP ran"
  lab_wait 5 "dir_adverts $cap | awk '\$2 == \"203.0.113.104\" && \$4 == 130' | grep -q ." ||
    lab_fail "$impl: no advert with priority 130: $(dir_adverts "$cap" | tail -3)"
  if [ "$impl" = lvsctl ]; then flood; fi
  stop_proc "$must"; seen   # weight 0 and no process: FAULT
  lab_wait 15 "dir_vip_on d2 && ! dir_vip_on d1" || lab_fail "$impl: no FAULT once $MUST stopped"
  [ "$impl" = lvsctl ] && { lab_wait 5 "[ \"\$(dir_state d1)\" = FAULT ]" || lab_fail "lvsctl: d1 not in FAULT"; }
  start_proc "$MUST"; must=$PROC_PID; seen
  lab_wait 15 "dir_vip_on d1 && ! dir_vip_on d2" || lab_fail "$impl: d1 did not come back with $MUST"
  stop_proc "$up"; seen     # 100 < 120: the peer preempts
  lab_wait 15 "dir_vip_on d2 && ! dir_vip_on d1" || lab_fail "$impl: the peer did not take over at 100"
  lab_wait 5 "dir_adverts $cap | awk '\$2 == \"203.0.113.104\" && \$4 == 100' | grep -q ." ||
    dir_adverts "$cap" | awk '$2 == "203.0.113.104"' | tail -2 >&2
  dir_adverts "$cap" | awk '$2 == "203.0.113.104" && $4 > 0 {print $4}' | uniq >"$LAB_TMP/$impl.prios"
  stop_proc "$must"
  kill -TERM "$pid" "$peer"
  lab_wait 15 "! kill -0 $pid 2>/dev/null && ! kill -0 $peer 2>/dev/null" || lab_fail "did not stop"
  ip -n "${LAB}-d1" addr del "$VIP/32" dev eth0 2>/dev/null || true
  ip -n "${LAB}-d2" addr del "$VIP/32" dev eth0 2>/dev/null || true
}

flood() {  # while d1 is MASTER: 4 x 1,500 short-lived processes, half with the tracked name
  local start end i pids=()
  start=$(date +%s.%N)
  for i in 1 2 3 4; do
    bash -c 'for ((n = 0; n < 750; n++)); do "$1" 0 & /bin/true & wait; done' flood "$LAB_TMP/$UP" &
    pids+=("$!"); LAB_PIDS+=("$!")
  done
  for i in "${pids[@]}"; do wait "$i"; done
  end=$(date +%s.%N)
  lab_log "flood: 6,000 processes in $(python3 -c "print(round($end - $start, 1))") s"
  sleep 1
  dir_vip_on d1 && ! dir_vip_on d2 || lab_fail "lost MASTER during the fork flood"
  local peer_adverts
  peer_adverts=$(dir_adverts "$LAB_TMP/lvsctl.cap" |
    awk -v s="$start" -v e="$end" '$2 == "203.0.113.105" && $1 >= s && $1 <= e && $4 > 0' | wc -l)
  [ "$peer_adverts" -eq 0 ] || lab_fail "the peer advertised $peer_adverts times during the flood: d1's adverts stalled"
  local ours
  ours=$(dir_adverts "$LAB_TMP/lvsctl.cap" |
    awk -v s="$start" -v e="$end" '$2 == "203.0.113.104" && $1 >= s && $1 <= e' | wc -l)
  lab_log "flood: d1 sent $ours adverts meanwhile"
}

run keepalived
run lvsctl
lab_log "keepalived advertised: $(tr '\n' ' ' <"$LAB_TMP/keepalived.prios")"
lab_log "lvsctl advertised:     $(tr '\n' ' ' <"$LAB_TMP/lvsctl.prios")"
grep -qx 130 "$LAB_TMP/lvsctl.prios" || lab_fail "lvsctl never advertised 130"
diff -u "$LAB_TMP/keepalived.prios" "$LAB_TMP/lvsctl.prios" || lab_fail "advertised priorities differ from keepalived's"
lab_log "PASS: track_process moves priority and FAULT as keepalived 2.2.7 does; a fork flood does not stall adverts"
