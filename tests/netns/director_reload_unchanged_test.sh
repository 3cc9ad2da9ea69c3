#!/usr/bin/env bash
# SIGHUP of `lvsctl director run` when the configuration files did not change: the daemon finds
# every file byte-identical and the include glob matching the same files, logs "configuration
# unchanged" and does nothing (no parse, no "Reloaded in"). Any difference gives a full reload:
# one byte in an included file, a new file matching the glob, a file removed. After a rejected
# reload, files put back as they were are the running configuration again (unchanged); a missing
# main file is an error as before. (No IPVS needed: the daemon runs without it in the namespace.)
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/director.sh"
lab_require_root

lab_ns d1
conf=$LAB_TMP/etc/keepalived.conf
mkdir -p "$LAB_TMP/etc/conf.d"
printf 'global_defs {\n    router_id reload-test\n}\ninclude conf.d/*.conf\n' >"$conf"
service() {  # service WEIGHT: conf.d/a.conf, one virtual server
  printf 'virtual_server 198.51.100.10 80 {\n    lb_algo rr\n    lb_kind DR\n    protocol TCP\n    real_server 203.0.113.11 80 {\n        weight %s\n    }\n}\n' "$1" \
    >"$LAB_TMP/etc/conf.d/a.conf"
}
service 1
dir_lvsctl d1 "$conf"; daemon=$LAB_LAST_PID
log=$LAB_TMP/d1.log
lab_wait 20 "grep -q 'lvsctl director running' '$log'" || { cat "$log" >&2; lab_fail "the daemon did not start"; }

count() { grep -c "$1" "$log" || true; }
# hup PATTERN: SIGHUP, then wait until PATTERN has one more line than before.
hup() {
  local before
  before=$(count "$1")
  kill -HUP "$daemon"
  lab_wait 20 "[ \$(count '$1') -gt $before ]" || { tail -n 20 "$log" >&2; lab_fail "no new '$1' line"; }
}
full=0
expect_full() {  # the last SIGHUP reloaded in full, exactly once more than before
  full=$((full + 1))
  [ "$(count 'Reloaded in')" -eq "$full" ] || lab_fail "expected $full full reloads, log has $(count 'Reloaded in')"
}

hup 'configuration unchanged (2 files, same content); nothing to do'
[ "$(count 'Reloaded in')" -eq 0 ] || lab_fail "an unchanged reload parsed the configuration"
service 1  # rewritten with the same bytes: still unchanged
hup 'configuration unchanged'
[ "$(count 'Reloaded in')" -eq 0 ] || lab_fail "a rewrite with the same bytes reloaded in full"
lab_log "unchanged files: nothing done, twice"

service 2
hup 'Reloaded in'; expect_full
printf '# more\n' >"$LAB_TMP/etc/conf.d/b.conf"
hup 'Reloaded in'; expect_full
rm "$LAB_TMP/etc/conf.d/b.conf"
hup 'Reloaded in'; expect_full
hup 'configuration unchanged (2 files'
[ "$(count 'Reloaded in')" -eq "$full" ] || lab_fail "the files of the last full reload were not taken as unchanged"
lab_log "one byte changed, file added, file removed: full reloads; then unchanged again"

cp "$LAB_TMP/etc/conf.d/a.conf" "$LAB_TMP/a.good"
printf 'virtual_server {\n' >>"$LAB_TMP/etc/conf.d/a.conf"
hup 'Reload rejected'
cp "$LAB_TMP/a.good" "$LAB_TMP/etc/conf.d/a.conf"
hup 'configuration unchanged (2 files'
lab_log "after a rejected reload, the files put back are the running configuration"

mv "$conf" "$conf.away"
hup 'Reload rejected'
grep -q "cannot read the configuration" "$log" || lab_fail "no error for the missing main file"
kill -0 "$daemon" || lab_fail "the daemon exited"
lab_log "missing main file: rejected, the daemon keeps running"
