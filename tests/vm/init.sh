#!/bin/busybox sh
# /init of the berth test VM (runs as PID 1 from the initramfs, under busybox sh).
# Stage 1 copies the initramfs into a tmpfs and switch_roots there, because pivot_root(2)
# fails with EINVAL on the initramfs root and containers need it. Stage 2 sets up a host
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
	$bb mount -t tmpfs -o mode=0755,size=75% tmpfs /newroot || fail "mount tmpfs root"
	for e in /*; do
		case $e in /newroot | /dev | /proc | /sys) continue ;; esac
		$bb cp -a "$e" /newroot/ || fail "copy $e into tmpfs"
	done
	$bb mkdir -p /newroot/dev /newroot/proc /newroot/sys
	$bb mount --move /dev /newroot/dev || fail "move /dev"
	# shellcheck disable=SC2093 # fail runs only when exec itself failed
	exec $bb switch_root /newroot /init stage2
	fail "switch_root"
fi

$bb mount -t proc proc /proc || fail "mount /proc"
$bb mount -t sysfs sysfs /sys || fail "mount /sys"
$bb grep -q " /dev " /proc/mounts || $bb mount -t devtmpfs devtmpfs /dev || fail "mount /dev"
$bb mkdir -p /dev/pts /dev/shm /tmp /run /root /var/tmp
$bb mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts /dev/pts || fail "mount /dev/pts"
$bb mount -t tmpfs -o mode=1777,nosuid,nodev shm /dev/shm || fail "mount /dev/shm"
$bb mount -t tmpfs -o mode=1777 tmpfs /tmp || fail "mount /tmp"
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
