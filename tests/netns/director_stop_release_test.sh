#!/usr/bin/env bash
# Stop removes the virtual servers lvsctl created, as keepalived does (nftables datapath here;
# IPVS in tests/vm): SIGTERM -> `table ip lvsctl` gone; with --dont-release-ipvs it stays, and
# the next start takes it over.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require nft

lab_ns d1
lab_link d1 eth0 203.0.113.104/24
cat >"$LAB_TMP/lb.conf" <<'CONF'
global_defs {
    lb_backend nftables
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 100
    priority 100
    advert_int 1
    virtual_ipaddress {
        203.0.113.100
    }
}
virtual_server 203.0.113.100 10010 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 198.51.100.11 10010 {
        weight 1
    }
}
CONF
has_table() { lab_exec d1 nft list table ip lvsctl >/dev/null 2>&1; }
run_and_stop() {  # run_and_stop [OPTION]: start, wait for the table, SIGTERM, wait for the exit
  mkdir -p "$LAB_TMP/run-d1"
  lab_spawn d1 "$LVSCTL" director run -f "$LAB_TMP/lb.conf" --run-dir "$LAB_TMP/run-d1" "$@" \
    >>"$LAB_TMP/d1.log" 2>&1
  local pid=$LAB_LAST_PID
  lab_wait 60 has_table || lab_fail "no table ip lvsctl: $(tail -20 "$LAB_TMP/d1.log")"
  lab_wait 60 "grep -q 'Startup complete' '$LAB_TMP/d1.log'" || lab_fail "no start-up"
  # nftables programs a VIP's services only while this director holds it as MASTER.
  lab_wait 60 "lab_has_addr d1 eth0 203.0.113.100" || lab_fail "d1 never became MASTER"
  lab_wait 60 "lab_exec d1 nft list table ip lvsctl | grep -q 198.51.100.11" \
    || lab_fail "the MASTER's table has no backend: $(lab_exec d1 nft list table ip lvsctl)"
  kill -TERM "$pid"
  lab_wait 60 "! kill -0 $pid 2>/dev/null" || lab_fail "the director did not stop"
}

run_and_stop
has_table && lab_fail "table ip lvsctl left after stop: $(lab_exec d1 nft list table ip lvsctl)"
grep -q 'nftables: table ip lvsctl removed' "$LAB_TMP/d1.log" || lab_fail "no removal line"
lab_log "stop removed table ip lvsctl"

: >"$LAB_TMP/d1.log"
run_and_stop --dont-release-ipvs
has_table || lab_fail "--dont-release-ipvs: table ip lvsctl removed"
grep -q 'left in the kernel (--dont-release-ipvs)' "$LAB_TMP/d1.log" || lab_fail "no kept line"
# (nft writes its listing in many small writes: read it whole, a `| grep -q` under pipefail
# fails when grep stops reading first.)
kept=$(lab_exec d1 nft list table ip lvsctl)
grep -q "198.51.100.11" <<<"$kept" || lab_fail "the kept table lost its backend: $kept"
lab_log "--dont-release-ipvs kept it"

: >"$LAB_TMP/d1.log"
run_and_stop
has_table && lab_fail "a restarted director did not remove the kept table on stop"
lab_log "a restart took the kept table over and removed it on stop"
echo PASS
