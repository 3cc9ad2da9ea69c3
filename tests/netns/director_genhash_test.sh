#!/usr/bin/env bash
# `lvsctl director genhash` (issue 16) against real web servers in a namespace, compared with
# keepalived's own genhash (Debian package keepalived) and md5sum of the file served:
#   - HTTP (python3 -m http.server): the same digest as genhash and md5sum, with and without -V;
#   - HTTPS (openssl s_server -WWW, a throw-away certificate): -S gives the same digest as
#     genhash -S;
#   - a closed port, a server that accepts and never answers (-t 1: a timeout, not a hang) and a
#     bad address fail with exit 1 / 1 / 2 and say why.
. "$(dirname "$0")/../lib/netns.sh"
lab_require_root
lab_require python3 openssl genhash md5sum

lab_ns web; lab_ns cl
lab_link web eth0 203.0.113.20/24
lab_link cl eth0 203.0.113.10/24
mkdir -p "$LAB_TMP/www"
python3 -c 'import sys; sys.stdout.write("".join("line %d of the page\n" % i for i in range(3000)))' \
  >"$LAB_TMP/www/index.html"
want=$(md5sum "$LAB_TMP/www/index.html" | cut -d' ' -f1)

lab_spawn web python3 -m http.server 8080 --bind 203.0.113.20 --directory "$LAB_TMP/www" \
  >>"$LAB_TMP/http.log" 2>&1
lab_wait 20 "lab_exec web ss -Htln 'sport = :8080' | grep -q LISTEN" || lab_fail "no HTTP server"

ours=$(lab_exec cl "$LVSCTL" director genhash -s 203.0.113.20 -p 8080 -u /index.html) \
  || lab_fail "genhash over HTTP failed"
theirs=$(lab_exec cl genhash -s 203.0.113.20 -p 8080 -u /index.html 2>/dev/null | tr -d '[:space:]' | grep -o '[0-9a-f]\{32\}' | tail -n1)
[ "$ours" = "$want" ] || lab_fail "HTTP digest $ours, md5sum says $want"
[ "$ours" = "$theirs" ] || lab_fail "HTTP digest $ours, keepalived's genhash says '$theirs'"
vhost=$(lab_exec cl "$LVSCTL" director genhash -s 203.0.113.20 -p 8080 -u /index.html -V www.example.test -P 1.1 -v 2>"$LAB_TMP/v.err") \
  || lab_fail "genhash -V failed"
[ "$vhost" = "$want" ] || lab_fail "-V digest $vhost"
grep -q 'HTTP status 200, body [0-9]* bytes' "$LAB_TMP/v.err" || lab_fail "-v: $(cat "$LAB_TMP/v.err")"
lab_log "HTTP: $ours, as genhash and md5sum"

# HTTPS: openssl s_server -WWW serves files below its working directory.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=www.example.test \
  -keyout "$LAB_TMP/key.pem" -out "$LAB_TMP/cert.pem" >/dev/null 2>&1 || lab_fail "no certificate"
(cd "$LAB_TMP/www" && exec ip netns exec "${LAB}-web" openssl s_server -quiet -WWW -accept 203.0.113.20:8443 \
  -cert "$LAB_TMP/cert.pem" -key "$LAB_TMP/key.pem" >>"$LAB_TMP/tls.log" 2>&1) &
LAB_PIDS+=("$!")
lab_wait 20 "lab_exec web ss -Htln 'sport = :8443' | grep -q LISTEN" || lab_fail "no HTTPS server"
ours=$(lab_exec cl "$LVSCTL" director genhash -S -s 203.0.113.20 -p 8443 -u /index.html) \
  || lab_fail "genhash over HTTPS failed"
theirs=$(lab_exec cl genhash -S -s 203.0.113.20 -p 8443 -u /index.html 2>/dev/null | tr -d '[:space:]' | grep -o '[0-9a-f]\{32\}' | tail -n1)
[ "$ours" = "$theirs" ] || lab_fail "HTTPS digest $ours, keepalived's genhash -S says '$theirs'"
lab_log "HTTPS: $ours, as genhash -S"

# Failures: refused, stalled, bad usage.
rc=0; out=$(lab_exec cl "$LVSCTL" director genhash -s 203.0.113.20 -p 8081 -u / 2>&1) || rc=$?
[ "$rc" = 1 ] && grep -qi 'refused' <<<"$out" || lab_fail "closed port: exit $rc: $out"
lab_spawn web python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("203.0.113.20", 8082)); s.listen(5)
held = []
while True:
    c, _ = s.accept(); held.append(c)'
lab_wait 20 "lab_exec web ss -Htln 'sport = :8082' | grep -q LISTEN" || lab_fail "no stalled server"
rc=0; out=$(lab_exec cl timeout 30 "$LVSCTL" director genhash -s 203.0.113.20 -p 8082 -u / -t 1 2>&1) || rc=$?
[ "$rc" = 1 ] && grep -q 'response timeout after 1 s' <<<"$out" || lab_fail "stalled server: exit $rc: $out"
rc=0; out=$("$LVSCTL" director genhash -s www.example.test -p 80 -u / 2>&1) || rc=$?
[ "$rc" = 2 ] && grep -q "not 'www.example.test'" <<<"$out" || lab_fail "bad server: exit $rc: $out"
lab_log "refused, stalled (timeout) and bad address fail with the reason"
echo PASS
