#!/usr/bin/env bash
# track_file: the priority follows the integer in a file (weight x value), and a weight-0 file
# with a non-zero value puts the instance in FAULT, read when the file changes. lvsctl and
# keepalived 2.2.7 run the same file in d1 against an lvsctl peer (priority 120) in d2: the same
# advertised priorities and the same VIP moves.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 keepalived tcpdump

dir_lab
files="$LAB_TMP/files"; mkdir -p "$files"
conf="$LAB_TMP/tf.conf"
cat >"$conf" <<CONF
global_defs {
   router_id TF
}
track_file prio {
    file "$files/prio"
    weight 2
    init_file 0 overwrite
}
track_file down {
    file "$files/down"
    weight 0
    init_file 0 overwrite
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
    track_file {
        prio
        down
    }
}
CONF
dir_conf "$LAB_TMP/peer.conf" 120 BACKUP
sed -i '/authentication {/,/}/d' "$LAB_TMP/peer.conf"

run() {  # run IMPL
  local impl=$1 pid peer cap="$LAB_TMP/$1.cap"
  lab_log "--- $impl"
  dir_capture d2 "$cap"
  dir_lvsctl d2 "$LAB_TMP/peer.conf"; peer=$LAB_LAST_PID
  lab_wait 15 "dir_vip_on d2" || lab_fail "peer not MASTER"
  dir_start "$impl" d1 "$conf"; pid=$LAB_LAST_PID
  lab_wait 10 "[ -f $files/prio ]" || lab_fail "$impl: init_file not written"
  sleep 4  # d1 settles as BACKUP behind the peer (120 > 100)
  dir_vip_on d1 && lab_fail "$impl: d1 took the VIP at priority 100"
  echo 25 >"$files/prio"   # 100 + 2 x 25 = 150 > 120: d1 preempts, advertising 150
  lab_wait 15 "dir_vip_on d1 && ! dir_vip_on d2" || lab_fail "$impl: no takeover after the file said 25"
  lab_wait 5 "dir_adverts $cap | awk '\$2 == \"203.0.113.104\" && \$4 == 150' | grep -q ." ||
    lab_fail "$impl: no advert with priority 150: $(dir_adverts "$cap" | tail -3)"
  printf '1\n' >"$files/down.tmp"; mv "$files/down.tmp" "$files/down"   # weight 0, non-zero: FAULT
  lab_wait 15 "dir_vip_on d2 && ! dir_vip_on d1" || lab_fail "$impl: the weight-0 file did not put d1 in FAULT"
  echo 0 >"$files/down"
  lab_wait 15 "dir_vip_on d1" || lab_fail "$impl: d1 did not come back after the file went 0"
  echo "-10" >"$files/prio"  # 100 - 20 = 80 < 120: the peer preempts
  lab_wait 15 "dir_vip_on d2 && ! dir_vip_on d1" || lab_fail "$impl: the peer did not take over at priority 80"
  lab_wait 5 "dir_adverts $cap | awk '\$2 == \"203.0.113.104\" && \$4 == 80' | grep -q ." ||
    dir_adverts "$cap" | awk '$2 == "203.0.113.104"' | tail -2 >&2
  dir_adverts "$cap" | awk '$2 == "203.0.113.104" && $4 > 0 {print $4}' | uniq >"$LAB_TMP/$impl.prios"
  kill -TERM "$pid" "$peer"
  lab_wait 15 "! kill -0 $pid 2>/dev/null && ! kill -0 $peer 2>/dev/null" || lab_fail "did not stop"
  ip -n "${LAB}-d1" addr del "$VIP/32" dev eth0 2>/dev/null || true
  ip -n "${LAB}-d2" addr del "$VIP/32" dev eth0 2>/dev/null || true
}

run keepalived
run lvsctl
lab_log "keepalived advertised: $(tr '\n' ' ' <"$LAB_TMP/keepalived.prios")"
lab_log "lvsctl advertised:     $(tr '\n' ' ' <"$LAB_TMP/lvsctl.prios")"
grep -qx 150 "$LAB_TMP/lvsctl.prios" || lab_fail "lvsctl never advertised 150"
diff -u "$LAB_TMP/keepalived.prios" "$LAB_TMP/lvsctl.prios" || lab_fail "advertised priorities differ from keepalived's"
lab_log "PASS: track_file moves priority and FAULT as keepalived 2.2.7 does"
