#!/bin/bash
# vm tier: the same keepalived.conf through IPVS and through nftables (`director run
# --lb-backend ipvs` then `--lb-backend nftables`, one after the other on one NAT lab,
# tests/lib/nat_lab.sh) gives the same answers to real clients, per scheduler both define:
#   :10010 rr, weights 1/1      20 connections: rs1 and rs2 alternate, 10 each
#   :10020 wrr, weights 3/1     40 connections: 30 for rs1, 10 for rs2
#   :10030 sh, weights 1/1      8 client addresses x 4 connections: each address always
#                               reaches the same real server (which one is the datapath's hash)
#   :10040 rr, rs2 weight 0     20 connections: all to rs1, none to rs2
# While one datapath runs the other is absent (no IPVS service / no table ip lvsctl), so the
# answers come from the datapath named.
. "${LVSCTL_SOURCE_DIR:?}/tests/lib/netns.sh"
. "$LVSCTL_SOURCE_DIR/tests/lib/nat_lab.sh"
lab_require_root
lab_require ipvsadm nft python3
[ "${LVSCTL_IN_VM:-0}" = 1 ] || lab_skip "needs real IPVS: runs in the vm tier only"
[ -x "${LVSCTL:-}" ] || lab_skip "LVSCTL does not point at the built lvsctl"

nat_lab 10010 10020 10030 10040

vs() {  # vs PORT SCHED W1 W2
  printf 'virtual_server %s %s {\n    lb_algo %s\n    lb_kind NAT\n    protocol TCP\n' "$NAT_VIP" "$1" "$2"
  printf '    real_server 198.51.100.11 %s {\n        weight %s\n    }\n' "$1" "$3"
  printf '    real_server 198.51.100.12 %s {\n        weight %s\n    }\n}\n' "$1" "$4"
}
conf="$LAB_TMP/parity.conf"
{
  printf 'global_defs {\n    router_id PARITY\n}\n'
  vs 10010 rr 1 1
  vs 10020 wrr 3 1
  vs 10030 sh 1 1
  vs 10040 rr 1 0
} >"$conf"

counts() { awk '{ n[$2]++ } END { printf "rs1=%d rs2=%d failed=%d", n["rs1"], n["rs2"], n["failed"] + n["empty"] }'; }
declare -A RESULT

run_backend() {  # run_backend ipvs|nftables: the answers of every virtual server into RESULT
  local b=$1 out
  nat_run "$b" "$conf"
  if [ "$b" = ipvs ]; then
    lab_wait 60 "[ \$(lab_exec dir ipvsadm -S -n | grep -c -- '-r 198.51.100') -eq 8 ]" ||
      { cat "$LAB_TMP/$b.log" >&2; lab_fail "ipvs: the table never had the 8 real servers"; }
    lab_exec dir nft list table ip lvsctl >/dev/null 2>&1 && lab_fail "ipvs run: table ip lvsctl exists"
  else
    lab_wait 60 "lab_exec dir nft list map ip lvsctl backends | grep -q 198.51.100.12" ||
      { cat "$LAB_TMP/$b.log" >&2; lab_fail "nftables: no table ip lvsctl with the real servers"; }
    [ -z "$(lab_exec dir ipvsadm -S -n)" ] || lab_fail "nftables run: IPVS has services: $(lab_exec dir ipvsadm -S -n)"
  fi
  grep -q "Datapath: $b" "$LAB_TMP/$b.log" || { cat "$LAB_TMP/$b.log" >&2; lab_fail "$b: no 'Datapath: $b' line"; }

  out=$(nat_ask 10010 20)
  RESULT[$b:rr]=$(counts <<<"$out")
  # Alternation: no real server twice in a row.
  RESULT[$b:rr_alternates]=$(awk 'prev == $2 { bad = 1 } { prev = $2 } END { print bad ? "no" : "yes" }' <<<"$out")
  RESULT[$b:wrr]=$(nat_ask 10020 40 | counts)
  out=$(nat_ask 10030 4 $NAT_SOURCES)
  RESULT[$b:sh]=$(counts <<<"$out")
  # Each source: how many different real servers answered it (must be 1 for every source).
  RESULT[$b:sh_per_source]=$(awk '{ seen[$1 " " $2] = 1; src[$1] = 1 } END {
      for (k in seen) { split(k, p, " "); n[p[1]]++ }
      for (s in src) if (n[s] != 1) bad++; print bad ? bad " sources saw two" : "one each" }' <<<"$out")
  RESULT[$b:sh_map]=$(sort -u <<<"$out" | awk '{ n = split($1, o, "."); printf "%s>%s ", o[n], $2 }')
  RESULT[$b:w0]=$(nat_ask 10040 20 | counts)
  lab_log "$b: rr ${RESULT[$b:rr]} (alternating: ${RESULT[$b:rr_alternates]}), wrr ${RESULT[$b:wrr]}," \
    "sh ${RESULT[$b:sh]} (${RESULT[$b:sh_per_source]}: ${RESULT[$b:sh_map]}), weight 0 ${RESULT[$b:w0]}"
  nat_stop
}

run_backend ipvs
run_backend nftables

# Both must give the expected answers, and hence the same ones.
for b in ipvs nftables; do
  [ "${RESULT[$b:rr]}" = "rs1=10 rs2=10 failed=0" ] || lab_fail "$b rr: ${RESULT[$b:rr]}, want 10/10"
  [ "${RESULT[$b:rr_alternates]}" = yes ] || lab_fail "$b rr: the real servers did not alternate"
  [ "${RESULT[$b:wrr]}" = "rs1=30 rs2=10 failed=0" ] || lab_fail "$b wrr 3:1: ${RESULT[$b:wrr]}, want 30/10"
  [ "${RESULT[$b:sh_per_source]}" = "one each" ] || lab_fail "$b sh: ${RESULT[$b:sh_per_source]}"
  [[ "${RESULT[$b:sh]}" == *"failed=0" ]] || lab_fail "$b sh: ${RESULT[$b:sh]}"
  [ "${RESULT[$b:w0]}" = "rs1=20 rs2=0 failed=0" ] || lab_fail "$b weight 0: ${RESULT[$b:w0]}, want all on rs1"
done
for k in rr rr_alternates wrr sh_per_source w0; do
  [ "${RESULT[ipvs:$k]}" = "${RESULT[nftables:$k]}" ] ||
    lab_fail "$k differs: ipvs '${RESULT[ipvs:$k]}', nftables '${RESULT[nftables:$k]}'"
done
lab_log "PASS: IPVS and nftables give the same answers (rr, wrr, sh per client, weight 0)"
