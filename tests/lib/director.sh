# Helpers for director tests (source after netns.sh).
#   dir_lab                                # bridge + namespaces d1 (.104), d2 (.105), cl (.10)
#   dir_conf FILE PRIO STATE [VERSION] [AUTH_PASS] [ADVERT]   # the user's scenario VRRP block
#   dir_lvsctl NS CONF                     # lvsctl director run in NS (run dir $LAB_TMP/run-NS)
#   dir_status NS                          # lvsctl director status --json for NS
#   dir_vip_on NS                          # the VIP 203.0.113.100 is on NS's eth0
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
