#!/bin/busybox sh
# /init of the berth test VM (runs as PID 1 from the initramfs, under busybox sh).
# pivot_root(2) fails with EINVAL while the root is the initramfs itself (the rootfs mount
# has no parent), and containers need it: stage 1 bind-mounts / on /newroot, moves that
# mount over / and chroots into it, so the root becomes a mount with a parent. No copy of
# the initramfs is made (copying it into a tmpfs then switch_root also works, but costs
# seconds under emulation and twice the memory). Stage 2 sets up a host
# the way container runtimes expect one (pure cgroup v2 with every controller delegated,
# /dev/pts, /dev/shm, loopback, overlay and veth), runs /payload/run and prints its exit
# status as "BERTH-VM: exit=N" for the host side (tests/vm/run-vm.sh), then powers off.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
bb=/bin/busybox

fail() {
	echo "BERTH-VM: init failed: $*"
	$bb sync
	$bb poweroff -f
	echo o >/proc/sysrq-trigger
	exit 1
}

if [ "$1" != stage2 ]; then
	$bb mount -t devtmpfs devtmpfs /dev || fail "mount /dev"
	exec </dev/console >/dev/console 2>&1
	$bb mount --bind / /newroot || fail "bind / on /newroot"
	$bb mount --move /dev /newroot/dev || fail "move /dev"
	cd /newroot || fail "cd /newroot"
	$bb mount --move . / || fail "move /newroot to /"
	# shellcheck disable=SC2093 # fail runs only when exec itself failed
	exec $bb chroot . /init stage2
	fail "chroot"
fi

$bb mount -t proc proc /proc || fail "mount /proc"
$bb mount -t sysfs sysfs /sys || fail "mount /sys"
$bb grep -q " /dev " /proc/mounts || $bb mount -t devtmpfs devtmpfs /dev || fail "mount /dev"
$bb mkdir -p /dev/pts /dev/shm /tmp /run /root /var/tmp
$bb mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts /dev/pts || fail "mount /dev/pts"
$bb mount -t tmpfs -o mode=1777,nosuid,nodev shm /dev/shm || fail "mount /dev/shm"
$bb mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run || fail "mount /run"
$bb ln -sfn /proc/self/fd /dev/fd
$bb ln -sfn /proc/self/fd/0 /dev/stdin
$bb ln -sfn /proc/self/fd/1 /dev/stdout
$bb ln -sfn /proc/self/fd/2 /dev/stderr

# A pure cgroup v2 host: the kernel runs with cgroup_no_v1=all, and every controller is
# enabled for the children of the root cgroup.
$bb mount -t cgroup2 -o nsdelegate,nosuid,nodev,noexec cgroup2 /sys/fs/cgroup || fail "mount cgroup2"
for c in $($bb cat /sys/fs/cgroup/cgroup.controllers); do
	echo "+$c" >/sys/fs/cgroup/cgroup.subtree_control || fail "enable cgroup controller $c"
done

$bb ip link set lo up || fail "loopback up"
$bb hostname berth-vm

# Modules in dependency order, as resolved by the host (Debian ships no modules.dep).
if [ -f /lib/modules/load.list ]; then
	while read -r ko; do
		$bb insmod "$ko" || fail "insmod $ko"
	done </lib/modules/load.list
fi

# /tmp: the host's scratch ext4 disk when it gave one, else tmpfs.
if [ -n "$BERTH_VM_TMP_DISK" ]; then
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		[ -b "$BERTH_VM_TMP_DISK" ] && break
		$bb sleep 0.25
	done
	$bb mount -t ext4 -o noinit_itable "$BERTH_VM_TMP_DISK" /tmp || fail "mount $BERTH_VM_TMP_DISK on /tmp"
	$bb chmod 1777 /tmp
else
	$bb mount -t tmpfs -o mode=1777 tmpfs /tmp || fail "mount /tmp"
fi

read -r up _ </proc/uptime
[ -n "$BERTH_VM_VERBOSE" ] || echo 1 >/proc/sys/kernel/printk
echo "BERTH-VM: booted in ${up}s, running /payload/run"

cd /payload || fail "no /payload"
export HOME=/root TERM=dumb BERTH_VM=1
[ -f /payload/env ] && { set -a; . /payload/env; set +a; }
/payload/run </dev/null
status=$?
echo
echo "BERTH-VM: exit=$status"
$bb sync
$bb poweroff -f
echo o >/proc/sysrq-trigger
