# Helpers for director tests (source after netns.sh).
#   dir_lab                                # bridge + namespaces d1 (.104), d2 (.105), cl (.10)
#   dir_conf FILE PRIO STATE [VERSION] [AUTH_PASS] [ADVERT]   # the user's scenario VRRP block
#   dir_lvsctl NS CONF                     # lvsctl director run in NS (run dir $LAB_TMP/run-NS)
#   dir_status NS                          # lvsctl director status --json for NS
#   dir_vip_on NS                          # the VIP 203.0.113.100 is on NS's eth0
#   dir_start IMPL NS CONF                 # lvsctl or keepalived 2.2.7 in NS; sets LAB_LAST_PID
#   dir_backup_accepts NS [PY_CONDITION]   # lvsctl in NS is BACKUP and accepted adverts, none
#                                          # rejected (and the condition on `s`, its status, holds)
#   dir_stop_pair PID PID ADDR/LEN         # stop two directors, remove ADDR from d1 and d2
#   dir_pair_round M_IMPL B_IMPL ADDR/LEN SETTLE [PY_CONDITION]   # the failover round of the
#                                          # pair tests (see below)
VIP=203.0.113.100

dir_lab() {
  lab_ns d1; lab_ns d2; lab_ns cl
  lab_link d1 eth0 203.0.113.104/24
  lab_link d2 eth0 203.0.113.105/24
  lab_link cl eth0 203.0.113.10/24
}

dir_conf() {
  local file=$1 prio=$2 state=$3 version=${4:-2} pass=${5:-12345} advert=${6:-1}
  cat >"$file" <<CONF
global_defs {
   router_id LVS_TEST
   vrrp_version $version
}
vrrp_instance VIP_NSQ_100 {
    state $state
    interface eth0
    virtual_router_id 100
    priority $prio
    advert_int $advert
    authentication {
        auth_type PASS
        auth_pass $pass
    }
    virtual_ipaddress {
        $VIP
    }
}
CONF
  if [ "$version" = 3 ]; then sed -i '/authentication {/,/}/d' "$file"; fi
}

dir_lvsctl() {  # sets LAB_LAST_PID
  local ns=$1 conf=$2
  mkdir -p "$LAB_TMP/run-$ns"
  lab_spawn "$ns" "$LVSCTL" --log-level debug director run -f "$conf" --run-dir "$LAB_TMP/run-$ns" \
    >>"$LAB_TMP/$ns.log" 2>&1
}

dir_status() { lab_exec "$1" "$LVSCTL" director status --json --run-dir "$LAB_TMP/run-$1"; }

dir_vip_on() { lab_has_addr "$1" eth0 "$VIP"; }

dir_state() {  # dir_state NS -> MASTER/BACKUP/FAULT/INIT of the first instance
  dir_status "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["vrrp_instances"][0]["state"])'
}

dir_start() {  # dir_start IMPL NS CONF: IMPL is lvsctl or keepalived; sets LAB_LAST_PID
  if [ "$1" = lvsctl ]; then
    dir_lvsctl "$2" "$3"
  else
    lab_keepalived "$2" "$3" >>"$LAB_TMP/$2.log" 2>&1
  fi
}

dir_backup_accepts() {  # dir_backup_accepts NS [PY_CONDITION]: prints the status when not
  local status cond=${2:-True}
  status=$(dir_status "$1") || return 1
  python3 -c "import json,sys; s=json.loads(sys.argv[1])['vrrp_instances'][0]
sys.exit(0 if s['state']=='BACKUP' and s['adverts_received']>0 and s['adverts_rejected']==0 and ($cond) else 1)" \
    "$status" && return 0
  echo "$status" >&2
  return 1
}

dir_stop_pair() {  # dir_stop_pair PID PID ADDR/LEN: SIGTERM both (kill -9 after 10 s), then
  # remove ADDR from d1 and d2 (a director killed with -9 leaves its VIP behind)
  kill -TERM "$1" "$2" 2>/dev/null || true
  lab_wait 10 "! kill -0 $1 2>/dev/null && ! kill -0 $2 2>/dev/null" || true
  kill -KILL "$1" "$2" 2>/dev/null || true
  ip -n "${LAB}-d1" addr del "$3" dev eth0 2>/dev/null || true
  ip -n "${LAB}-d2" addr del "$3" dev eth0 2>/dev/null || true
  sleep 0.5
}

# dir_pair_round M_IMPL B_IMPL ADDR/LEN SETTLE [PY_CONDITION]: the round of the pair tests, with
# $LAB_TMP/m.conf on d1 and $LAB_TMP/b.conf on d2: the VIP ADDR comes up on the master and, SETTLE
# seconds later, is on the master only (an lvsctl backup is BACKUP, accepted adverts and rejected
# none, and PY_CONDITION holds for dir_backup_accepts); kill -9 of the master moves the VIP to the
# backup; the master, restarted, preempts; both stop. When DIR_ON_VIP names a function, it runs as
# "$DIR_ON_VIP NS WHO" each time the VIP has just arrived on a director (extra checks).
dir_pair_round() {
  local m_impl=$1 b_impl=$2 addr=${3%/*} with_len=$3 settle=$4 cond=${5:-True} m b
  dir_start "$m_impl" d1 "$LAB_TMP/m.conf"; m=$LAB_LAST_PID
  dir_start "$b_impl" d2 "$LAB_TMP/b.conf"; b=$LAB_LAST_PID
  lab_wait 10 "lab_has_addr d1 eth0 $addr" || lab_fail "VIP not on the $m_impl master"
  if [ -n "${DIR_ON_VIP:-}" ]; then "$DIR_ON_VIP" d1 "$m_impl master"; fi
  sleep "$settle"
  if lab_has_addr d2 eth0 "$addr"; then
    lab_fail "$b_impl backup also holds the VIP: it does not accept $m_impl's adverts"
  fi
  if [ "$b_impl" = lvsctl ]; then
    dir_backup_accepts d2 "$cond" || lab_fail "lvsctl backup did not accept $m_impl's adverts"
  fi
  kill -KILL "$m"
  lab_wait 10 "lab_has_addr d2 eth0 $addr" || lab_fail "$b_impl backup did not take over from $m_impl"
  if [ -n "${DIR_ON_VIP:-}" ]; then "$DIR_ON_VIP" d2 "$b_impl backup"; fi
  # kill -9 leaves the VIP on the dead master (keepalived too); remove it as a restart would.
  ip -n "${LAB}-d1" addr del "$with_len" dev eth0 2>/dev/null || true
  dir_start "$m_impl" d1 "$LAB_TMP/m.conf"; m=$LAB_LAST_PID
  lab_wait 10 "lab_has_addr d1 eth0 $addr && ! lab_has_addr d2 eth0 $addr" \
    || lab_fail "$m_impl did not preempt $b_impl"
  dir_stop_pair "$m" "$b" "$with_len"
}
