#!/usr/bin/env bats
# Lifecycle states and runc's command-line behaviour: create -> created ->
# start -> running -> stopped -> delete; errors with runc's wording.

load helpers

setup() {
	setup_bundle
	set_args berth-testhelper sleep 100
}

teardown() {
	teardown_berth
}

@test "lifecycle: create, start, kill, delete walk through every status" {
	berth create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" c1
	run berth state c1
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r .status)" = created ]
	[ "$(echo "$output" | jq -r .id)" = c1 ]
	[ "$(echo "$output" | jq -r .bundle)" = "$BUNDLE" ]
	[ "$(echo "$output" | jq -r .rootfs)" = "$ROOTFS" ]
	pid=$(echo "$output" | jq -r .pid)
	[ "$pid" -gt 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$pid" ]
	[ -e "/proc/$pid" ]

	berth start c1
	wait_status c1 running
	run berth list
	[[ "${lines[1]}" == c1*running* ]]

	berth kill c1 KILL
	wait_status c1 stopped
	[ "$(berth state c1 | jq -r .pid)" = 0 ]
	run berth kill c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"container not running"* ]]

	berth delete c1
	run berth state c1
	[ "$status" -eq 1 ]
	[[ "$output" == *'container "c1" does not exist'* ]]
	assert_no_leftovers c1
}

@test "lifecycle: options after the id, -b short form, start twice refused" {
	cd /
	berth create c1 -b "$BUNDLE"
	berth start c1
	run berth start c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot start an already running container"* ]]
	run berth delete c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"is not stopped: running"* ]]
	berth delete c1 --force
	assert_no_leftovers c1
}

@test "lifecycle: duplicate create says container with id exists" {
	berth create --bundle "$BUNDLE" c1
	run berth create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"container with id exists: c1"* ]]
	# The first container is untouched.
	[ "$(berth state c1 | jq -r .status)" = created ]
}

@test "lifecycle: unknown containers use runc's wording everywhere" {
	for cmd in state start delete kill; do
		run berth $cmd nosuch
		[ "$status" -eq 1 ]
		[[ "$output" == *'container "nosuch" does not exist'* ]]
	done
}

@test "lifecycle: invalid ids are refused before anything happens" {
	for id in ../x a/b .. "a b" "$(printf 'x%.0s' $(seq 300))"; do
		run berth create --bundle "$BUNDLE" "$id"
		[ "$status" -eq 1 ]
		[[ "$output" == *"invalid container id"* ]]
	done
	[ -z "$(berth_ids)" ]
}

@test "lifecycle: kill takes names and numbers" {
	set_args berth-testhelper trap 0
	for sig in TERM SIGTERM 15 term; do
		berth run -d --bundle "$BUNDLE" c1
		berth kill c1 "$sig"
		wait_status c1 stopped
		berth delete c1
	done
	berth run -d --bundle "$BUNDLE" c1
	run berth kill c1 NOSUCHSIG
	[ "$status" -eq 1 ]
	[[ "$output" == *"invalid signal"* ]]
	berth kill --all c1 KILL
	wait_status c1 stopped
}

@test "lifecycle: delete of a created container works without --force (like runc)" {
	berth create --bundle "$BUNDLE" c1
	pid=$(berth state c1 | jq -r .pid)
	berth delete c1
	assert_no_leftovers c1
	for i in $(seq 50); do [ -e /proc/$pid ] || break; sleep 0.1; done
	[ ! -e /proc/$pid ] || [ "$(awk '{print $3}' /proc/$pid/stat)" = Z ]
}

@test "lifecycle: list formats: table, json, quiet" {
	berth create --bundle "$BUNDLE" c1
	berth create --bundle "$BUNDLE" c2
	run berth list -q
	[ "$output" = "$(printf 'c1\nc2')" ]
	run berth list --format json
	[ "$(echo "$output" | jq -r '.[].id' | tr '\n' ' ')" = "c1 c2 " ]
	[ "$(echo "$output" | jq -r '.[0].status')" = created ]
	run berth list
	[[ "${lines[0]}" == ID*PID*STATUS*BUNDLE*CREATED*OWNER ]]
}

@test "lifecycle: delete after init was kill -9'd from outside" {
	berth run -d --bundle "$BUNDLE" c1
	pid=$(berth state c1 | jq -r .pid)
	kill -9 "$pid"
	wait_status c1 stopped
	berth delete c1
	assert_no_leftovers c1
}

@test "lifecycle: a recycled pid is never reported running" {
	berth run -d --bundle "$BUNDLE" c1
	berth kill c1 KILL
	wait_status c1 stopped
	# Pretend the pid now belongs to another process: our own shell.
	jq --argjson p $$ '.pid = $p' "$BERTH_ROOT/c1/state.json" >"$BATS_TEST_TMPDIR/s"
	cp "$BATS_TEST_TMPDIR/s" "$BERTH_ROOT/c1/state.json"
	[ "$(berth state c1 | jq -r .status)" = stopped ]
	run berth kill c1 KILL
	[ "$status" -eq 1 ]
	[[ "$output" == *"container not running"* ]]
}

@test "lifecycle: creates racing for one id: exactly one wins, nothing is left half-made" {
	for i in $(seq 8); do
		(berth create --bundle "$BUNDLE" race >"$BATS_TEST_TMPDIR/out.$i" 2>&1; echo $? >"$BATS_TEST_TMPDIR/rc.$i") &
	done
	wait
	ok=0
	for i in $(seq 8); do
		if [ "$(cat "$BATS_TEST_TMPDIR/rc.$i")" = 0 ]; then
			ok=$((ok + 1))
		else
			grep -q "container with id exists: race" "$BATS_TEST_TMPDIR/out.$i"
		fi
	done
	[ "$ok" -eq 1 ]
	[ "$(berth state race | jq -r .status)" = created ]
	[ "$(berth_ids)" = race ]
	# No temp directories remain.
	[ -z "$(ls -A "$BERTH_ROOT" | grep -v '^race$')" ]
	berth delete race
	assert_no_leftovers race
}

@test "lifecycle: a new session keyring named after the id, unless --no-new-keyring" {
	update_config '.linux.maskedPaths = []'
	set_args berth-testhelper cat /proc/keys
	run berth run --bundle "$BUNDLE" kr1
	[ "$status" -eq 0 ]
	[[ "$output" == *"keyring   kr1: empty"* ]]
	run berth run --no-new-keyring --bundle "$BUNDLE" kr2
	[ "$status" -eq 0 ]
	[[ "$output" != *"kr2"* ]]
}

@test "lifecycle: --no-pivot runs the container with MS_MOVE + chroot" {
	set_args berth-testhelper mountinfo
	run berth run --no-pivot --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *" / "* ]]
	run berth run --no-pivot --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	assert_no_leftovers c1
}

@test "lifecycle: state JSON carries the config's annotations" {
	update_config '.annotations = {"org.example.key": "value \"quoted\""}'
	berth create --bundle "$BUNDLE" c1
	[ "$(berth state c1 | jq -r '.annotations["org.example.key"]')" = 'value "quoted"' ]
	[ "$(berth list --format json | jq -r '.[0].annotations["org.example.key"]')" = 'value "quoted"' ]
}

@test "lifecycle: one id under two --root dirs: deleting one never touches the other" {
	set_args berth-testhelper sleep 100
	other="$BATS_TEST_TMPDIR/root2"
	berth run -d --bundle "$BUNDLE" twin
	berth kill twin KILL
	wait_status twin stopped
	# Same id, same default cgroup path /berth/twin, another state root.
	"$BERTH" --root "$other" run -d --bundle "$BUNDLE" twin
	berth delete --force twin
	[ "$("$BERTH" --root "$other" state twin | jq -r .status)" = running ]
	"$BERTH" --root "$other" delete --force twin
	assert_no_leftovers twin
}
