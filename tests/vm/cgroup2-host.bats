#!/usr/bin/env bats
# Sanity of the VM tier's host: a pure cgroup v2 hierarchy with every controller that
# berth's limit tests need, and the kernel features containers rely on. Runs only inside
# the VM (make check-vm).

setup() {
	[ -n "${BERTH_VM:-}" ] || skip "runs inside the VM tier only (make check-vm)"
}

@test "cgroup2 is mounted at /sys/fs/cgroup with nsdelegate" {
	run grep -E '^cgroup2 /sys/fs/cgroup cgroup2 [^ ]*nsdelegate' /proc/mounts
	[ "$status" -eq 0 ]
}

@test "no cgroup v1 hierarchy is mounted" {
	run grep -E '^[^ ]+ [^ ]+ cgroup ' /proc/mounts
	[ "$status" -eq 1 ]
}

@test "memory, pids, cpu, io, cpuset and hugetlb are enabled in the root's subtree_control" {
	read -r -a enabled </sys/fs/cgroup/cgroup.subtree_control
	for c in memory pids cpu io cpuset hugetlb; do
		[[ " ${enabled[*]} " == *" $c "* ]] || { echo "controller $c is not enabled: ${enabled[*]}"; false; }
	done
}

@test "a child cgroup takes memory, pids and cpu limits" {
	[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] # never write into a hybrid host's tree
	cg=/sys/fs/cgroup/vm-sanity-$$
	mkdir "$cg"
	echo 16777216 >"$cg/memory.max"
	echo 7 >"$cg/pids.max"
	echo "50000 100000" >"$cg/cpu.max"
	[ "$(cat "$cg/memory.max")" = 16777216 ]
	[ "$(cat "$cg/pids.max")" = 7 ]
	[ "$(cat "$cg/cpu.max")" = "50000 100000" ]
	rmdir "$cg"
}

@test "pivot_root works on the VM's root filesystem" {
	run unshare -m sh -c 'mount --make-rprivate / && mkdir -p /tmp/pr && mount -t tmpfs pr /tmp/pr &&
		mkdir /tmp/pr/old && cd /tmp/pr && pivot_root . old'
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "overlay and veth are available" {
	grep -qw overlay /proc/filesystems
	ip link add vm-sanity0 type veth peer name vm-sanity1
	ip link del vm-sanity0
}
