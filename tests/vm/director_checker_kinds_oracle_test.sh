#!/bin/bash
# vm tier: every checker kind, lvsctl against keepalived 2.2.7 (-C, checkers only) on the same
# config and the same events. One real server per checker kind, each with a real server of its
# kind in namespace r (its own address); the same scripted events (take real servers down, bring
# them back) are played to `lvsctl director run` and then to keepalived, each in a fresh director
# namespace of its own (IPVS state is per namespace). After each event, once the implementation
# has settled (the IPVS table shows the expected real servers) and a few more delay_loops have
# passed, the trace records:
#   - the IPVS table, `ipvsadm -Sn` sorted;
#   - each real server's up/down transitions so far, from its notify_up / notify_down scripts
#     (common ground: both run them on every transition, never at start).
# The two traces must be identical; the oracle must also have followed the events (a test whose
# events do not take keepalived's real servers down would compare nothing).
#
# The kinds are table-driven (ROWS below): a kind is one row plus its four functions
# (block_KIND: the checker block; top_KIND: top-level blocks it needs; up_KIND / down_KIND: bring
# its real server up / down). Rows with enabled=0 are kinds lvsctl does not implement yet.
. "${LVSCTL_SOURCE_DIR:?}/tests/lib/netns.sh"
lab_require_root
lab_require ipvsadm keepalived socat openssl python3
[ "${LVSCTL_IN_VM:-0}" = 1 ] || lab_skip "needs real IPVS (keepalived's checker): runs in the vm tier only"
[ -x "${LVSCTL:-}" ] || lab_skip "LVSCTL does not point at the built lvsctl"

# kind        enabled  proto  real server          (one line each; enabled=0: not in lvsctl yet)
ROWS=(
  "TCP_CHECK    1  TCP  203.0.113.101 8001"
  "HTTP_GET     1  TCP  203.0.113.102 8002"
  "SSL_GET      1  TCP  203.0.113.103 8003"
  "MISC_CHECK   1  TCP  203.0.113.104 8004"
  "UDP_CHECK    1  UDP  203.0.113.105 8005"
  "DNS_CHECK    1  UDP  203.0.113.106 53"
  "PING_CHECK   1  TCP  203.0.113.107 8007"
  "SMTP_CHECK   1  TCP  203.0.113.108 25"
  "FILE_CHECK   1  TCP  203.0.113.109 8009"
)
KINDS=()
declare -A PROTO ADDR PORT
for row in "${ROWS[@]}"; do
  read -r kind enabled proto addr port <<<"$row"
  [ "$enabled" = 1 ] || continue
  KINDS+=("$kind"); PROTO[$kind]=$proto; ADDR[$kind]=$addr; PORT[$kind]=$port
done
lab_log "checker kinds: ${KINDS[*]}"
PY=/usr/bin/python3; [ -x "$PY" ] || PY=$(command -v python3)  # Debian's (a pyenv shim is slow under TCG)

chmod 0755 "$LAB_TMP"
srv="$LAB_TMP/srv"; mkdir -p "$srv"
declare -A PID  # the running server of each kind

# Common retry settings: a failure is confirmed by one retry, delay_loop 1 (set on the VS).
COMMON="connect_timeout 5
            retry 1
            delay_before_retry 1
            warmup 0"

# --- TCP_CHECK: a socat listener that accepts and closes -------------------------------------
block_TCP_CHECK() { printf 'TCP_CHECK {\n            %s\n        }' "$COMMON"; }
up_TCP_CHECK() {
  lab_spawn r socat "TCP-LISTEN:${PORT[TCP_CHECK]},bind=${ADDR[TCP_CHECK]},reuseaddr,fork" SYSTEM:true
  PID[TCP_CHECK]=$LAB_LAST_PID
  wait_tcp TCP_CHECK
}
down_TCP_CHECK() { stop_server TCP_CHECK; }

# --- HTTP_GET: python3's http.server, GET / answered 200 --------------------------------------
block_HTTP_GET() {
  printf 'HTTP_GET {\n            url {\n                path /index.html\n                status_code 200\n            }\n            %s\n        }' "$COMMON"
}
up_HTTP_GET() {
  mkdir -p "$srv/www"; echo ok >"$srv/www/index.html"
  lab_spawn r "$PY" -m http.server --bind "${ADDR[HTTP_GET]}" --directory "$srv/www" "${PORT[HTTP_GET]}" \
    >>"$srv/http.log" 2>&1
  PID[HTTP_GET]=$LAB_LAST_PID
  wait_tcp HTTP_GET
}
down_HTTP_GET() { stop_server HTTP_GET; }

# --- SSL_GET: openssl s_server -www (answers any GET with 200 and a status page) -------------
block_SSL_GET() {
  printf 'SSL_GET {\n            url {\n                path /\n                status_code 200\n            }\n            %s\n        }' "$COMMON"
}
up_SSL_GET() {
  [ -s "$srv/tls.key" ] || openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj /CN=rs.test -days 2 -keyout "$srv/tls.key" -out "$srv/tls.crt" 2>/dev/null ||
    lab_fail "openssl could not make a certificate"
  lab_spawn r openssl s_server -quiet -www -accept "${ADDR[SSL_GET]}:${PORT[SSL_GET]}" \
    -cert "$srv/tls.crt" -key "$srv/tls.key" </dev/null >/dev/null 2>&1
  PID[SSL_GET]=$LAB_LAST_PID
  wait_tcp SSL_GET
}
down_SSL_GET() { stop_server SSL_GET; }

# --- MISC_CHECK: a script that tests a file ---------------------------------------------------
block_MISC_CHECK() {
  printf 'MISC_CHECK {\n            misc_path "%s"\n            misc_timeout 5\n            retry 1\n            delay_before_retry 1\n            warmup 0\n        }' "$srv/misc.sh"
}
printf '#!/bin/sh\ntest -e %s/misc.up\n' "$srv" >"$srv/misc.sh"; chmod 0755 "$srv/misc.sh"
up_MISC_CHECK() { touch "$srv/misc.up"; }
down_MISC_CHECK() { rm -f "$srv/misc.up"; }

# --- UDP_CHECK: a socat UDP echo; "ping" must come back --------------------------------------
block_UDP_CHECK() {
  printf 'UDP_CHECK {\n            payload 70696e67\n            require_reply 70696e67\n            %s\n        }' "$COMMON"
}
up_UDP_CHECK() {
  lab_spawn r socat "UDP4-RECVFROM:${PORT[UDP_CHECK]},bind=${ADDR[UDP_CHECK]},reuseaddr,fork" PIPE
  PID[UDP_CHECK]=$LAB_LAST_PID
  lab_wait 30 "[ -n \"\$(lab_exec r ss -Huln 'sport = :${PORT[UDP_CHECK]}')\" ]" || lab_fail "no UDP echo"
}
down_UDP_CHECK() { stop_server UDP_CHECK; }

# --- DNS_CHECK: dnsmasq answering A check.test ------------------------------------------------
block_DNS_CHECK() {
  printf 'DNS_CHECK {\n            type A\n            name check.test\n            %s\n        }' "$COMMON"
}
up_DNS_CHECK() {
  lab_spawn r dnsmasq -k -C /dev/null --no-resolv --no-hosts --bind-interfaces \
    --listen-address="${ADDR[DNS_CHECK]}" --port="${PORT[DNS_CHECK]}" --address=/check.test/192.0.2.53 \
    --pid-file= --user=root --group=root
  PID[DNS_CHECK]=$LAB_LAST_PID
  lab_wait 30 "[ -n \"\$(lab_exec r ss -Huln 'sport = :${PORT[DNS_CHECK]}')\" ]" || lab_fail "no dnsmasq"
}
down_DNS_CHECK() { stop_server DNS_CHECK; }

# --- PING_CHECK: the real server's address comes and goes -------------------------------------
block_PING_CHECK() { printf 'PING_CHECK {\n            %s\n        }' "$COMMON"; }
up_PING_CHECK() { lab_exec r ip addr replace "${ADDR[PING_CHECK]}/24" dev eth0; }
down_PING_CHECK() { lab_exec r ip addr del "${ADDR[PING_CHECK]}/24" dev eth0; }

# --- SMTP_CHECK: Debian's OpenSMTPD (smtpd -d, in the foreground) ---------------------------
block_SMTP_CHECK() {
  printf 'SMTP_CHECK {\n            helo_name director.test\n            %s\n        }' "$COMMON"
}
up_SMTP_CHECK() {
  printf 'listen on %s port %s\naction "local" mbox\nmatch from any for local action "local"\n' \
    "${ADDR[SMTP_CHECK]}" "${PORT[SMTP_CHECK]}" >"$srv/smtpd.conf"
  chmod 0644 "$srv/smtpd.conf"
  lab_spawn r smtpd -d -f "$srv/smtpd.conf" >>"$srv/smtpd.log" 2>&1
  PID[SMTP_CHECK]=$LAB_LAST_PID
  wait_tcp SMTP_CHECK
}
down_SMTP_CHECK() { stop_server SMTP_CHECK; }

# --- FILE_CHECK: a tracked file, 0 = up, anything else = down (weight 0) ----------------------
top_FILE_CHECK() { printf 'track_file rs_file {\n    file "%s"\n    weight 0\n}\n' "$srv/file_check"; }
block_FILE_CHECK() { printf 'FILE_CHECK {\n            track_file rs_file\n            weight 0\n        }'; }
up_FILE_CHECK() { echo 0 >"$srv/file_check.new"; mv "$srv/file_check.new" "$srv/file_check"; }
down_FILE_CHECK() { echo 1 >"$srv/file_check.new"; mv "$srv/file_check.new" "$srv/file_check"; }

wait_tcp() {  # wait_tcp KIND: its TCP server listens
  lab_wait 60 "[ -n \"\$(lab_exec r ss -Htln 'sport = :${PORT[$1]}')\" ]" || lab_fail "no $1 server listening"
}
stop_server() {  # stop_server KIND
  local p=${PID[$1]:-}
  [ -n "$p" ] || return 0
  kill -TERM "$p" 2>/dev/null || true
  lab_wait 10 "! kill -0 $p" || kill -KILL "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
  PID[$1]=""
}
for kind in "${KINDS[@]}"; do
  case $kind in
    DNS_CHECK) lab_require dnsmasq ;;
    SMTP_CHECK) lab_require smtpd ;;
  esac
done

# --- the config ------------------------------------------------------------------------------
lab_ns r
lab_link r eth0 $(for k in "${KINDS[@]}"; do echo "${ADDR[$k]}/24"; done)
out="$LAB_TMP/out"; mkdir -p "$out"
printf '#!/bin/sh\necho "$1 $2" >> %s/notify.$(cat %s/impl)\n' "$out" "$out" >"$srv/notify.sh"
chmod 0755 "$srv/notify.sh"
conf="$LAB_TMP/kinds.conf"
{
  for k in "${KINDS[@]}"; do declare -F "top_$k" >/dev/null && "top_$k"; done
  for proto in TCP UDP; do
    vs_port=80; [ "$proto" = UDP ] && vs_port=53
    printf 'virtual_server 198.51.100.1 %s {\n    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n    protocol %s\n' "$vs_port" "$proto"
    for k in "${KINDS[@]}"; do
      [ "${PROTO[$k]}" = "$proto" ] || continue
      printf '    real_server %s %s {\n        weight 1\n' "${ADDR[$k]}" "${PORT[$k]}"
      printf '        notify_up "%s %s up"\n        notify_down "%s %s down"\n' "$srv/notify.sh" "$k" "$srv/notify.sh" "$k"
      printf '        %s\n    }\n' "$("block_$k")"
    done
    printf '}\n'
  done
} >"$conf"
"$LVSCTL" director check-config -f "$conf" >"$LAB_TMP/check-config.log" 2>&1 ||
  lab_fail "lvsctl check-config refused the config: $(cat "$LAB_TMP/check-config.log")"

# --- the events ------------------------------------------------------------------------------
# Each step: "down|up KIND..." applied to the enabled kinds among those named.
# Every real server goes down and up once, in two halves, one half coming back while the other
# goes down in the same step (three steps: the vm suite's time is CI's critical path).
evens=() odds=()
for i in "${!KINDS[@]}"; do
  if [ $((i % 2)) = 0 ]; then evens+=("${KINDS[$i]}"); else odds+=("${KINDS[$i]}"); fi
done
STEPS=(
  "down ${evens[*]}"
  "up ${evens[*]}|down ${odds[*]}"
  "up ${odds[*]}"
)

declare -A UP  # the expected state of each kind
expected_table_ok() {  # the IPVS table of director namespace $1 has exactly the expected real servers
  local t k
  t=$(lab_exec "$1" ipvsadm -Sn) || return 1
  for k in "${KINDS[@]}"; do
    if [ "${UP[$k]}" = 1 ]; then grep -q -- "-r ${ADDR[$k]}:${PORT[$k]} " <<<"$t" || return 1
    else ! grep -q -- "-r ${ADDR[$k]}:${PORT[$k]} " <<<"$t" || return 1; fi
  done
}
snapshot() {  # snapshot NS IMPL LABEL SETTLED: append the table and the transitions to the trace
  local k
  {
    echo "--- $3 (settled: $4)"
    lab_exec "$1" ipvsadm -Sn | sort
    for k in "${KINDS[@]}"; do
      printf '%s:' "$k"
      awk -v k="$k" '$1 == k { printf " %s", $2 }' "$out/notify.$2" 2>/dev/null || true
      echo
    done
  } >>"$LAB_TMP/$2.trace"
}

run_impl() {  # run_impl IMPL DIRECTOR_ADDRESS
  local impl=$1 ns="d_$1" log="$LAB_TMP/$1.log" daemon step part verb k settled
  lab_log "--- $impl"
  for k in "${KINDS[@]}"; do "up_$k"; UP[$k]=1; done
  echo "$impl" >"$out/impl"; : >"$out/notify.$impl"
  lab_ns "$ns"
  lab_link "$ns" eth0 "$2/24"
  if [ "$impl" = lvsctl ]; then
    mkdir -p "$LAB_TMP/run-$impl"
    lab_spawn "$ns" "$LVSCTL" director run -f "$conf" --run-dir "$LAB_TMP/run-$impl" >"$log" 2>&1
  else
    local ka="$LAB_TMP/ka"; mkdir -p "$ka"
    lab_spawn "$ns" keepalived -C -n -D -f "$conf" -p "$ka/k.pid" -c "$ka/c.pid" -r "$ka/v.pid" \
      -b "$ka/b.pid" >"$log" 2>&1
  fi
  daemon=$LAB_LAST_PID
  settled=yes
  lab_wait 60 "expected_table_ok $ns" || settled=no
  sleep 3  # first checks of every real server (warmup 0, delay_loop 1): all up, nothing notified
  snapshot "$ns" "$impl" "start" "$settled"
  for step in "${STEPS[@]}"; do
    IFS='|' read -r -a parts <<<"$step"
    for part in "${parts[@]}"; do
      read -r verb rest <<<"$part"
      for k in $rest; do "${verb}_$k"; UP[$k]=$([ "$verb" = up ] && echo 1 || echo 0); done
    done
    settled=yes
    lab_wait 60 "expected_table_ok $ns" || settled=no
    lab_log "$impl: '$step' settled: $settled"
    sleep 3  # an observation window of three delay_loops: no further transition
    snapshot "$ns" "$impl" "$step" "$settled"
  done
  kill -TERM "$daemon"
  lab_wait 15 "! kill -0 $daemon 2>/dev/null" || kill -KILL "$daemon" 2>/dev/null || true
  wait "$daemon" 2>/dev/null || true
  ip netns delete "${LAB}-$ns"
  for k in "${KINDS[@]}"; do "down_$k"; done
}

run_impl lvsctl 203.0.113.98
run_impl keepalived 203.0.113.99

# The oracle followed the events: every step settled, every real server went down and up.
if grep -q 'settled: no' "$LAB_TMP/keepalived.trace"; then
  cat "$LAB_TMP/keepalived.trace" >&2; tail -n 40 "$LAB_TMP/keepalived.log" >&2
  lab_fail "keepalived did not follow the events (the test's servers or config are wrong)"
fi
for k in "${KINDS[@]}"; do
  [ "$(tail -n "${#KINDS[@]}" "$LAB_TMP/keepalived.trace" | grep "^$k:")" = "$k: down up" ] ||
    lab_fail "keepalived's transitions of $k: $(grep "^$k:" "$LAB_TMP/keepalived.trace" | tail -n1)"
done
if ! diff -u "$LAB_TMP/keepalived.trace" "$LAB_TMP/lvsctl.trace" >"$LAB_TMP/trace.diff"; then
  cat "$LAB_TMP/trace.diff" >&2
  lab_log "lvsctl's log:"; grep -E 'UP|DOWN' "$LAB_TMP/lvsctl.log" | tail -n 40 >&2 || true
  lab_fail "lvsctl's IPVS tables or transitions differ from keepalived's (diff above: - keepalived, + lvsctl)"
fi
lab_log "same tables and transitions as keepalived for ${KINDS[*]} over ${#STEPS[@]} events"
lab_log "PASS"
