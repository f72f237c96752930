#!/bin/bash
# Boots a Debian kernel under qemu with PAYLOAD_DIR in an initramfs, runs PAYLOAD_DIR/run
# inside it as root on a pure cgroup v2 host, streams the serial console to stdout and
# exits with the payload's status.
#
# usage: run-vm.sh PAYLOAD_DIR TIMEOUT_SECONDS
#        run-vm.sh --fetch      (only fetch and cache what the VM needs)
#
# PAYLOAD_DIR/run      executable, required; runs in /payload (a copy of PAYLOAD_DIR)
# PAYLOAD_DIR/root/    optional; merged into the VM's / (host binaries and their libraries,
#                      see payload.sh), and not copied to /payload
# PAYLOAD_DIR/env      optional; sourced by /init before run
#
# Exit status:
#   0-123  the payload's exit status (a status above 123 is reported as 123)
#   124    timeout: the payload did not finish within TIMEOUT_SECONDS (counted from qemu's start)
#   125    the VM failed to boot: qemu failed, or the kernel never reached the payload
#   126    the VM stopped while the payload ran, without reporting a status (panic, init killed)
#   127    the VM cannot run here: qemu, the kernel or busybox could not be had
#
# Environment: BERTH_VM_CACHE (cache folder, default tests/vm/.cache), BERTH_VM_KERNEL_PKG,
# BERTH_VM_ACCEL (auto|kvm|tcg), BERTH_VM_SMP (2), BERTH_VM_MEM (1G), BERTH_VM_MODULES
# (extra modules to load), BERTH_VM_VERBOSE (kernel messages on the console),
# BERTH_VM_LOG (keep the console log there), BERTH_VM_BOOT_TIMEOUT (seconds, default 180),
# BERTH_VM_TMP_DISK=0 (/tmp on tmpfs instead of an ext4 disk), BERTH_VM_TMP_SIZE (4G),
# BERTH_VM_CMDLINE (more kernel command line), BERTH_VM_CPU (qemu -cpu model, default max).

# The whole script is one block, read before it runs: a checkout that changes this file
# while a run is going (git merge during a long check) cannot break the run.
{
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/fetch.sh"

die() {
	vm_log "$2"
	exit "$1"
}

if [ "${1:-}" = --fetch ]; then
	vm_fetch_all || die 127 "unavailable: $VM_UNAVAILABLE"
	vm_log "ready: $VM_QEMU, kernel $VM_KVER ($VM_KERNEL)"
	exit 0
fi
[ $# -eq 2 ] || die 2 "usage: run-vm.sh PAYLOAD_DIR TIMEOUT_SECONDS | --fetch"
payload=$1 timeout=$2
[ -x "$payload/run" ] || die 2 "$payload/run is missing or not executable"
case $timeout in '' | *[!0-9]*) die 2 "TIMEOUT_SECONDS must be a number" ;; esac

vm_fetch_all || die 127 "unavailable: $VM_UNAVAILABLE"

work=$(mktemp -d "${TMPDIR:-/tmp}/berth-vm.XXXXXX") || die 125 "mktemp failed"
qpid='' tpid=''
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	[ -n "$tpid" ] && kill "$tpid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Prints the .ko paths of module $1 and of the modules it depends on, dependencies first,
# read from each module's "depends=" modinfo field.
declare -A mod_path=() mod_done=()
module_order() {
	local name=${1//-/_} ko deps d
	[ -n "${mod_done[$name]:-}" ] && return 0
	mod_done[$name]=1
	if grep -qE "/${name//_/[-_]}\.ko$" "$VM_MODDIR/modules.builtin" 2>/dev/null; then
		return 0 # built into the kernel
	fi
	ko=${mod_path[$name]:-}
	[ -n "$ko" ] || { vm_log "module $1 not found in $VM_MODDIR"; return 1; }
	if command -v modinfo >/dev/null; then
		deps=$(modinfo -F depends "$ko" 2>/dev/null)
	else
		deps=$(case $ko in *.xz) xz -dc "$ko" ;; *) cat "$ko" ;; esac |
			tr '\0' '\n' | sed -n 's/^depends=//p' | head -n1)
	fi
	for d in ${deps//,/ }; do module_order "$d" || return 1; done
	echo "$ko"
}

stage=$work/root
mkdir -p "$stage"/{bin,dev,etc,lib/modules,newroot,payload,proc,root,run,sys,tmp} || die 125 "staging failed"

# busybox and its applets; host binaries from the payload override them.
cp "$VM_BUSYBOX" "$stage/bin/busybox"
for a in $("$VM_BUSYBOX" --list); do
	[ "$a" = busybox ] || ln -s busybox "$stage/bin/$a"
done
install -m 0755 "$here/init.sh" "$stage/init"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$stage/etc/passwd"
printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' >"$stage/etc/group"
printf '127.0.0.1 localhost berth-vm\n::1 localhost\n' >"$stage/etc/hosts"
echo berth-vm >"$stage/etc/hostname"
ln -s /proc/self/mounts "$stage/etc/mtab"

# Kernel modules, decompressed (busybox insmod takes plain .ko files).
while IFS= read -r ko; do
	n=${ko##*/}
	n=${n%%.ko*}
	mod_path[${n//-/_}]=$ko
done < <(find "$VM_MODDIR/kernel" -name '*.ko*')
: >"$stage/lib/modules/load.list"
# /tmp lives on an ext4 disk like the host's, not on tmpfs: the 6.1 kernel's tmpfs has no
# user.* xattrs and no idmapped mounts, which the tests use. BERTH_VM_TMP_DISK=0 keeps tmpfs.
disk_modules=
if [ "${BERTH_VM_TMP_DISK:-1}" != 0 ] && command -v mkfs.ext4 >/dev/null; then
	# crc32c is requested by ext4 through the crypto API, which modinfo does not list.
	disk_modules="crc32c_generic virtio_pci virtio_blk ext4"
fi
for m in overlay veth $disk_modules ${BERTH_VM_MODULES:-}; do
	module_order "$m" || die 125 "cannot resolve kernel module $m"
done | awk '!seen[$0]++' | while IFS= read -r ko; do
	n=${ko##*/}
	n=${n%%.ko*}.ko
	case $ko in
	*.xz) xz -dc "$ko" >"$stage/lib/modules/$n" ;;
	*.zst) zstd -qdc "$ko" >"$stage/lib/modules/$n" ;;
	*.gz) gzip -dc "$ko" >"$stage/lib/modules/$n" ;;
	*) cp "$ko" "$stage/lib/modules/$n" ;;
	esac
	echo "/lib/modules/$n" >>"$stage/lib/modules/load.list"
done
[ "${PIPESTATUS[0]}" = 0 ] || exit 125

# The payload: root/ merged into /, the rest into /payload.
if [ -d "$payload/root" ]; then
	cp -a --remove-destination "$payload/root/." "$stage/" || die 125 "copying $payload/root failed"
fi
find "$payload" -mindepth 1 -maxdepth 1 ! -name root -exec cp -a {} "$stage/payload/" \; ||
	die 125 "copying $payload failed"

cpio_cmd=(cpio --quiet -o -H newc -R 0:0)
command -v cpio >/dev/null || cpio_cmd=("$VM_BUSYBOX" cpio -o -H newc -R 0:0)
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | "${cpio_cmd[@]}") >"$work/initramfs.cpio" 2>/dev/null ||
	die 125 "building the initramfs failed"
rm -rf "$stage"

# KVM when /dev/kvm is usable: a nested /dev/kvm may open yet never run a guest, so a
# short probe boot decides once per host kernel, and its verdict is cached.
kvm_usable() {
	local verdict=$VM_CACHE/kvm-probe key probe
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
	key="$(uname -n) $(uname -r) $(uname -v)"
	if [ "$(sed -n 2p "$verdict" 2>/dev/null)" != "$key" ]; then
		probe=$work/probe
		mkdir -p "$probe" && printf '#!/bin/sh\nexit 0\n' >"$probe/run" && chmod +x "$probe/run"
		vm_log "probing /dev/kvm"
		if BERTH_VM_ACCEL=kvm BERTH_VM_BOOT_TIMEOUT=10 BERTH_VM_LOG='' "$here/run-vm.sh" "$probe" 20 >/dev/null 2>&1; then
			printf 'ok\n%s\n' "$key" >"$verdict"
		else
			printf 'broken\n%s\n' "$key" >"$verdict"
			vm_log "/dev/kvm does not run a guest here; using software emulation"
		fi
	fi
	[ "$(head -n1 "$verdict")" = ok ]
}
accel=(-accel 'tcg,thread=multi')
case ${BERTH_VM_ACCEL:-auto} in
kvm) accel=(-accel kvm) ;;
tcg) ;;
*) kvm_usable && accel=(-accel kvm) ;;
esac
cmdline="console=ttyS0 cgroup_no_v1=all panic=-1 rdinit=/init 8250.nr_uarts=1"
disk=()
if [ -n "$disk_modules" ]; then
	# A sparse scratch disk, no journal: nothing on it outlives the run.
	truncate -s "${BERTH_VM_TMP_SIZE:-4G}" "$work/tmp.img" &&
		mkfs.ext4 -q -F -O ^has_journal -E lazy_itable_init=1 "$work/tmp.img" ||
		die 125 "cannot make the /tmp disk image"
	disk=(-drive "file=$work/tmp.img,if=virtio,format=raw,cache=unsafe")
	cmdline+=" BERTH_VM_TMP_DISK=/dev/vda"
fi
if [ -n "${BERTH_VM_VERBOSE:-}" ]; then cmdline+=" BERTH_VM_VERBOSE=1"; else cmdline+=" quiet"; fi
cmdline+=${BERTH_VM_CMDLINE:+ $BERTH_VM_CMDLINE}

log=$work/console.log
: >"$log"
start=$(date +%s%N)
env "${VM_QEMU_ENV[@]}" "$VM_QEMU" "${VM_QEMU_ARGS[@]}" -nodefaults -no-user-config -no-reboot \
	-machine pc "${accel[@]}" -cpu "${BERTH_VM_CPU:-max}" -smp "${BERTH_VM_SMP:-2}" -m "${BERTH_VM_MEM:-1G}" \
	-display none -serial stdio -monitor none -nic none \
	"${disk[@]}" -kernel "$VM_KERNEL" -initrd "$work/initramfs.cpio" -append "$cmdline" \
	</dev/null >"$log" 2>&1 &
qpid=$!
tail -n +1 -f --pid="$qpid" "$log" | sed -u 's/\r$//' &
tpid=$!

elapsed() { echo $((($(date +%s%N) - start) / 1000000)); }
boot_limit=$((${BERTH_VM_BOOT_TIMEOUT:-180} * 1000))
limit=$((timeout * 1000))
booted='' boot_ms='' timed_out='' boot_failed=''
while kill -0 "$qpid" 2>/dev/null; do
	if [ -z "$booted" ] && grep -aq 'BERTH-VM: booted' "$log"; then
		booted=1 boot_ms=$(elapsed)
	fi
	grep -aq 'BERTH-VM: exit=[0-9]' "$log" && break
	ms=$(elapsed)
	if [ "$ms" -ge "$limit" ]; then
		timed_out=1
		break
	fi
	if [ -z "$booted" ] && [ "$ms" -ge "$boot_limit" ]; then
		boot_failed=1
		break
	fi
	sleep 0.2
done
# Give the VM a moment to power off by itself once it reported, then stop it.
if [ -z "$timed_out$boot_failed" ]; then
	for _ in $(seq 50); do kill -0 "$qpid" 2>/dev/null || break; sleep 0.1; done
fi
kill "$qpid" 2>/dev/null
wait "$qpid" 2>/dev/null
qpid=
wait "$tpid" 2>/dev/null
tpid=
total_ms=$(elapsed)
[ -n "$booted" ] || { grep -aq 'BERTH-VM: booted' "$log" && booted=1 boot_ms=$total_ms; }
[ -n "${BERTH_VM_LOG:-}" ] && tr -d '\r' <"$log" >"$BERTH_VM_LOG"

secs() { printf '%d.%01d' $(($1 / 1000)) $(($1 % 1000 / 100)); }
status=$(tr -d '\r' <"$log" | grep -ao 'BERTH-VM: exit=[0-9]*' | tail -n1 | cut -d= -f2)
if [ -n "$status" ] && [ -z "$timed_out$boot_failed" ]; then
	[ "$status" -gt 123 ] && { vm_log "payload status $status reported as 123"; status=123; }
	vm_log "payload exited with status $status (boot $(secs "$boot_ms") s, total $(secs "$total_ms") s)"
	exit "$status"
fi
if [ -n "$timed_out" ] && [ -n "$booted" ]; then
	die 124 "timeout: the payload did not finish within $timeout s (boot took $(secs "$boot_ms") s)"
fi
if [ -z "$booted" ]; then
	reason="the VM stopped"
	[ -n "$timed_out" ] && reason="no payload after $timeout s"
	[ -n "$boot_failed" ] && reason="no payload after ${BERTH_VM_BOOT_TIMEOUT:-180} s"
	grep -aq 'BERTH-VM: init failed' "$log" && reason=$(grep -a 'BERTH-VM: init failed' "$log" | tr -d '\r' | tail -n1)
	die 125 "the VM failed to boot: $reason"
fi
die 126 "the VM stopped while the payload ran, without reporting a status"
exit
}
