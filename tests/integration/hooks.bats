#!/usr/bin/env bats
# OCI hooks: order, state on stdin, args and env, the namespace each runs
# in, failures (with the hook's path and status) and timeouts.

load helpers

setup() {
	setup_bundle
	LOG="$BATS_TEST_TMPDIR/hooks.log"
	HOOK="$BATS_TEST_TMPDIR/hook.sh"
	cat >"$HOOK" <<-EOS
	#!/bin/sh
	state=\$(cat)
	echo "\$1 \$(echo "\$state" | jq -r '.status + " " + (.pid|tostring) + " " + .id') \$(readlink /proc/self/ns/mnt) \$HOOKVAR" >>"$LOG"
	exit \${2:-0}
	EOS
	chmod +x "$HOOK"
	update_config '.root.readonly = false'
	# startContainer runs inside the container: its hook lives in the rootfs.
	cat >"$ROOTFS/bin/inhook.sh" <<-'EOS'
	#!/bin/sh
	echo "startContainer $(cat | wc -c) $(readlink /proc/self/ns/mnt)" >>/tmp/inhook.log
	EOS
	chmod +x "$ROOTFS/bin/inhook.sh"
}

teardown() {
	teardown_berth
}

all_hooks() {
	update_config --arg h "$HOOK" '.hooks = {
		"prestart": [{"path": $h, "args": ["hook", "prestart"], "env": ["HOOKVAR=v1"]}],
		"createRuntime": [{"path": $h, "args": ["hook", "createRuntime"], "env": ["HOOKVAR=v2"]}],
		"createContainer": [{"path": $h, "args": ["hook", "createContainer"]}],
		"startContainer": [{"path": "/bin/inhook.sh"}],
		"poststart": [{"path": $h, "args": ["hook", "poststart"]}],
		"poststop": [{"path": $h, "args": ["hook", "poststop"]}]}'
}

@test "hooks: every kind runs in order with the state on stdin, in its namespace" {
	all_hooks
	set_args berth-testhelper sleep 100
	berth create --bundle "$BUNDLE" c1
	pid=$(berth state c1 | jq -r .pid)
	hostmnt=$(readlink /proc/self/ns/mnt)
	ctrmnt=$(readlink /proc/$pid/ns/mnt)
	[ "$ctrmnt" != "$hostmnt" ]
	run cat "$LOG"
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[0]}" = "prestart created $pid c1 $hostmnt v1" ]
	[ "${lines[1]}" = "createRuntime created $pid c1 $hostmnt v2" ]
	[ "${lines[2]}" = "createContainer created $pid c1 $ctrmnt " ]
	berth start c1
	wait_status c1 running
	run cat "$LOG"
	[ "${lines[3]}" = "poststart running $pid c1 $hostmnt " ]
	# startContainer ran inside the container, with the state on stdin.
	run cat "$ROOTFS/tmp/inhook.log"
	[[ "$output" == "startContainer "[1-9]*" $ctrmnt" ]]
	berth kill c1 KILL
	wait_status c1 stopped
	berth delete c1
	run cat "$LOG"
	[ "${lines[4]}" = "poststop stopped 0 c1 $hostmnt " ]
	assert_no_leftovers c1
}

@test "hooks: run executes them all and removes the container after poststop" {
	all_hooks
	run berth run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	run awk '{print $1}' "$LOG"
	[ "$(echo $output)" = "prestart createRuntime createContainer poststart poststop" ]
	assert_no_leftovers c1
}

@test "hooks: a failing createRuntime hook fails create, names the hook, leaves nothing" {
	update_config --arg h "$HOOK" '.hooks = {"createRuntime": [{"path": $h, "args": ["hook", "cr", "3"]}]}'
	run berth create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"createRuntime hook $HOOK: exit status 3"* ]]
	assert_no_leftovers c1
}

@test "hooks: a failing createContainer hook fails create and leaves nothing" {
	update_config --arg h "$HOOK" '.hooks = {"createContainer": [{"path": $h, "args": ["hook", "cc", "5"]}]}'
	run berth run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"createContainer hook $HOOK: exit status 5"* ]]
	assert_no_leftovers c1
}

@test "hooks: a failing poststart hook is a warning; the container runs" {
	update_config --arg h "$HOOK" '.hooks = {"poststart": [{"path": $h, "args": ["hook", "ps", "4"]}]}'
	set_args berth-testhelper echo still-ran
	run berth run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[[ "$output" == *still-ran* ]]
	[[ "$output" == *"poststart hook $HOOK: exit status 4"* ]]
}

@test "hooks: a hook over its timeout is killed and fails the operation" {
	cat >"$BATS_TEST_TMPDIR/slow.sh" <<-'EOS'
	#!/bin/sh
	sleep 30
	EOS
	chmod +x "$BATS_TEST_TMPDIR/slow.sh"
	update_config --arg h "$BATS_TEST_TMPDIR/slow.sh" '.hooks = {"prestart": [{"path": $h, "timeout": 1}]}'
	start=$(date +%s)
	run berth run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"timed out after 1 s"* ]]
	[ $(($(date +%s) - start)) -lt 10 ]
	assert_no_leftovers c1
}

@test "hooks: a missing hook binary fails with its path" {
	update_config '.hooks = {"prestart": [{"path": "/nonexistent/hook"}]}'
	run berth run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"/nonexistent/hook"* ]]
	assert_no_leftovers c1
}
