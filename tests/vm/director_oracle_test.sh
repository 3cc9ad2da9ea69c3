#!/bin/bash
# vm tier: for the user's scenario config and five more, the IPVS table `lvsctl director run`
# programs (ipvsadm -S -n) equals the one keepalived 2.2.7 programs from the same file.
# Health checkers are left out (keepalived would remove the unreachable real servers; the
# lvsctl daemon does not run checkers yet), and so is the vrrp_instance (its interface does not
# exist here). Runs in a namespace of its own made by tests/lib/netns.sh.
. "${LVSCTL_SOURCE_DIR:?}/tests/lib/netns.sh"
lab_require_root
lab_require ipvsadm keepalived
[ "${LVSCTL_IN_VM:-0}" = 1 ] || lab_skip "needs real IPVS: runs in the vm tier only"
[ -x "${LVSCTL:-}" ] || lab_skip "LVSCTL does not point at the built lvsctl"

lab_ns d
conf_dir="$LAB_TMP/configs"
mkdir -p "$conf_dir"

# drop_blocks KEYWORD...: remove every `KEYWORD ... { ... }` block (nested braces counted).
drop_blocks() {
  awk -v words="$*" '
    BEGIN { n = split(words, w, " "); for (i = 1; i <= n; i++) drop[w[i]] = 1 }
    depth > 0 { line = $0; sub(/#.*/, "", line); depth += gsub(/\{/, "{", line) - gsub(/\}/, "}", line); next }
    ($1 in drop) { line = $0; sub(/#.*/, "", line); depth = gsub(/\{/, "{", line) - gsub(/\}/, "}", line); next }
    { print }'
}

# 1. The user's scenario: three DR services with persistence, test addresses, no checkers.
sed 's/10\.0\.200\./203.0.113./g' "${LVSCTL_TESTDATA_DIR:?}/configs/seed-master.conf" |
  drop_blocks vrrp_instance TCP_CHECK >"$conf_dir/seed.conf"

# 2. A fwmark service (wrr, DR) and a TCP service (wlc, TUN) side by side.
cat >"$conf_dir/fwmark.conf" <<'EOF'
virtual_server fwmark 7 {
    lb_algo wrr
    lb_kind DR
    real_server 203.0.113.21 80 {
        weight 5
    }
    real_server 203.0.113.22 80 {
        weight 2
    }
}
virtual_server 203.0.113.101 443 {
    lb_algo wlc
    lb_kind TUN
    protocol TCP
    real_server 203.0.113.23 443 {
        weight 1
    }
}
EOF

# 3. NAT with weights (one of them 0), TCP and UDP.
cat >"$conf_dir/nat.conf" <<'EOF'
virtual_server 198.51.100.10 8080 {
    lb_algo wrr
    lb_kind NAT
    protocol TCP
    real_server 203.0.113.31 80 {
        weight 10
    }
    real_server 203.0.113.32 81 {
        weight 3
    }
    real_server 203.0.113.33 80 {
        weight 0
    }
}
virtual_server 198.51.100.10 53 {
    lb_algo lc
    lb_kind NAT
    protocol UDP
    real_server 203.0.113.34 5353 {
        weight 2
    }
}
EOF

# 4. sh and mh schedulers, persistence with granularity.
cat >"$conf_dir/sched.conf" <<'EOF'
virtual_server 198.51.100.20 80 {
    lb_algo sh
    lb_kind DR
    protocol TCP
    persistence_timeout 300
    persistence_granularity 255.255.255.0
    real_server 203.0.113.41 80 {
        weight 1
    }
    real_server 203.0.113.42 80 {
        weight 4
    }
}
virtual_server 198.51.100.21 80 {
    lb_algo mh
    lb_kind DR
    protocol TCP
    real_server 203.0.113.43 80 {
        weight 1
    }
    real_server 203.0.113.44 80 {
        weight 1
    }
}
virtual_server 198.51.100.22 514 {
    lb_algo rr
    lb_kind DR
    protocol UDP
    persistence_timeout 60
    persistence_granularity 255.255.0.0
    real_server 203.0.113.45 514 {
        weight 1
    }
}
EOF

# 5. More schedulers (sed, nq, dh, lblc) and a persistent fwmark service.
cat >"$conf_dir/more.conf" <<'EOF'
virtual_server 198.51.100.30 80 {
    lb_algo dh
    lb_kind DR
    protocol TCP
    real_server 203.0.113.51 80 {
        weight 1
    }
}
virtual_server 198.51.100.31 80 {
    lb_algo sed
    lb_kind NAT
    protocol TCP
    real_server 203.0.113.52 8000 {
        weight 7
    }
}
virtual_server 198.51.100.32 53 {
    lb_algo nq
    lb_kind DR
    protocol UDP
    real_server 203.0.113.53 53 {
        weight 1
    }
}
virtual_server fwmark 9 {
    lb_algo lblc
    lb_kind DR
    persistence_timeout 120
    persistence_granularity 255.255.255.240
    real_server 203.0.113.54 0 {
        weight 2
    }
}
EOF

# 6. Service flags: sh-port/sh-fallback, mh-port/mh-fallback, flag-N, ops (one-packet
# scheduling) with lb_algo and lvs_sched, with persistence; and the cases keepalived 2.2.7 drops
# (a sh flag before 'lb_algo sh', ops on TCP), which lvsctl must drop the same way.
cat >"$conf_dir/flags.conf" <<'EOF'
virtual_server 198.51.100.40 80 {
    lb_algo sh
    sh-port
    sh-fallback
    lb_kind DR
    protocol TCP
    real_server 203.0.113.61 80 {
        weight 1
    }
    real_server 203.0.113.62 80 {
        weight 2
    }
}
virtual_server 198.51.100.41 80 {
    lvs_sched mh
    mh-fallback
    mh-port
    lvs_method DR
    protocol TCP
    persistence_timeout 100
    real_server 203.0.113.63 80 {
        weight 1
    }
}
virtual_server 198.51.100.42 53 {
    lvs_sched rr
    ops
    lvs_method NAT
    protocol UDP
    real_server 203.0.113.64 53 {
        weight 1
    }
}
virtual_server fwmark 11 {
    lvs_sched sh
    sh-fallback
    ops
    flag-3
    lvs_method DR
    real_server 203.0.113.65 0 {
        weight 1
    }
}
virtual_server 198.51.100.43 80 {
    sh-port
    lb_algo sh
    ops
    lb_kind DR
    protocol TCP
    real_server 203.0.113.66 80 {
        weight 1
    }
}
virtual_server 198.51.100.44 8080 {
    lvs_sched wrr
    flag-1
    lvs_method DR
    protocol TCP
    real_server 203.0.113.67 8080 {
        weight 3
    }
}
EOF

table() { lab_exec d ipvsadm -S -n | sort; }

# wait_stable FILE: wait (up to 60 s) until the table is non-empty and unchanged for 1 s.
wait_stable() {
  local out=$1 prev="" cur i
  for i in $(seq 1 120); do
    cur=$(table)
    if [ -n "$cur" ] && [ "$cur" = "$prev" ]; then printf '%s\n' "$cur" >"$out"; return 0; fi
    prev=$cur
    sleep 0.5
  done
  printf '%s\n' "$cur" >"$out"
  return 1
}

stop() {  # stop PID: SIGTERM, then SIGKILL after 5 s
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

failures=0
configs="seed fwmark nat sched more flags"
for conf in $configs; do
  file="$conf_dir/$conf.conf"
  lab_exec d ipvsadm -C

  run_dir="$LAB_TMP/run-$conf"
  mkdir -p "$run_dir"
  lab_spawn d "$LVSCTL" director run -f "$file" --run-dir "$run_dir" >"$LAB_TMP/lvsctl-$conf.log" 2>&1
  lvs_pid=$LAB_LAST_PID
  wait_stable "$LAB_TMP/lvsctl-$conf.table" || lab_log "lvsctl programmed nothing for $conf"
  stop "$lvs_pid"
  lab_exec d ipvsadm -C

  d_ka="$LAB_TMP/ka-$conf"
  mkdir -p "$d_ka"
  lab_spawn d keepalived -C -n -l -D -G -f "$file" \
    -p "$d_ka/keepalived.pid" -r "$d_ka/vrrp.pid" -c "$d_ka/checkers.pid" -b "$d_ka/bfd.pid" >"$LAB_TMP/keepalived-$conf.log" 2>&1
  ka_pid=$LAB_LAST_PID
  wait_stable "$LAB_TMP/keepalived-$conf.table" || lab_log "keepalived programmed nothing for $conf"
  stop "$ka_pid"
  lab_exec d ipvsadm -C

  if [ -s "$LAB_TMP/lvsctl-$conf.table" ] &&
     diff -u "$LAB_TMP/keepalived-$conf.table" "$LAB_TMP/lvsctl-$conf.table" >"$LAB_TMP/$conf.diff"; then
    lab_log "$conf: identical ($(wc -l <"$LAB_TMP/lvsctl-$conf.table") lines)"
  else
    failures=$((failures + 1))
    lab_log "$conf: the tables differ (- keepalived, + lvsctl):"
    cat "$LAB_TMP/$conf.diff" >&2
    lab_log "lvsctl log:"; tail -n 20 "$LAB_TMP/lvsctl-$conf.log" >&2
  fi
done
# The flags must really be in the kernel, not merely equally absent from both tables.
# Each entry: the service's rule line (-A) must hold every word after the colon.
for want in "198.51.100.40:80:sh-port sh-fallback" "198.51.100.41:80:mh-port mh-fallback" \
            "198.51.100.42:53:-o" "-f 11:-o sh-fallback" "198.51.100.44:8080:flag-1"; do
  line=$(grep -- "^-A .*${want%%:[!0-9]*} " "$LAB_TMP/lvsctl-flags.table")
  for word in ${want##*:}; do
    case " ${line//,/ } " in
      *" $word "*) ;;
      *) failures=$((failures + 1)); lab_log "flags: no '$word' in lvsctl's rule '${line:-<none> for $want}'" ;;
    esac
  done
done
n=$(echo $configs | wc -w)
[ "$failures" -eq 0 ] || lab_fail "$failures checks of $n configs failed (tables differ from keepalived's or flags missing)"
lab_log "all $n configs: lvsctl's table equals keepalived's"
