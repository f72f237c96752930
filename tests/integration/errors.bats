#!/usr/bin/env bats
# Failures at each step print one clear error, exit 1 and leave nothing:
# no process, no mount, no cgroup, no state directory.

load helpers

setup() {
	setup_bundle
	set_args berth-testhelper sleep 100
}

teardown() {
	teardown_berth
}

# No process of ours still has the bundle's rootfs as its root or cwd.
assert_no_process() {
	local p
	for p in /proc/[0-9]*; do
		if [ "$(readlink "$p/root" 2>/dev/null)" = "$ROOTFS" ]; then
			echo "process ${p#/proc/} left in the rootfs" >&2
			return 1
		fi
	done
}

expect_clean_failure() { # PATTERN
	run berth run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$1"* ]]
	[ "$(echo "$output" | grep -c berth:)" -eq 1 ]
	assert_no_leftovers c1
	assert_no_process
	run berth create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	assert_no_leftovers c1
}

@test "errors: invalid config changes nothing" {
	update_config '.process.args = "not-an-array"'
	expect_clean_failure ".process.args"
	[ ! -e "$BERTH_ROOT/c1" ]
}

@test "errors: a missing rootfs" {
	update_config '.root.path = "nosuchdir"'
	expect_clean_failure "nosuchdir"
}

@test "errors: a bad mount" {
	update_config '.mounts += [{"destination": "/mnt", "type": "nosuchfs", "source": "none"}]'
	expect_clean_failure "/mnt"
}

@test "errors: a missing executable" {
	set_args /bin/nosuch
	expect_clean_failure "nosuch"
}

@test "errors: a bad sysctl" {
	update_config '.linux.sysctl = {"net.nosuch.key": "1"}'
	expect_clean_failure "net.nosuch.key"
}

@test "errors: a missing bundle" {
	run berth create --bundle /nonexistent/bundle c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"/nonexistent/bundle"* ]]
	assert_no_leftovers c1
}

@test "errors: the init killed during create leaves nothing" {
	cat >"$BATS_TEST_TMPDIR/killer.sh" <<-'EOS'
	#!/bin/sh
	pid=$(jq -r .pid)
	kill -9 "$pid"
	sleep 0.2
	EOS
	chmod +x "$BATS_TEST_TMPDIR/killer.sh"
	update_config --arg h "$BATS_TEST_TMPDIR/killer.sh" '.hooks = {"createRuntime": [{"path": $h}]}'
	run berth create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"container init exited"* || "$output" == *"sync"* ]]
	assert_no_leftovers c1
	assert_no_process
}

@test "errors: a config with linux.resources still runs" {
	# Only what this hybrid host's cgroup2 can give (device rules are BPF);
	# limits on missing controllers are refused by design (cgroups tests).
	update_config '.linux.resources = {"devices": [{"allow": false, "access": "rwm"},
		{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]}'
	set_args /bin/sh -c 'echo x >/dev/null && echo ok'
	run berth run --bundle "$BUNDLE" c1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
}

# Fields `berth features` reports unsupported are refused, not ignored.
@test "errors: process.apparmorProfile is refused" {
	update_config '.process.apparmorProfile = "berth-test"'
	expect_clean_failure "config.json: .process.apparmorProfile: AppArmor is not supported"
}

@test "errors: process.selinuxLabel is refused" {
	update_config '.process.selinuxLabel = "system_u:system_r:container_t:s0"'
	expect_clean_failure "config.json: .process.selinuxLabel: SELinux is not supported"
}

@test "errors: linux.mountLabel is refused" {
	update_config '.linux.mountLabel = "system_u:object_r:container_file_t:s0"'
	expect_clean_failure "config.json: .linux.mountLabel: SELinux is not supported"
}

@test "errors: linux.intelRdt is refused" {
	update_config '.linux.intelRdt = {"closID": "berth-test"}'
	expect_clean_failure "config.json: .linux.intelRdt: Intel RDT is not supported"
}

@test "errors: exec refuses --apparmor, --process-label and a labelled process.json" {
	berth create --bundle "$BUNDLE" c1
	berth start c1
	local before
	before=$(berth ps c1 | wc -l)
	run berth exec --apparmor berth-test c1 berth-testhelper echo EXECRAN
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"--apparmor: AppArmor is not supported"* ]]
	[[ "$output" != *EXECRAN* ]]
	run berth exec --process-label system_u:system_r:container_t:s0 c1 berth-testhelper echo EXECRAN
	[ "$status" -eq 1 ]
	[[ "$output" == *"--process-label: SELinux is not supported"* ]]
	cat >"$BATS_TEST_TMPDIR/p.json" <<-'EOS'
	{"args": ["berth-testhelper", "echo", "EXECRAN"], "cwd": "/", "user": {"uid": 0, "gid": 0},
	 "apparmorProfile": "berth-test"}
	EOS
	run berth exec --process "$BATS_TEST_TMPDIR/p.json" c1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"p.json: .apparmorProfile: AppArmor is not supported"* ]]
	[[ "$output" != *EXECRAN* ]]
	# Nothing was started in the container and it still runs.
	[ "$(berth ps c1 | wc -l)" -eq "$before" ]
	run berth state c1
	[[ "$output" == *'"running"'* ]]
}
