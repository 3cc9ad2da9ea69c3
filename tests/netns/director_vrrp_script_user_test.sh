#!/usr/bin/env bash
# Who track and notify scripts run as (global_defs script_user / enable_script_security), with
# keepalived 2.2.7 as the oracle on the same files:
#  - script_user nobody: the track script and notify_master write `id -u`/`id -g`: 65534 65534
#    from lvsctl and from keepalived;
#  - no script_user and no user keepalived_script: scripts run as root, with a warning;
#  - enable_script_security: a world-writable script run as root (`user root` given explicitly)
#    is refused with a clear log line and never runs (keepalived refuses it too); the instance
#    still becomes MASTER (a refused track_script no longer counts, as in keepalived);
#  - enable_script_security, no script_user, no user keepalived_script: a script without its own
#    `user` is refused however safe its path (keepalived: "Unable to set default user
#    keepalived_script for script"; the vrrp_script is removed, the notify script ignored); both
#    still become MASTER and neither runs either script. Skipped when keepalived_script exists.
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3 keepalived
getent passwd nobody >/dev/null || lab_skip "user nobody does not exist"
nobody_id="$(id -u nobody) $(id -g nobody)"

dir_lab
# Scripts must be reachable by nobody: /tmp (sticky) -> LAB_TMP (root, 0755) -> scripts.
chmod 0755 "$LAB_TMP"
out="$LAB_TMP/out"; mkdir -m 1777 "$out"
script() {  # script NAME MODE: writes "uid gid" to $out/NAME.<tag>, the tag from $TAG_FILE
  printf '#!/bin/sh\necho "$(id -u) $(id -g)" > %s/%s.$(cat %s/tag)\n' "$out" "$1" "$out" >"$LAB_TMP/$1.sh"
  chmod "$2" "$LAB_TMP/$1.sh"
}
script track 0755
script master 0755
script bad 0777

conf() {  # conf FILE GLOBAL_LINES TRACK_SCRIPT NOTIFY_SCRIPT [USER]: USER runs both scripts
  local track_user="" notify_user=""
  if [ -n "${5:-}" ]; then track_user="user $5"; notify_user=" $5"; fi
  cat >"$1" <<CONF
global_defs {
   vrrp_version 3
$2
}
vrrp_script chk {
    script "$3"
    interval 1
    $track_user
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 0.1
    track_script {
        chk
    }
    notify_master "$4"$notify_user
    virtual_ipaddress {
        $VIP
    }
}
CONF
}

run() {  # run IMPL TAG CONF [FILE...]: run until MASTER and the FILEs (written by the scripts)
  # exist, then stop; sets run_log. Without FILEs (scripts that must not run), for 1.5 s more.
  echo "$2" >"$out/tag"
  local log="$LAB_TMP/$1-$2.log" pid
  rm -rf "$LAB_TMP/run-d1" "$LAB_TMP/ka-d1"
  if [ "$1" = lvsctl ]; then
    mkdir -p "$LAB_TMP/run-d1"
    lab_spawn d1 "$LVSCTL" director run -f "$3" --run-dir "$LAB_TMP/run-d1" >"$log" 2>&1
  else
    lab_keepalived d1 "$3" >"$log" 2>&1
  fi
  pid=$LAB_LAST_PID
  lab_wait 10 "dir_vip_on d1" || lab_fail "$1 ($2): never became MASTER: $(tail -5 "$log")"
  if [ $# -gt 3 ]; then
    local f
    for f in "${@:4}"; do
      lab_wait 10 "[ -s '$f' ]" || lab_fail "$1 ($2): the script writing $f did not run: $(tail -5 "$log")"
    done
  else
    sleep 1.5  # an observation window: the track script would run every second
  fi
  kill -TERM "$pid"; lab_wait 5 "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
  ip -n "${LAB}-d1" addr del "$VIP/32" dev eth0 2>/dev/null || true
  run_log=$log
}
expect_ids() {  # expect_ids FILE "UID GID" WHO
  [ -s "$1" ] || lab_fail "$3: the script did not run ($1 missing)"
  [ "$(cat "$1")" = "$2" ] || lab_fail "$3: ran as '$(cat "$1")', expected '$2'"
}

for impl in lvsctl keepalived; do
  lab_log "--- $impl: script_user nobody"
  conf "$LAB_TMP/user.conf" "   script_user nobody" "$LAB_TMP/track.sh" "$LAB_TMP/master.sh"
  run "$impl" user "$LAB_TMP/user.conf" "$out/track.user" "$out/master.user"
  expect_ids "$out/track.user" "$nobody_id" "$impl track script"
  expect_ids "$out/master.user" "$nobody_id" "$impl notify_master"

  lab_log "--- $impl: enable_script_security refuses a world-writable script run as root"
  conf "$LAB_TMP/secure.conf" "   enable_script_security" "$LAB_TMP/bad.sh" "$LAB_TMP/bad.sh" root
  run "$impl" secure "$LAB_TMP/secure.conf"
  [ -e "$out/bad.secure" ] && lab_fail "$impl ran a world-writable script as root despite enable_script_security"
  rm -f "$out/bad.secure"
done
grep -q "VRRP_Script(chk) disabled: refused to run as root (enable_script_security): $LAB_TMP/bad.sh is writable by everyone" \
  "$LAB_TMP/lvsctl-secure.log" || lab_fail "no clear log line for the refused track script: $(cat "$LAB_TMP/lvsctl-secure.log")"
grep -q "notify script '$LAB_TMP/bad.sh' disabled: refused" "$LAB_TMP/lvsctl-secure.log" \
  || lab_fail "no clear log line for the refused notify script"
grep -q "Unsafe permissions found for script '$LAB_TMP/bad.sh' - disabling" "$LAB_TMP/keepalived-secure.log" \
  || lab_fail "keepalived did not refuse bad.sh as unsafe: $(cat "$LAB_TMP/keepalived-secure.log")"

if getent passwd keepalived_script >/dev/null; then
  lab_log "--- skipped: user keepalived_script exists, so enable_script_security has a default user"
else
  for impl in lvsctl keepalived; do
    lab_log "--- $impl: enable_script_security, no script_user, no keepalived_script: no default user"
    conf "$LAB_TMP/nodefault.conf" "   enable_script_security" "$LAB_TMP/track.sh" "$LAB_TMP/master.sh"
    run "$impl" nodefault "$LAB_TMP/nodefault.conf"
    [ -e "$out/track.nodefault" ] && lab_fail "$impl ran a track script without a user as $(cat "$out/track.nodefault")"
    [ -e "$out/master.nodefault" ] && lab_fail "$impl ran notify_master without a user as $(cat "$out/master.nodefault")"
  done
  # keepalived 2.2.7 says why while parsing: the vrrp_script is removed, the notify script ignored.
  ka_log="$LAB_TMP/keepalived-nodefault.log"
  grep -q "Unable to set default user keepalived_script for script" "$ka_log" \
    || lab_fail "keepalived did not refuse the default user: $(cat "$ka_log")"
  grep -q "Unable to set default user for vrrp script chk - removing" "$ka_log" \
    || lab_fail "keepalived did not remove vrrp_script chk: $(cat "$ka_log")"
  grep -q "Failed to set default user for notify script $LAB_TMP/master.sh - ignoring" "$ka_log" \
    || lab_fail "keepalived did not ignore notify_master: $(cat "$ka_log")"
  lv_log="$LAB_TMP/lvsctl-nodefault.log"
  why="script_user is not set and user keepalived_script does not exist: enable_script_security does not run scripts as root by default"
  grep -qF "VRRP_Script(chk) disabled: $why" "$lv_log" \
    || lab_fail "no clear log line for the refused track script: $(cat "$lv_log")"
  grep -qF "notify script '$LAB_TMP/master.sh' disabled: $why" "$lv_log" \
    || lab_fail "no clear log line for the refused notify script: $(cat "$lv_log")"
fi

if ! getent passwd keepalived_script >/dev/null; then
  lab_log "--- lvsctl: no script_user and no user keepalived_script: root, with a warning"
  conf "$LAB_TMP/root.conf" "" "$LAB_TMP/track.sh" "$LAB_TMP/master.sh"
  run lvsctl root "$LAB_TMP/root.conf" "$out/track.root" "$out/master.root"
  expect_ids "$out/track.root" "0 0" "lvsctl track script without script_user"
  expect_ids "$out/master.root" "0 0" "lvsctl notify_master without script_user"
  grep -q "script_user is not set and user keepalived_script does not exist: scripts run as root" \
    "$run_log" || lab_fail "no warning that scripts run as root"
fi
lab_log "PASS"
