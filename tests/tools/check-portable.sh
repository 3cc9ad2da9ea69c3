#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check-portable.sh BINARY [--static-cxx]: fails when BINARY needs a glibc symbol newer than 2.34
# (RHEL 9 / Rocky 9 have 2.34, Debian 11 2.31 for the symbols we use) and, with --static-cxx, when
# it needs libstdc++, fmt or spdlog or any GLIBCXX/CXXABI version (a portable build links them
# in; libgcc_s.so.1, ABI-stable since GCC 3.0, stays shared).
set -euo pipefail
bin=${1:?usage: check-portable.sh BINARY [--static-cxx]}
max=2.34
command -v objdump >/dev/null || { echo "objdump is missing (binutils)" >&2; exit 1; }
syms=$(objdump -T "$bin")
too_new=$(grep -oE 'GLIBC_[0-9]+\.[0-9]+(\.[0-9]+)?' <<<"$syms" | sort -uV |
  awk -F_ -v max="$max" '{ split($2, v, "."); split(max, m, ".");
    if (v[1] > m[1] || (v[1] == m[1] && v[2] > m[2])) print $0 }')
status=0
if [ -n "$too_new" ]; then
  echo "FAIL: $bin needs glibc symbols newer than $max:" >&2
  for v in $too_new; do grep -F "($v)" <<<"$syms" | awk '{print "  " $NF " (" v ")"}' v="$v" >&2; done
  status=1
fi
if [ "${2:-}" = --static-cxx ]; then
  needed=$(objdump -p "$bin" | awk '/NEEDED/ {print $2}')
  if grep -Eq 'libstdc\+\+|libfmt|libspdlog' <<<"$needed"; then
    echo "FAIL: $bin is linked against: $(grep -E 'libstdc|libfmt|libspdlog' <<<"$needed" | tr '\n' ' ')" >&2
    status=1
  fi
  if grep -Eq 'GLIBCXX_|CXXABI_' <<<"$syms"; then
    echo "FAIL: $bin needs GLIBCXX/CXXABI symbols" >&2
    status=1
  fi
fi
[ $status -eq 0 ] && echo "$bin: no glibc symbol above $max${2:+, no libstdc++/fmt/spdlog dependency}"
exit $status
