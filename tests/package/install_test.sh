#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# install_test.sh DEB RPM: installs the .deb for real with dpkg into a copy-on-write view of this
# machine (an overlay over / in a private mount namespace, so the host is untouched), checks what
# an operator gets, purges it and checks nothing is left; checks the .rpm's files and dependencies
# with rpm -qp. Run by .ci/package.
set -euo pipefail
deb=$(realpath "${1:?usage: install_test.sh DEB RPM}")
rpm=$(realpath "${2:?usage: install_test.sh DEB RPM}")
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "install_test: FAIL: $*" >&2; exit 1; }

if [ "${INSTALL_TEST_INSIDE:-0}" != 1 ]; then
  work=$(mktemp -d /tmp/lvsctl-install.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work"/{upper,work,root}
  INSTALL_TEST_INSIDE=1 INSTALL_TEST_WORK="$work" unshare -m --propagation private bash "$0" "$deb" "$rpm"
  # --- the .rpm (no rpm database needed: query the file) ---------------------------------------
  files=$(rpm -qpl "$rpm")
  for f in /usr/sbin/lvsctl /usr/share/man/man8/lvsctl.8.gz /etc/rc.d/init.d/lvs-director \
           /etc/rc.d/init.d/lvs-realsvr /etc/sysconfig/lvs-realsvr /etc/sysconfig/lvs-director \
           /usr/lib/systemd/system/lvs-director.service /usr/share/bash-completion/completions/lvsctl \
           /usr/share/doc/lvsctl/examples/keepalived.conf; do
    grep -qx "$f" <<<"$files" || fail "rpm lacks $f"
  done
  grep -q '^/etc/keepalived' <<<"$files" && fail "rpm would own /etc/keepalived"
  requires=$(rpm -qpR "$rpm")
  for r in libnl3 libmnl libnftnl openssl-libs systemd-libs; do
    grep -qx "$r" <<<"$requires" || fail "rpm does not require $r"
  done
  [ "$(rpm -qp --configfiles "$rpm" | sort | tr '\n' ' ')" = "/etc/sysconfig/lvs-director /etc/sysconfig/lvs-realsvr " ] || fail "rpm config files: $(rpm -qp --configfiles "$rpm")"
  echo "install_test: rpm: files, config files and dependencies as expected"
  echo "install_test: PASS"
  exit 0
fi

# --- inside the private mount namespace: an overlay of / to install into ------------------------
work=$INSTALL_TEST_WORK
root=$work/root
mount -t overlay overlay -o "lowerdir=/,upperdir=$work/upper,workdir=$work/work" "$root"
for m in proc sys dev; do mount --rbind "/$m" "$root/$m"; done
mount -t tmpfs tmpfs "$root/run"
mount -t tmpfs tmpfs "$root/tmp"
cp "$deb" "$root/tmp/lvsctl.deb"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }

# An operator's own configuration exists before the install and must survive install and purge.
mkdir -p "$root/etc/keepalived"
echo "! the operator's own file" >"$root/etc/keepalived/keepalived.conf"
before=$(cd "$root" && find etc usr -xdev 2>/dev/null | sort)

in_root dpkg -i /tmp/lvsctl.deb >/dev/null || fail "dpkg -i failed"
in_root lvsctl --version | grep -q '^lvsctl ' || fail "the installed binary does not run"
in_root lvsctl director check-config -f /usr/share/doc/lvsctl/examples/keepalived.conf >/dev/null \
  || fail "the example configuration is not valid"
in_root man -l /usr/share/man/man8/lvsctl.8.gz 2>/dev/null | grep -q 'lvsctl director run' \
  || fail "man -l does not render the page"
for f in /usr/sbin/lvsctl /etc/init.d/lvs-director /etc/init.d/lvs-realsvr /etc/default/lvs-realsvr /etc/default/lvs-director \
         /usr/lib/systemd/system/lvs-director.service /usr/lib/systemd/system/lvs-realsvr.service \
         /usr/share/bash-completion/completions/lvsctl /usr/share/doc/lvsctl/copyright \
         /usr/share/doc/lvsctl/examples/keepalived.conf; do
  [ -e "$root$f" ] || fail "$f is not installed"
done
head -20 "$root/etc/init.d/lvs-director" | grep -q '^# chkconfig:' || fail "init script without chkconfig header"
in_root dpkg-query -W -f='${Conffiles}\n' lvsctl | grep -q /etc/default/lvs-realsvr \
  || fail "/etc/default/lvs-realsvr is not a conffile"
[ "$(cat "$root/etc/keepalived/keepalived.conf")" = "! the operator's own file" ] \
  || fail "the install changed /etc/keepalived/keepalived.conf"
size=$(stat -c %s "$root/usr/sbin/lvsctl")
[ "$size" -lt $((10 * 1024 * 1024)) ] || fail "installed binary is $size bytes (>= 10 MB)"
echo "install_test: deb: installed ($size-byte binary), man page, init scripts, units, conffiles"

in_root dpkg --purge lvsctl >/dev/null || fail "dpkg --purge failed"
after=$(cd "$root" && find etc usr -xdev 2>/dev/null | sort)
left=$(comm -13 <(echo "$before") <(echo "$after"))
[ -z "$left" ] || fail "purge left: $left"
[ "$(cat "$root/etc/keepalived/keepalived.conf")" = "! the operator's own file" ] \
  || fail "purge touched /etc/keepalived/keepalived.conf"
echo "install_test: deb: purge leaves nothing under /etc and /usr; the operator's keepalived.conf kept"
