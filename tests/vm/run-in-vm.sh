#!/bin/bash
# run-in-vm.sh [OPTIONS] [--] CMD [ARG...]
#
# Runs CMD as root inside a throw-away VM that boots Debian's own kernel (package
# linux-image-amd64, the one with IPVS modules) under qemu-system-x86_64 -accel tcg, and exits
# with CMD's exit status. The host's root filesystem is the guest's root (virtio-9p, read-only,
# with a tmpfs overlay on top: the guest may write anywhere, nothing reaches the host), so every
# host binary - a freshly built lvsctl, its tests, ipvsadm, keepalived - runs unchanged. The
# working directory and exported environment are carried over.
#
# In the guest, before CMD: ip_vs and its schedulers are loaded, lo is up in the initial
# namespace, /run is a fresh tmpfs, and $LVSCTL_VM_OUT is a directory shared with the host
# (writable) where CMD may leave artifacts; pass --out DIR to keep it, else it is removed.
#
# Options:
#   --timeout SECONDS   kill the VM after this long (default 900); exit status 124 then
#   --smp N             virtual CPUs (default 2)
#   --mem MB            guest memory (default 1024)
#   --out DIR           the shared directory (kept after the run)
#   --kernel VERSION    a kernel from /boot and /lib/modules (default: newest 6.1 *-amd64)
#   --modules "M ..."   extra modules to load in the guest besides the IPVS set
# Environment: LVSCTL_VM_VERBOSE=1 shows the kernel's console messages.
#
# Exit: CMD's status; 77 (skip, with one line saying why) when not root, or qemu, the kernel,
# its modules or a C compiler with static libc are missing (1 instead when LVSCTL_NO_SKIP=1 is
# in the environment: CI); 124 on timeout; 125 when the VM failed before CMD ran (the reason is
# printed). The exported environment, LVSCTL_NO_SKIP among it, reaches CMD in the guest.
set -uo pipefail

timeout_s=900 smp=2 mem=1024 out="" kver="" extra_modules=""
while [ $# -gt 0 ]; do
  case $1 in
    --timeout) timeout_s=$2; shift 2 ;;
    --smp) smp=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --kernel) kver=$2; shift 2 ;;
    --modules) extra_modules=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "run-in-vm.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: run-in-vm.sh [OPTIONS] [--] CMD [ARG...]" >&2; exit 2; }

# A skip is exit 77; with LVSCTL_NO_SKIP=1 (CI) it is a failure: CI must run the vm tier.
skip() {
  if [ "${LVSCTL_NO_SKIP:-0}" = 1 ]; then echo "FAIL: would skip (LVSCTL_NO_SKIP=1): $*"; exit 1; fi
  echo "SKIP: $*"; exit 77
}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

[ "$(id -u)" -eq 0 ] || skip "vm tests need root (the guest mounts the host root over 9p as root)"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)"
if [ -z "$kver" ]; then
  kver=$(cd /boot 2>/dev/null && ls -1 vmlinuz-6.1.*-amd64 2>/dev/null | sed 's/^vmlinuz-//' | sort -V | tail -n1)
fi
[ -n "$kver" ] && [ -r "/boot/vmlinuz-$kver" ] || skip "no Debian 6.1 kernel in /boot (apt-get install linux-image-amd64)"
moddir=/lib/modules/$kver
[ -r "$moddir/modules.dep" ] || skip "no modules for $kver in $moddir"
[ -e "$moddir/kernel/net/netfilter/ipvs/ip_vs.ko" ] || skip "$kver has no ip_vs module"
cc=$(command -v cc || command -v gcc) || skip "no C compiler to build the guest init"
command -v cpio >/dev/null || command -v python3 >/dev/null || skip "neither cpio nor python3 is installed"

work=$(mktemp -d /tmp/lvsctl-vm.XXXXXX)
qemu_pid=""
cleanup() {
  [ -n "$qemu_pid" ] && kill -KILL "$qemu_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- initramfs: a static init plus the modules needed to reach the 9p root ---------------------
mkdir -p "$work/initramfs/modules"
"$cc" -static -Os -o "$work/initramfs/init" "$here/guest_init.c" 2>"$work/cc.log" ||
  { grep -q 'cannot find -lc' "$work/cc.log" && skip "static libc is missing (libc6-dev)"; cat "$work/cc.log" >&2; exit 125; }
declare -A loaded=()
add_module() {  # add_module LIST NAME: append the module and its dependencies (first) to LIST
  local list=$1 line path deps d i
  line=$(grep -E "(^|/)$2\.ko:" "$moddir/modules.dep" | head -n1)
  [ -n "$line" ] || { echo "run-in-vm.sh: module $2 not found for $kver" >&2; exit 125; }
  path=${line%%:*}
  read -r -a deps <<<"${line#*:}"
  deps=("$path" "${deps[@]}")
  for (( i=${#deps[@]}-1; i>=0; i-- )); do
    d=${deps[$i]}
    [ -n "${loaded[$d]:-}" ] && continue
    loaded[$d]=1
    echo "$d" >>"$list"
  done
}
# Early modules (to reach the 9p root) travel in the initramfs. The rest are loaded by init
# after switching root, by path from /lib/modules (one finit_module each: much faster under TCG
# than a modprobe process per module; the kernel's own module requests, e.g. crc32c, then find
# /sbin/modprobe in the root).
for m in virtio_pci 9pnet_virtio 9p overlay; do add_module "$work/early" "$m"; done
while read -r d; do
  cp "$moddir/$d" "$work/initramfs/modules/"
  basename "$d" >>"$work/initramfs/modules.order"
done <"$work/early"
ipvs_modules="ip_vs ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_sh ip_vs_dh ip_vs_mh ip_vs_sed ip_vs_nq ip_vs_fo ip_vs_ovf ip_vs_lblc ip_vs_lblcr"
: >"$work/late"
for m in $ipvs_modules veth bridge $extra_modules; do add_module "$work/late" "$m"; done
if command -v cpio >/dev/null; then
  (cd "$work/initramfs" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$work/initramfs.cpio.gz"
else
  python3 "$here/mkcpio.py" "$work/initramfs" | gzip -1 >"$work/initramfs.cpio.gz"
fi

# --- the shared directory and the script the guest runs ----------------------------------------
if [ -n "$out" ]; then mkdir -p "$out"; out=$(cd "$out" && pwd); else out="$work/io"; mkdir -p "$out"; fi
rm -f "$out/rc"
sed "s|^|$moddir/|" "$work/late" >"$out/modules.late"
{
  echo '# written by run-in-vm.sh'
  export -p | grep -Ev '^declare -x (PWD|OLDPWD|SHLVL|_|TERM|LVSCTL_VM_OUT)='
  echo 'export LVSCTL_VM_OUT=/run/lvsctl-vm LVSCTL_IN_VM=1'
  echo 'export PATH="$PATH:/usr/sbin:/sbin"'
  echo 'ip link set lo up'
  printf 'cd %q || exit 125\n' "$PWD"
  printf 'exec'; printf ' %q' "$@"; printf '\n'
} >"$out/guest.sh"

# --- boot --------------------------------------------------------------------------------------
append="console=ttyS0 rdinit=/init panic=-1 oops=panic mitigations=off nokaslr tsc=reliable"
[ "${LVSCTL_VM_VERBOSE:-0}" = 1 ] || append="$append quiet loglevel=1"
# qboot (a minimal firmware shipped with qemu) starts the kernel faster than SeaBIOS.
bios=()
for d in /usr/share/qemu /usr/share/qemu-firmware /usr/lib/qemu; do
  [ -r "$d/qboot.rom" ] && { bios=(-bios qboot.rom); break; }
done
timeout --foreground -k 5 "$timeout_s" qemu-system-x86_64 \
  -accel tcg "${bios[@]}" -nographic -nodefaults -no-user-config -no-reboot \
  -serial stdio -monitor none \
  -smp "$smp" -m "$mem" -cpu max \
  -kernel "/boot/vmlinuz-$kver" -initrd "$work/initramfs.cpio.gz" -append "$append" \
  -fsdev local,id=hostroot,path=/,security_model=passthrough,readonly=on,multidevs=remap \
  -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
  -fsdev local,id=vmio,path="$out",security_model=passthrough,multidevs=remap \
  -device virtio-9p-pci,fsdev=vmio,mount_tag=vmio \
  </dev/null &
qemu_pid=$!
wait "$qemu_pid"
qrc=$?
qemu_pid=""
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
  echo "run-in-vm.sh: timed out after ${timeout_s}s" >&2
  exit 124
fi
if [ ! -s "$out/rc" ]; then
  echo "run-in-vm.sh: the VM ended without an exit status (qemu status $qrc); rerun with LVSCTL_VM_VERBOSE=1" >&2
  exit 125
fi
exit "$(cat "$out/rc")"
