#!/usr/bin/env bash
# Scripts run without a shell, and what runs is what was vetted (issue 13 row 3; issue 12:
# a timed-out script's whole process group is killed). One lvsctl director in a namespace, with
# enable_script_security and script_user root, tracks vrrp_scripts and has notify scripts whose
# lines try to smuggle a world-writable script past the vetting of their first word:
#   "SAFE/x.sh && WW", "SAFE/x.sh; WW", "SAFE/x.sh $(WW)", "/bin/sh WW"
# WW touches a marker file; it must never run (lvsctl before this change ran each line under
# /bin/sh -c, so WW ran as root). The safe scripts run and receive the shell syntax as plain
# arguments; the daemon logs what it refused and warns about the shell syntax. A notify script
# with quoted arguments receives exactly the argv keepalived would give it (one per line), with
# INSTANCE NAME STATE PRIORITY appended. A vrrp_script with `timeout 1` that ignores SIGTERM and
# starts a child that keeps running (`sleep 1000 &`, then `sleep 1000`): after the timeout the
# script and its child are both gone (checked by pid).
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root
lab_require python3

dir_lab
safe="$LAB_TMP/safe"; mkdir -m 0755 "$safe"
out="$LAB_TMP/out"; mkdir -m 0755 "$out"
ww="$LAB_TMP/ww.sh"
printf '#!/bin/sh\ntouch %s/WW-RAN\n' "$out" >"$ww"
chmod 0777 "$ww"
for name in and semi subst master backup any; do  # each writes its arguments, one per line
  printf '#!/bin/sh\nprintf "%%s\\n" "$@" > %s/%s.args.tmp && mv %s/%s.args.tmp %s/%s.args\n' \
    "$out" "$name" "$out" "$name" "$out" "$name" >"$safe/$name.sh"
done
# `notify` also names its file after the state it was given ($7 when the split is right).
printf '#!/bin/sh\nprintf "%%s\\n" "$@" > %s/any.$7.tmp && mv %s/any.$7.tmp %s/any.$7\n' \
  "$out" "$out" "$out" >"$safe/any.sh"
cat >"$safe/hang.sh" <<HANG
#!/bin/sh
trap '' TERM
sleep 1000 &
echo "\$\$ \$!" >> $out/hang.pids
sleep 1000
HANG
chmod 0755 "$safe"/*.sh

# Quoted heredoc: the config text is exactly as written (\" and \\ reach lvsctl's reader).
cat >"$LAB_TMP/d1.conf" <<'CONF'
global_defs {
   vrrp_version 3
   enable_script_security
   script_user root
}
vrrp_script chk_and {
    script "@SAFE@/and.sh && @WW@"
    interval 1
    weight 2
}
vrrp_script chk_semi {
    script "@SAFE@/semi.sh; @WW@"
    interval 1
    weight 2
}
vrrp_script chk_subst {
    script "@SAFE@/subst.sh $(@WW@)"
    interval 1
    weight 2
}
vrrp_script chk_shell {
    script "/bin/sh @WW@"
    interval 1
    weight 2
}
vrrp_script chk_hang {
    script "@SAFE@/hang.sh"
    interval 3
    timeout 1
    weight 2
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 0.1
    track_script {
        chk_and
        chk_semi
        chk_subst
        chk_shell
        chk_hang
    }
    notify_master "@SAFE@/master.sh && @WW@"
    notify_backup "@SAFE@/backup.sh $(@WW@)"
    notify_stop "/bin/sh @WW@"
    notify "@SAFE@/any.sh 'quoted arg' \"dq arg\" plain\\ word \"it's\""
    virtual_ipaddress {
        203.0.113.100
    }
}
CONF
sed -i "s|@SAFE@|$safe|g; s|@WW@|$ww|g" "$LAB_TMP/d1.conf"
log="$LAB_TMP/d1.log"

dir_lvsctl d1 "$LAB_TMP/d1.conf"
pid=$LAB_LAST_PID
lab_wait 20 "dir_vip_on d1" || lab_fail "never became MASTER: $(tail -20 "$log")"
lab_wait 20 "[ -e $out/and.args ] && [ -e $out/subst.args ] && [ -e $out/master.args ] && [ -e $out/backup.args ]" \
  || lab_fail "the safe scripts did not all run: $(ls "$out"); $(tail -20 "$log")"
# chk_and has run at least once by now, notify_master and notify_backup too.
[ -e "$out/WW-RAN" ] && lab_fail "the world-writable script ran (as root, despite enable_script_security)"
lab_wait 20 "ls $out/any.* >/dev/null 2>&1" || lab_fail "notify did not run: $(tail -20 "$log")"

expect_args() {  # expect_args FILE EXPECTED-LINES...
  local file=$1; shift
  local want; want=$(printf '%s\n' "$@")
  [ "$(cat "$file")" = "$want" ] || lab_fail "$(basename "$file"): got [$(cat "$file")], expected [$want]"
}
# Shell syntax after a safe program is only arguments to it.
expect_args "$out/and.args" "&&" "$ww"
expect_args "$out/subst.args" "\$($ww)"
expect_args "$out/master.args" "&&" "$ww"
expect_args "$out/backup.args" "\$($ww)"
# keepalived's quoting (the config line is read with escapes, then split): 'quoted arg',
# \"dq arg\", plain\\ word, \"it's\", then INSTANCE NAME STATE PRIORITY.
[ -e "$out/any.MASTER" ] || lab_fail "notify did not get MASTER as its 7th argument: $(head "$out"/any.*)"
prio=$(sed -n 8p "$out/any.MASTER")
expect_args "$out/any.MASTER" "quoted arg" "dq arg" "plain word" "it's" INSTANCE VI_1 MASTER "$prio"
[[ "$prio" =~ ^[0-9]+$ ]] || lab_fail "notify priority is not a number: $prio"
lab_log "safe scripts got exactly their argv; shell syntax stayed arguments"

# What was refused, and the warnings about shell syntax, are in the log.
grep -qF "VRRP_Script(chk_shell) disabled: refused to run as root (enable_script_security): $ww is writable by everyone" "$log" \
  || lab_fail "no log line for the refused /bin/sh $ww: $(grep -i script "$log")"
grep -qF "VRRP_Script(chk_semi) disabled: refused to run as root (enable_script_security): cannot examine $safe/semi.sh;" "$log" \
  || lab_fail "no log line for the refused '$safe/semi.sh;': $(grep -i script "$log")"
grep -qF "notify script '/bin/sh $ww' disabled: refused to run as root (enable_script_security): $ww is writable by everyone" "$log" \
  || lab_fail "no log line for the refused notify_stop: $(grep -i script "$log")"
grep -qF "'&&' is passed to $safe/and.sh as an argument: scripts run without a shell" "$log" \
  || lab_fail "no warning about '&&' in chk_and: $(grep -i shell "$log")"
grep -qF "'\$($ww)' is passed to $safe/backup.sh as an argument" "$log" \
  || lab_fail "no warning about \$(...) in notify_backup: $(grep -i shell "$log")"
lab_log "refusals and shell-syntax warnings logged"

# The hanging track script: killed at its timeout with its child, both by process group.
gone() {  # gone PID: no such process (or a zombie nobody has reaped yet)
  [ ! -e "/proc/$1" ] || [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ] || [ ! -e "/proc/$1/stat" ]
}
lab_wait 20 "[ -s $out/hang.pids ]" || lab_fail "hang.sh never ran: $(tail -20 "$log")"
read -r hang_pid child_pid < <(head -1 "$out/hang.pids")
[ -n "$child_pid" ] || lab_fail "hang.sh did not record its child: $(cat "$out/hang.pids")"
lab_wait 20 "grep -q 'VRRP_Script(chk_hang) timed out: killed' $log" || lab_fail "chk_hang never timed out: $(tail -20 "$log")"
lab_wait 20 "gone $hang_pid && gone $child_pid" \
  || lab_fail "after the timeout: script $hang_pid gone=$(gone "$hang_pid" && echo yes || echo no), child $child_pid gone=$(gone "$child_pid" && echo yes || echo no)"
lab_log "timed-out script $hang_pid and its child $child_pid are gone"

kill -TERM "$pid"
lab_wait 15 "! kill -0 $pid 2>/dev/null" || lab_fail "lvsctl did not stop on SIGTERM"
wait "$pid" 2>/dev/null || true
ip -n "${LAB}-d1" addr del "$VIP/32" dev eth0 2>/dev/null || true
# Whatever still runs from the hang script would be in the pid file: nothing may be left.
while read -r p c; do
  gone "$p" || lab_fail "hang.sh $p still runs after stop"
  gone "$c" || lab_fail "hang.sh's child $c still runs after stop"
done <"$out/hang.pids"
[ -e "$out/WW-RAN" ] && lab_fail "the world-writable script ran"
lab_log "PASS: the world-writable script never ran"
