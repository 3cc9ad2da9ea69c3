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
#   dir_capture NS FILE                    # tcpdump of the VRRP packets on NS's eth0 (kernel
#                                          # timestamps) into FILE, running once this returns
#   dir_adverts FILE                       # the captured adverts: "TIME SOURCE VRID PRIORITY"
#   dir_captured FILE SOURCE [VRID] [N]    # N (1) adverts from SOURCE (of VRID) with priority > 0
#   dir_resigned_to FILE MASTER BACKUP MDI # MASTER resigned (priority-0 advert) and BACKUP took
#                                          # over sooner than Master_Down_Interval MDI would have
#   dir_addr_monitor NS FILE               # `ip monitor address` of NS into FILE, running once
#                                          # this returns
#   dir_log_mark NS / dir_log_since NS MARK  # a position in NS's log / the log from there on
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

# (exit 1, a degraded director, still prints the state: only "no answer" fails)
dir_status() {
  local rc=0
  lab_exec "$1" "$LVSCTL" director status --json --run-dir "$LAB_TMP/run-$1" || rc=$?
  [ "$rc" -le 1 ]
}

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

# dir_stale_vip_removed FILE ADDR: the first event about ADDR in FILE (dir_addr_monitor) deletes it
dir_stale_vip_removed() {
  local first
  first=$(grep -E " inet6? $2/" "$1" | head -n1)
  [[ $first == Deleted* ]]
}

dir_stop_pair() {  # dir_stop_pair PID PID ADDR/LEN: SIGTERM both (kill -9 after 10 s), then
  # remove ADDR from d1 and d2 (a director killed with -9 leaves its VIP behind)
  kill -TERM "$1" "$2" 2>/dev/null || true
  lab_wait 10 "! kill -0 $1 2>/dev/null && ! kill -0 $2 2>/dev/null" || true
  kill -KILL "$1" "$2" 2>/dev/null || true
  lab_wait 10 "! kill -0 $1 2>/dev/null && ! kill -0 $2 2>/dev/null" || lab_fail "directors $1 $2 still run"
  ip -n "${LAB}-d1" addr del "$3" dev eth0 2>/dev/null || true
  ip -n "${LAB}-d2" addr del "$3" dev eth0 2>/dev/null || true
}

dir_capture() {  # dir_capture NS FILE: sets LAB_LAST_PID; FILE.err holds tcpdump's messages
  lab_require tcpdump
  lab_spawn "$1" tcpdump -i eth0 -n -tt -v -l -U vrrp >"$2" 2>"$2.err"
  lab_wait 10 "grep -q 'listening on' '$2.err'" || lab_fail "tcpdump did not start in $1: $(cat "$2.err")"
}

dir_adverts() {  # dir_adverts FILE: one line per VRRP advert captured by dir_capture
  python3 - "$1" <<'PY'
import re, sys
t = None
for line in open(sys.argv[1]):
    m = re.match(r"^(\d+\.\d+) IP6? ", line)
    if m:
        t = m.group(1)
    m = re.search(r"(\S+) > \S+: VRRPv\d, Advertisement, vrid (\d+), prio (\d+)", line)
    if m and t:
        print(t, m.group(1), m.group(2), m.group(3))
        t = None
PY
}

dir_captured() {
  [ "$(dir_adverts "$1" | awk -v s="$2" -v v="${3:-}" '$2 == s && (v == "" || $3 == v) && $4 > 0' | wc -l)" -ge "${4:-1}" ]
}

# dir_resigned_to FILE MASTER BACKUP MDI: in the capture FILE, MASTER sent an advert with priority
# 0 and BACKUP's first advert after it (its takeover) came less than MDI seconds (BACKUP's
# Master_Down_Interval) after MASTER's last ordinary advert. Without the priority-0 advert, or a
# backup that ignored it, the takeover waits for Master_Down_Interval to run out since that last
# advert: the kernel's timestamps tell the two paths apart whatever the load on the machine.
dir_resigned_to() {
  dir_adverts "$1" | python3 -c '
import sys
master, backup, mdi = sys.argv[1], sys.argv[2], float(sys.argv[3])
ads = [(float(t), src, int(prio)) for t, src, _vrid, prio in (l.split() for l in sys.stdin)]
zero = [t for t, src, p in ads if src == master and p == 0]
if not zero:
    sys.exit("no priority-0 advert from %s on the wire" % master)
t0 = zero[0]
before = [t for t, src, p in ads if src == master and p > 0 and t < t0]
after = [t for t, src, p in ads if src == backup and p > 0 and t > t0]
if not after:
    sys.exit("no advert from %s after the priority-0 advert" % backup)
if not before:
    sys.exit("no ordinary advert from %s captured before its priority-0 advert" % master)
last = before[-1]
took = after[0] - last
print("priority 0 at +%.3f s after the last advert, %s took over %.3f s after it (Master_Down_Interval %.3f s)"
      % (t0 - last, backup, took, mdi))
if took >= mdi:
    sys.exit("%s took over only after Master_Down_Interval: it ignored the priority-0 advert" % backup)
' "$2" "$3" "$4"
}

dir_addr_monitor() {  # dir_addr_monitor NS FILE: sets LAB_LAST_PID
  lab_spawn "$1" ip monitor address >"$2" 2>&1
  # Ready once it reports an address of ours coming and going (192.0.2.254/32 on lo).
  local i
  for i in $(seq 100); do
    ip -n "${LAB}-$1" addr add 192.0.2.254/32 dev lo 2>/dev/null || true
    ip -n "${LAB}-$1" addr del 192.0.2.254/32 dev lo 2>/dev/null || true
    if grep -q "Deleted.* 192.0.2.254/32" "$2"; then return 0; fi
    sleep 0.1
  done
  lab_fail "ip monitor address did not start in $1"
}

dir_log_mark() { stat -c %s "$LAB_TMP/$1.log" 2>/dev/null || echo 0; }
dir_log_since() { tail -c "+$(( $2 + 1 ))" "$LAB_TMP/$1.log"; }

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
  sleep "$settle"  # an observation window: the backup must NOT take the VIP meanwhile
  if lab_has_addr d2 eth0 "$addr"; then
    lab_fail "$b_impl backup also holds the VIP: it does not accept $m_impl's adverts"
  fi
  if [ "$b_impl" = lvsctl ]; then
    dir_backup_accepts d2 "$cond" || lab_fail "lvsctl backup did not accept $m_impl's adverts"
  fi
  kill -KILL "$m"
  lab_wait 10 "lab_has_addr d2 eth0 $addr" || lab_fail "$b_impl backup did not take over from $m_impl"
  if [ -n "${DIR_ON_VIP:-}" ]; then "$DIR_ON_VIP" d2 "$b_impl backup"; fi
  # kill -9 leaves lvsctl's VIP on the dead master (keepalived's VRRP child outlives its parent
  # and cleans up); the restarted lvsctl removes it before it preempts, as d1's address events show.
  local mon=$LAB_TMP/d1-addr-events.$m_impl.$b_impl monitor
  if [ "$m_impl" = lvsctl ]; then
    lab_has_addr d1 eth0 "$addr" || lab_fail "kill -9 of lvsctl left no stale VIP (test premise)"
    dir_addr_monitor d1 "$mon"; monitor=$LAB_LAST_PID
  fi
  dir_start "$m_impl" d1 "$LAB_TMP/m.conf"; m=$LAB_LAST_PID
  lab_wait 10 "lab_has_addr d1 eth0 $addr && ! lab_has_addr d2 eth0 $addr" \
    || lab_fail "$m_impl did not preempt $b_impl"
  if [ "$m_impl" = lvsctl ]; then
    kill "$monitor" 2>/dev/null || true
    dir_stale_vip_removed "$mon" "$addr" || lab_fail "restarted lvsctl did not remove its stale VIP $with_len: $(cat "$mon")"
  fi
  dir_stop_pair "$m" "$b" "$with_len"
}
