#!/usr/bin/env bats
# cgroup v2 on this host (whatever its controllers): placement (default,
# absolute and relative cgroupsPath, systemd slices), freeze/thaw of a busy
# process, cgroup.kill, events, removal, device rules by eBPF, the clear
# error for a controller the hierarchy lacks, and --cgroup-manager=disabled.
# Limits themselves are tested in the VM tier (tests/vm/cgroups-limits.bats).

load helpers

setup() {
	setup_bundle
	[ -n "$CGROUP2" ] || skip "no cgroup2 mount"
	EXTRA_CG=()
	# ids unique to this run: other test runs on the host share /berth/ID
	P="cg$$-"
}

teardown() {
	teardown_berth
	local d
	# parents berth made (and, like runc, left) for this test's cgroupsPaths
	for d in "${EXTRA_CG[@]}"; do
		rmdir "$CGROUP2$d" 2>/dev/null || true
	done
}

# The v2 cgroup of PID, as seen in /proc/PID/cgroup.
cg_of() {
	awk -F: '$1 == "0" { print $3 }' "/proc/$1/cgroup"
}

init_pid() {
	berth state "$1" | jq -r .pid
}

# user+system clock ticks of PID
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

has_controller() {
	grep -qw "$1" "$CGROUP2/cgroup.controllers"
}

host_mode() {
	if awk '$9 == "cgroup" { found=1 } END { exit !found }' /proc/self/mountinfo; then
		echo "hybrid cgroup host"
	else
		echo "unified cgroup host"
	fi
}

@test "cgroups: the init is born in /berth/ID; delete removes it and leaves /berth" {
	set_args sleep 100
	berth run -d --bundle "$BUNDLE" ${P}c1
	pid=$(init_pid ${P}c1)
	[ "$(cg_of "$pid")" = /berth/${P}c1 ]
	[ -d "$CGROUP2/berth/${P}c1" ]
	grep -qx "$pid" "$CGROUP2/berth/${P}c1/cgroup.procs"
	berth delete --force ${P}c1
	[ ! -e "$CGROUP2/berth/${P}c1" ]
	[ -d "$CGROUP2/berth" ] # parents stay, as with runc
	assert_no_leftovers ${P}c1
}

@test "cgroups: an absolute cgroupsPath is created (mkdir -p) and removed" {
	base="/berth-bats-$$"
	EXTRA_CG=("$base/sub" "$base")
	update_config --arg p "$base/sub/c2" '.linux.cgroupsPath = $p'
	set_args sleep 100
	berth run -d --bundle "$BUNDLE" ${P}c2
	[ "$(cg_of "$(init_pid ${P}c2)")" = "$base/sub/c2" ]
	berth delete --force ${P}c2
	[ ! -e "$CGROUP2$base/sub/c2" ]
	[ -d "$CGROUP2$base/sub" ]
}

@test "cgroups: a relative cgroupsPath is below berth's own cgroup" {
	own=$(cg_of $$)
	rel="berth-bats-rel-$$"
	prefix=${own%/}
	EXTRA_CG=("$prefix/$rel")
	update_config --arg p "$rel/c3" '.linux.cgroupsPath = $p'
	set_args sleep 100
	berth run -d --bundle "$BUNDLE" ${P}c3
	[ "$(cg_of "$(init_pid ${P}c3)")" = "$prefix/$rel/c3" ]
	berth delete --force ${P}c3
	[ ! -e "$CGROUP2$prefix/$rel/c3" ]
}

@test "cgroups: a cgroupsPath with .. is refused and nothing is left" {
	update_config '.linux.cgroupsPath = "/berth-x/../../etc"'
	run berth create --bundle "$BUNDLE" ${P}c4
	[ "$status" -eq 1 ]
	[[ "$output" == *'".." is not allowed'* ]]
	assert_no_leftovers ${P}c4
	[ ! -e "$CGROUP2/berth-x" ]
}

@test "cgroups: --systemd-cgroup without systemd uses the slice path on the filesystem" {
	[ ! -d /run/systemd/system ] || skip "systemd runs here: the scope goes through D-Bus"
	EXTRA_CG=("/berthbats.slice/berthbats-t.slice" "/berthbats.slice")
	update_config --arg p "berthbats-t.slice:pfx:${P}c5" '.linux.cgroupsPath = $p'
	set_args sleep 100
	berth --systemd-cgroup run -d --bundle "$BUNDLE" ${P}c5
	[ "$(cg_of "$(init_pid ${P}c5)")" = /berthbats.slice/berthbats-t.slice/pfx-${P}c5.scope ]
	berth delete --force ${P}c5
	[ ! -e "$CGROUP2/berthbats.slice/berthbats-t.slice/pfx-${P}c5.scope" ]
	update_config '.linux.cgroupsPath = "/not/systemd"'
	run berth --systemd-cgroup create --bundle "$BUNDLE" ${P}c6
	[ "$status" -eq 1 ]
	[[ "$output" == *'slice:prefix:name'* ]]
	assert_no_leftovers ${P}c6
}

@test "cgroups: pause freezes a busy process, resume thaws it; status paused in state and list" {
	set_args sh -c 'while :; do :; done'
	berth run -d --bundle "$BUNDLE" ${P}c7
	pid=$(init_pid ${P}c7)
	berth pause ${P}c7
	[ "$(berth state ${P}c7 | jq -r .status)" = paused ]
	[ "$(berth list --format json | jq -r '.[0].status')" = paused ]
	grep -qx "frozen 1" "$CGROUP2/berth/${P}c7/cgroup.events"
	t1=$(cpu_ticks "$pid")
	sleep 0.5
	t2=$(cpu_ticks "$pid")
	[ $((t2 - t1)) -le 1 ]
	run berth pause ${P}c7
	[ "$status" -eq 1 ]
	[[ "$output" == *"already paused"* ]]
	berth resume ${P}c7
	[ "$(berth state ${P}c7 | jq -r .status)" = running ]
	# Thawed: the busy loop gets CPU again (wait for progress, no rate asserted).
	t1=$(cpu_ticks "$pid")
	for _ in $(seq 100); do
		t2=$(cpu_ticks "$pid")
		[ "$t2" -gt "$t1" ] && break
		sleep 0.1
	done
	[ "$t2" -gt "$t1" ]
	run berth resume ${P}c7
	[ "$status" -eq 1 ]
	[[ "$output" == *"not paused"* ]]
}

@test "cgroups: delete --force of a paused container full of processes (cgroup.kill)" {
	set_args sh -c 'for i in 1 2 3 4 5 6 7 8; do sleep 1000 & done; wait'
	berth run -d --bundle "$BUNDLE" ${P}c8
	for i in $(seq 50); do
		[ "$(wc -l <"$CGROUP2/berth/${P}c8/cgroup.procs")" -ge 9 ] && break
		sleep 0.1
	done
	pids=$(cat "$CGROUP2/berth/${P}c8/cgroup.procs")
	[ "$(echo "$pids" | wc -l)" -eq 9 ]
	berth pause ${P}c8
	berth delete --force ${P}c8
	for p in $pids; do
		[ ! -e "/proc/$p" ] || [ "$(awk '{print $3}' "/proc/$p/stat")" = Z ]
	done
	assert_no_leftovers ${P}c8
}

@test "cgroups: kill --all KILL empties the cgroup" {
	set_args sh -c 'sleep 1000 & sleep 1000 & wait'
	berth run -d --bundle "$BUNDLE" ${P}c9
	for i in $(seq 50); do
		[ "$(wc -l <"$CGROUP2/berth/${P}c9/cgroup.procs")" -ge 3 ] && break
		sleep 0.1
	done
	berth kill --all ${P}c9 KILL
	wait_status ${P}c9 stopped
	for i in $(seq 50); do
		grep -qx "populated 0" "$CGROUP2/berth/${P}c9/cgroup.events" && break
		sleep 0.1
	done
	grep -qx "populated 0" "$CGROUP2/berth/${P}c9/cgroup.events"
	berth delete ${P}c9
	assert_no_leftovers ${P}c9
}

@test "cgroups: events --stats prints one runc-style stats line" {
	set_args sleep 100
	berth run -d --bundle "$BUNDLE" ${P}c10
	run berth events --stats ${P}c10
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "$(echo "$output" | jq -r .type)" = stats ]
	[ "$(echo "$output" | jq -r .id)" = ${P}c10 ]
	echo "$output" | jq -e '.data.cpu.usage.total | numbers'
	echo "$output" | jq -e '.data.cpu.throttling | objects'
	if has_controller pids; then
		echo "$output" | jq -e '.data.pids.current >= 1'
	fi
	run berth events --stats nosuch
	[ "$status" -eq 1 ]
	[[ "$output" == *"does not exist"* ]]
}

@test "cgroups: events streams stats every --interval until the container stops" {
	set_args sh -c 'sleep 2'
	berth run -d --bundle "$BUNDLE" ${P}c11
	run timeout 10 "$BERTH" --root "$BERTH_ROOT" events --interval 100ms ${P}c11
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -ge 3 ]
	[ "${#lines[@]}" -le 25 ]
	for l in "${lines[@]}"; do
		[ "$(echo "$l" | jq -r .type)" = stats ]
	done
	run berth events --interval 5q ${P}c11
	[ "$status" -eq 1 ]
	[[ "$output" == *"invalid duration"* ]]
}

@test "cgroups: device rules are enforced by eBPF: the standard set allowed, a deny wins" {
	set_args sh -c '(: </dev/kmsg) 2>&1 || echo kmsg-denied; head -c1 /dev/zero | wc -c && echo zero-ok; cat /dev/null && echo null-read-ok; (echo x >/dev/null) && echo null-ok'
	update_config '.linux.resources.devices = [{"allow": false, "access": "rwm"}]'
	run berth run --bundle "$BUNDLE" ${P}c12
	[ "$status" -eq 0 ]
	[[ "$output" == *kmsg-denied*zero-ok*null-read-ok*null-ok* ]]
	berth delete ${P}c12 2>/dev/null || true
	update_config '.linux.resources.devices += [{"allow": false, "type": "c", "major": 1, "minor": 3, "access": "w"}]'
	run berth run --bundle "$BUNDLE" ${P}c13
	[[ "$output" != *null-ok* ]]
	[[ "$output" == *"Operation not permitted"* ]]
	[[ "$output" == *zero-ok*null-read-ok* ]]
}

@test "cgroups: a limit whose controller is missing is a clear error; nothing is left" {
	has_controller memory && skip "this host's v2 hierarchy has memory (the VM tier tests limits)"
	update_config '.linux.resources.memory = {"limit": 67108864}'
	run berth create --bundle "$BUNDLE" ${P}c14
	[ "$status" -eq 1 ]
	[[ "$output" == *"cgroup: cannot apply linux.resources.memory: the memory controller is not available on the cgroup v2 hierarchy ($(host_mode))"* ]]
	assert_no_leftovers ${P}c14
	# update of a running container: the same error, the container untouched
	update_config 'del(.linux.resources.memory)'
	set_args sleep 100
	berth run -d --bundle "$BUNDLE" ${P}c15
	run berth update --memory 64m ${P}c15
	[ "$status" -eq 1 ]
	[[ "$output" == *"the memory controller is not available"* ]]
	[ "$(berth state ${P}c15 | jq -r .status)" = running ]
}

@test "cgroups: --cgroup-manager=disabled runs without a cgroup" {
	set_args sleep 100
	berth --cgroup-manager=disabled run -d --bundle "$BUNDLE" ${P}c16
	pid=$(init_pid ${P}c16)
	[ "$(cg_of "$pid")" = "$(cg_of $$)" ]
	[ ! -e "$CGROUP2/berth/${P}c16" ]
	run berth pause ${P}c16
	[ "$status" -eq 1 ]
	[[ "$output" == *"no cgroup"* ]]
	[ "$(berth state ${P}c16 | jq -r .status)" = running ]
	berth delete --force ${P}c16
	for i in $(seq 50); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
	[ ! -e "/proc/$pid" ] || [ "$(awk '{print $3}' "/proc/$pid/stat")" = Z ]
	assert_no_leftovers ${P}c16
}
