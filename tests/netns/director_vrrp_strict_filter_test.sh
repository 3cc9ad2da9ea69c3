#!/usr/bin/env bash
# vrrp_strict / no_accept on the real kernel, compared with keepalived 2.2.7 running the same file
# in the same namespace: while MASTER, traffic to the VIPs of instances without accept mode is
# dropped (keepalived's `table ip keepalived`, lvsctl's `table ip lvsctl_vrrp`: the same
# addresses), a VIP of an instance with `accept` and the director's own address still answer;
# after a higher-priority peer took over (BACKUP) and after stop nothing is dropped.
# Per-instance strict_mode (keepalived 2.2.7: it replaces global vrrp_strict for its instance):
# `strict_mode off` under vrrp_strict drops nothing; in a second file without vrrp_strict,
# `strict_mode` (no value: on) drops its VIPs and the plain instance's still answer.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 keepalived nft socat

dir_lab
conf="$LAB_TMP/strict.conf"
cat >"$conf" <<'CONF'
global_defs {
   router_id STRICT
   vrrp_strict
}
vrrp_instance STRICT {
    state MASTER
    interface eth0
    version 3
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress {
        203.0.113.100/24
    }
    virtual_ipaddress_excluded {
        203.0.113.102/24
    }
}
vrrp_instance NOT_STRICT {
    state MASTER
    interface eth0
    version 3
    strict_mode off
    virtual_router_id 53
    priority 150
    advert_int 1
    virtual_ipaddress {
        203.0.113.103/24
    }
}
vrrp_instance OPEN {
    state MASTER
    interface eth0
    version 3
    accept
    virtual_router_id 52
    priority 150
    advert_int 1
    virtual_ipaddress {
        203.0.113.101/24
    }
}
CONF
# No vrrp_strict: one instance strict by its own strict_mode, one plain.
cat >"$LAB_TMP/strict_mode.conf" <<'CONF'
global_defs {
   router_id STRICT_MODE
}
vrrp_instance OWN_STRICT {
    state MASTER
    interface eth0
    version 3
    strict_mode
    virtual_router_id 54
    priority 150
    advert_int 1
    virtual_ipaddress {
        203.0.113.106/24
    }
    virtual_ipaddress_excluded {
        203.0.113.107/24
    }
}
vrrp_instance PLAIN {
    state MASTER
    interface eth0
    version 3
    virtual_router_id 55
    priority 150
    advert_int 1
    virtual_ipaddress {
        203.0.113.108/24
    }
}
CONF
# The peer that takes over STRICT: same VRID, higher priority, no vrrp_strict.
cat >"$LAB_TMP/peer.conf" <<'CONF'
vrrp_instance STRICT {
    state BACKUP
    interface eth0
    version 3
    virtual_router_id 51
    priority 250
    advert_int 1
    virtual_ipaddress {
        203.0.113.100/24
    }
}
CONF

# The addresses d1's drop tables hold (keepalived: its set's elements; lvsctl: the rules'
# anonymous sets), one per line, sorted.
dropped() {
  local rules
  rules=$(ip netns exec "${LAB}-d1" sh -c 'nft list table ip keepalived; nft list table ip lvsctl_vrrp' 2>/dev/null) || true
  grep -oE '203\.0\.113\.[0-9]+' <<<"$rules" | sort -u || true
}
# A TCP service on every address of d1: "answers" when the client gets its line back.
lab_spawn d1 socat TCP-LISTEN:7777,fork,reuseaddr SYSTEM:'echo hello'
answers() {
  [ "$(ip netns exec "${LAB}-cl" socat -T 2 - "TCP:$1:7777,connect-timeout=2" </dev/null 2>/dev/null)" = hello ]
}

run() {  # run IMPL -> $LAB_TMP/IMPL.{master,backup,stopped}
  local impl=$1 pid peer
  lab_log "--- $impl"
  dir_start "$impl" d1 "$conf"; pid=$LAB_LAST_PID
  lab_wait 30 "lab_has_addr d1 eth0 203.0.113.100/24 && lab_has_addr d1 eth0 203.0.113.101/24 && lab_has_addr d1 eth0 203.0.113.103/24" ||
    lab_fail "$impl: not MASTER ($(tail -5 "$LAB_TMP/d1.log"))"
  lab_wait 10 "[ \"\$(dropped | wc -l)\" -ge 2 ]" || lab_fail "$impl: no drop rule: $(ip netns exec "${LAB}-d1" nft list ruleset)"
  {
    dropped
    for a in 203.0.113.100 203.0.113.101 203.0.113.103 203.0.113.104; do
      if answers "$a"; then echo "$a answers"; else echo "$a silent"; fi
    done
  } >"$LAB_TMP/$impl.master"
  dir_lvsctl d2 "$LAB_TMP/peer.conf"; peer=$LAB_LAST_PID
  lab_wait 30 "lab_has_addr d2 eth0 203.0.113.100/24 && ! lab_has_addr d1 eth0 203.0.113.100/24" ||
    lab_fail "$impl: the peer did not take over ($(tail -5 "$LAB_TMP/d1.log"))"
  lab_wait 10 "[ -z \"\$(dropped)\" ]" || lab_fail "$impl: still dropping as BACKUP: $(dropped)"
  {
    dropped
    if answers 203.0.113.101; then echo "203.0.113.101 answers"; else echo "203.0.113.101 silent"; fi
  } >"$LAB_TMP/$impl.backup"
  kill -TERM "$peer"
  lab_wait 15 "! kill -0 $peer 2>/dev/null" || lab_fail "peer did not stop"
  # STRICT comes back to d1 (the peer sent priority 0), then stop.
  lab_wait 30 "[ -n \"\$(dropped)\" ]" || lab_fail "$impl: not dropping again as MASTER"
  kill -TERM "$pid"
  lab_wait 15 "! kill -0 $pid 2>/dev/null" || lab_fail "$impl did not stop"
  { dropped; ip netns exec "${LAB}-d1" nft list tables; } >"$LAB_TMP/$impl.stopped"
}

run_strict_mode() {  # run_strict_mode IMPL -> $LAB_TMP/IMPL.strict_mode: the second file as MASTER
  local impl=$1 pid
  lab_log "--- $impl, strict_mode without vrrp_strict"
  dir_start "$impl" d1 "$LAB_TMP/strict_mode.conf"; pid=$LAB_LAST_PID
  lab_wait 30 "lab_has_addr d1 eth0 203.0.113.106/24 && lab_has_addr d1 eth0 203.0.113.108/24" ||
    lab_fail "$impl: not MASTER ($(tail -5 "$LAB_TMP/d1.log"))"
  lab_wait 10 "[ \"\$(dropped | wc -l)\" -ge 2 ]" || lab_fail "$impl: no drop rule: $(ip netns exec "${LAB}-d1" nft list ruleset)"
  {
    dropped
    for a in 203.0.113.106 203.0.113.108 203.0.113.104; do
      if answers "$a"; then echo "$a answers"; else echo "$a silent"; fi
    done
  } >"$LAB_TMP/$impl.strict_mode"
  kill -TERM "$pid"
  lab_wait 15 "! kill -0 $pid 2>/dev/null" || lab_fail "$impl did not stop"
  lab_wait 10 "[ -z \"\$(dropped)\" ]" || lab_fail "$impl: still dropping after stop: $(dropped)"
}

run keepalived
run lvsctl
run_strict_mode keepalived
run_strict_mode lvsctl

for phase in master backup stopped strict_mode; do
  if ! diff -u "$LAB_TMP/keepalived.$phase" "$LAB_TMP/lvsctl.$phase"; then
    lab_fail "differs from keepalived when $phase (- keepalived, + lvsctl)"
  fi
done
# The comparison covers something: what was dropped, and what still answered.
expected_master=$(printf '%s\n' 203.0.113.100 203.0.113.102 "203.0.113.100 silent" \
  "203.0.113.101 answers" "203.0.113.103 answers" "203.0.113.104 answers")
[ "$(cat "$LAB_TMP/lvsctl.master")" = "$expected_master" ] ||
  lab_fail "MASTER: expected the strict VIPs dropped, the others answering: $(cat "$LAB_TMP/lvsctl.master")"
[ "$(cat "$LAB_TMP/lvsctl.backup")" = "203.0.113.101 answers" ] ||
  lab_fail "BACKUP: expected nothing dropped: $(cat "$LAB_TMP/lvsctl.backup")"
[ ! -s "$LAB_TMP/lvsctl.stopped" ] || lab_fail "tables left after stop: $(cat "$LAB_TMP/lvsctl.stopped")"
expected_strict_mode=$(printf '%s\n' 203.0.113.106 203.0.113.107 "203.0.113.106 silent" \
  "203.0.113.108 answers" "203.0.113.104 answers")
[ "$(cat "$LAB_TMP/lvsctl.strict_mode")" = "$expected_strict_mode" ] ||
  lab_fail "strict_mode: expected its VIPs dropped, the others answering: $(cat "$LAB_TMP/lvsctl.strict_mode")"
grep -q 'no_accept: dropping traffic to and from 203.0.113.100 203.0.113.102' "$LAB_TMP/d1.log" ||
  lab_fail "no log line for the drop rule"
lab_log "PASS: the same VIPs dropped as keepalived 2.2.7 when MASTER (vrrp_strict and per-instance strict_mode), none when BACKUP or stopped"
