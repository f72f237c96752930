#!/usr/bin/env bats
# cgroup v2 limits, on a kernel whose v2 hierarchy has the controllers (the VM tier,
# make check-vm; also a pure v2 host): every linux.resources field read back from its
# file, a memory hog OOM-killed with the "oom" event, pids.max against a fork bomb,
# cpu.max throttling, io.max, hugetlb, a device rule denying /dev/null, update of a
# running container, pause/resume of a busy process, delete --force of a full container.

load ../integration/helpers

setup() {
	setup_bundle
	[ -n "$CGROUP2" ] || skip "no cgroup2 mount"
	local c
	for c in memory pids cpu cpuset io hugetlb; do
		grep -qw "$c" "$CGROUP2/cgroup.controllers" ||
			skip "the $c controller is not in the v2 hierarchy (runs in the VM tier: make check-vm)"
	done
	BG=()
	# ids unique to this run: other test runs on the host share /berth/ID
	P="cg$$-"
}

teardown() {
	local p
	[ -z "${LOOPDEV:-}" ] || losetup -d "$LOOPDEV" 2>/dev/null || true
	for p in "${BG[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	teardown_berth
}

cg() {
	echo "$CGROUP2/berth/$1"
}

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds
wait_for() {
	local n=$(($1 * 10))
	shift
	while [ $n -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	"$@"
}

key() { # key FILE KEY -> value of "KEY value" in FILE
	awk -v k="$2" '$1 == k { print $2 }' "$1"
}

# major:minor of a block device of the VM (a loop device made for the test when
# there is none), or empty
block_dev() {
	local d
	for d in /sys/block/*; do
		[ -r "$d/dev" ] && { cat "$d/dev"; return 0; }
	done
	[ -e /dev/loop-control ] || modprobe loop 2>/dev/null || true
	truncate -s 8M "$BATS_TEST_TMPDIR/disk" 2>/dev/null ||
		dd if=/dev/zero of="$BATS_TEST_TMPDIR/disk" bs=1M count=8 2>/dev/null || return 0
	LOOPDEV=$(losetup -f 2>/dev/null) || return 0
	losetup "$LOOPDEV" "$BATS_TEST_TMPDIR/disk" 2>/dev/null || return 0
	d=/sys/block/${LOOPDEV##*/}
	[ -r "$d/dev" ] && cat "$d/dev"
	return 0
}

oom_kills_at_least() {
	[ "$(key "$(cg "$1")/memory.events" oom_kill)" -ge "$2" ]
}

pids_denied_at_least() {
	[ "$(key "$(cg "$1")/pids.events" max)" -ge "$2" ]
}

throttled() {
	[ "$(key "$(cg "$1")/cpu.stat" nr_throttled)" -gt 0 ]
}

pids_at_least() {
	[ "$(cat "$(cg "$1")/pids.current")" -ge "$2" ]
}

@test "limits: every linux.resources field is written and reads back" {
	update_config '.linux.resources += {
		"memory": {"limit": 67108864, "reservation": 33554432, "swap": 134217728},
		"cpu": {"shares": 1024, "quota": 50000, "period": 100000, "burst": 10000,
			"cpus": "0", "mems": "0", "idle": 0},
		"pids": {"limit": 42},
		"blockIO": {"weight": 500},
		"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}],
		"unified": {"memory.high": "62914560"}
	}'
	set_args sleep 100
	berth run -d --bundle "$BUNDLE" ${P}c1
	d=$(cg ${P}c1)
	[ "$(cat "$d/memory.max")" = 67108864 ]
	[ "$(cat "$d/memory.low")" = 33554432 ]
	[ ! -e "$d/memory.swap.max" ] || [ "$(cat "$d/memory.swap.max")" = 67108864 ]
	[ "$(cat "$d/memory.high")" = 62914560 ]
	[ "$(cat "$d/cpu.weight")" = 39 ] # runc's conversion of 1024 shares
	[ "$(cat "$d/cpu.max")" = "50000 100000" ]
	[ ! -e "$d/cpu.max.burst" ] || [ "$(cat "$d/cpu.max.burst")" = 10000 ]
	[ ! -e "$d/cpu.idle" ] || [ "$(cat "$d/cpu.idle")" = 0 ]
	[ "$(cat "$d/cpuset.cpus")" = 0 ]
	[ "$(cat "$d/cpuset.mems")" = 0 ]
	[ "$(cat "$d/pids.max")" = 42 ]
	if [ -e "$d/io.bfq.weight" ]; then
		grep -qx "default 500" "$d/io.bfq.weight"
	else
		grep -qx "default 4950" "$d/io.weight" # runc's conversion of blkio weight 500
	fi
	[ "$(cat "$d/hugetlb.2MB.max")" = 4194304 ]
	[ ! -e "$d/hugetlb.2MB.rsvd.max" ] || [ "$(cat "$d/hugetlb.2MB.rsvd.max")" = 4194304 ]
	# the controllers were enabled on the way down, and only there
	grep -qw memory "$CGROUP2/berth/cgroup.subtree_control"
	[ -z "$(cat "$d/cgroup.subtree_control")" ]
	# stats see the limits
	run berth events --stats ${P}c1
	echo "$output" | jq -e '.data.memory.usage.limit == 67108864'
	echo "$output" | jq -e '.data.pids.limit == 42 and .data.pids.current >= 1'
	echo "$output" | jq -e '.data.hugetlb["2MB"].max == 4194304'
}

@test "limits: io.max and io.weight for a block device of the VM" {
	dev=$(block_dev)
	[ -n "$dev" ] || skip "no block device in this VM"
	maj=${dev%:*} min=${dev#*:}
	update_config --argjson M "$maj" --argjson m "$min" '.linux.resources.blockIO = {
		"throttleReadBpsDevice": [{"major": $M, "minor": $m, "rate": 1048576}],
		"throttleWriteBpsDevice": [{"major": $M, "minor": $m, "rate": 2097152}],
		"throttleReadIOPSDevice": [{"major": $M, "minor": $m, "rate": 100}],
		"throttleWriteIOPSDevice": [{"major": $M, "minor": $m, "rate": 200}]}'
	set_args sleep 100
	berth run -d --bundle "$BUNDLE" ${P}c2
	grep -qx "$dev rbps=1048576 wbps=2097152 riops=100 wiops=200" "$(cg ${P}c2)/io.max"
}

@test "limits: a memory hog is OOM-killed at memory.max and events reports oom" {
	update_config '.linux.resources.memory = {"limit": 33554432}'
	set_args sh -c 'sleep 1; tail /dev/zero; echo hog-gone; sleep 100'
	berth run -d --bundle "$BUNDLE" ${P}c3
	[ "$(cat "$(cg ${P}c3)/memory.max")" = 33554432 ]
	berth events --interval 10s ${P}c3 >"$BATS_TEST_TMPDIR/events" &
	BG+=($!)
	wait_for 20 oom_kills_at_least ${P}c3 1
	wait_for 5 grep -q '"type":"oom"' "$BATS_TEST_TMPDIR/events"
	grep -qx "{\"type\":\"oom\",\"id\":\"${P}c3\"}" "$BATS_TEST_TMPDIR/events"
	# only the hog died; the container goes on
	[ "$(berth state ${P}c3 | jq -r .status)" = running ]
	[ "$(cat "$(cg ${P}c3)/memory.peak" 2>/dev/null || echo 33554432)" -le 33554432 ]
}

@test "limits: pids.max stops a fork bomb" {
	update_config '.linux.resources.pids = {"limit": 20}'
	set_args sh -c 'i=0; while [ $i -lt 100 ]; do sleep 100 & i=$((i+1)); done; wait'
	berth run -d --bundle "$BUNDLE" ${P}c4
	wait_for 10 pids_denied_at_least ${P}c4 1
	[ "$(cat "$(cg ${P}c4)/pids.current")" -le 20 ]
	[ "$(cat "$(cg ${P}c4)/pids.max")" = 20 ]
	berth delete --force ${P}c4
	assert_no_leftovers ${P}c4
}

@test "limits: cpu.max throttles a busy process; cpu.weight from shares" {
	update_config '.linux.resources.cpu = {"quota": 10000, "period": 100000, "shares": 512}'
	set_args sh -c 'while :; do :; done'
	berth run -d --bundle "$BUNDLE" ${P}c5
	d=$(cg ${P}c5)
	[ "$(cat "$d/cpu.max")" = "10000 100000" ]
	[ "$(cat "$d/cpu.weight")" = 20 ]
	wait_for 10 throttled ${P}c5
	run berth events --stats ${P}c5
	echo "$output" | jq -e '.data.cpu.throttling.throttledPeriods > 0'
	# 10% of one cpu: well under half a second of cpu time per second
	u1=$(key "$d/cpu.stat" usage_usec)
	sleep 1
	u2=$(key "$d/cpu.stat" usage_usec)
	[ $((u2 - u1)) -lt 300000 ]
}

@test "limits: hugetlb limits are written" {
	update_config '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 2097152}]'
	set_args sleep 100
	berth run -d --bundle "$BUNDLE" ${P}c6
	[ "$(cat "$(cg ${P}c6)/hugetlb.2MB.max")" = 2097152 ]
	update_config '.linux.resources.hugepageLimits = [{"pageSize": "3MB", "limit": 2097152}]'
	run berth create --bundle "$BUNDLE" ${P}c7
	[ "$status" -eq 1 ]
	[[ "$output" == *"page size 3MB is not supported"* ]]
	assert_no_leftovers ${P}c7
}

@test "limits: a device rule denies /dev/null inside the container" {
	update_config '.linux.resources.devices = [{"allow": false, "access": "rwm"},
		{"allow": false, "type": "c", "major": 1, "minor": 3, "access": "rw"}]'
	# (not "m": the runtime itself makes the node with mknod inside the cgroup, as runc)
	set_args sh -c 'cat /dev/null && echo null-ok; head -c1 /dev/zero | wc -c'
	run berth run --bundle "$BUNDLE" ${P}c8
	echo "$output"
	[[ "$output" == *"Operation not permitted"* ]]
	[[ "$output" != *null-ok* ]]
	[[ "$output" == *1* ]] # /dev/zero still works
}

@test "limits: update changes the limits of a running container" {
	update_config '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 100}'
	set_args sleep 100
	berth run -d --bundle "$BUNDLE" ${P}c9
	d=$(cg ${P}c9)
	berth update --memory 100m --memory-swap 200m --cpu-quota 20000 --cpu-period 100000 \
		--cpu-shares 2048 --pids-limit 50 --cpuset-cpus 0 --blkio-weight 300 ${P}c9
	[ "$(cat "$d/memory.max")" = 104857600 ]
	[ ! -e "$d/memory.swap.max" ] || [ "$(cat "$d/memory.swap.max")" = 104857600 ]
	[ "$(cat "$d/cpu.max")" = "20000 100000" ]
	[ "$(cat "$d/cpu.weight")" = 79 ]
	[ "$(cat "$d/pids.max")" = 50 ]
	[ "$(cat "$d/cpuset.cpus")" = 0 ]
	echo '{"memory": {"limit": 52428800}, "pids": {"limit": 30}, "unified": {"memory.high": "41943040"}}' |
		berth update --resources - ${P}c9
	[ "$(cat "$d/memory.max")" = 52428800 ]
	[ "$(cat "$d/pids.max")" = 30 ]
	[ "$(cat "$d/memory.high")" = 41943040 ]
	# a bad value changes nothing
	run berth update --cpu-shares 1 ${P}c9
	[ "$status" -eq 1 ]
	[ "$(cat "$d/cpu.weight")" = 79 ]
	run berth update --memory-swap 10m ${P}c9
	[ "$status" -eq 1 ]
	[[ "$output" == *"must be at least"* ]]
	[ "$(berth state ${P}c9 | jq -r .status)" = running ]
}

@test "limits: pause and resume a busy process" {
	set_args sh -c 'while :; do :; done'
	berth run -d --bundle "$BUNDLE" ${P}c10
	d=$(cg ${P}c10)
	berth pause ${P}c10
	[ "$(berth state ${P}c10 | jq -r .status)" = paused ]
	u1=$(key "$d/cpu.stat" usage_usec)
	sleep 0.5
	u2=$(key "$d/cpu.stat" usage_usec)
	[ $((u2 - u1)) -lt 20000 ]
	berth resume ${P}c10
	[ "$(berth state ${P}c10 | jq -r .status)" = running ]
	sleep 0.5
	u3=$(key "$d/cpu.stat" usage_usec)
	[ $((u3 - u2)) -gt 100000 ]
}

@test "limits: delete --force of a container full of processes" {
	update_config '.linux.resources.pids = {"limit": 200}'
	set_args sh -c 'i=0; while [ $i -lt 50 ]; do sleep 1000 & i=$((i+1)); done; while :; do :; done'
	berth run -d --bundle "$BUNDLE" ${P}c11
	wait_for 10 pids_at_least ${P}c11 51
	berth delete --force ${P}c11
	assert_no_leftovers ${P}c11
}

@test "limits: a container made without limits has the controllers; update adds limits" {
	# a parent of its own, so no earlier test has enabled anything there
	base="/berthvm-fresh-$$"
	update_config --arg p "$base/c12" '.linux.cgroupsPath = $p | del(.linux.resources.memory, .linux.resources.pids, .linux.resources.cpu)'
	set_args sleep 100
	berth run -d --bundle "$BUNDLE" ${P}c12
	d=$CGROUP2$base/c12
	# as runc: the controllers the parent offers are enabled, so stats see them
	run berth events --stats ${P}c12
	echo "$output" | jq -e '.data.memory.usage.usage > 0 and .data.pids.current >= 1'
	berth update --memory 50m --pids-limit 10 --cpu-quota 30000 ${P}c12
	[ "$(cat "$d/memory.max")" = 52428800 ]
	[ "$(cat "$d/pids.max")" = 10 ]
	[[ "$(cat "$d/cpu.max")" == "30000 "* ]]
	berth delete --force ${P}c12
	rmdir "$CGROUP2$base"
}
