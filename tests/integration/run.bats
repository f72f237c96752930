#!/usr/bin/env bats
# `berth run`: stdio passes through, exit statuses (128+N on signal N),
# signals forwarded to the container, --detach, --keep, --pid-file.

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_berth
}

@test "run: prints from inside and removes the container afterwards" {
	set_args berth-testhelper echo hello from inside
	run berth run --bundle "$BUNDLE" c1
	[ "$status" -eq 0 ]
	[ "$output" = "hello from inside" ]
	assert_no_leftovers c1
}

@test "run: exit status of the container process" {
	for n in 0 1 3 42 255; do
		set_args berth-testhelper exit $n
		run berth run --bundle "$BUNDLE" c1
		[ "$status" -eq "$n" ]
		assert_no_leftovers c1
	done
}

@test "run: killed by signal N exits 128+N" {
	# pid 1 of a pid namespace only gets signals it handles, or SIGKILL
	# from outside.
	set_args berth-testhelper sleep 100
	"$BERTH" --root "$BERTH_ROOT" run --bundle "$BUNDLE" c1 &
	runpid=$!
	wait_status c1 running
	berth kill c1 KILL
	rc=0
	wait $runpid || rc=$?
	[ "$rc" -eq 137 ]
	assert_no_leftovers c1
}

@test "run: stdin passes through" {
	set_args berth-testhelper cat
	run bash -c "echo piped-in | '$BERTH' --root '$BERTH_ROOT' run --bundle '$BUNDLE' c1"
	[ "$status" -eq 0 ]
	[ "$output" = "piped-in" ]
}

@test "run: signals sent to berth reach the container" {
	set_args berth-testhelper trap 7
	out="$BATS_TEST_TMPDIR/out"
	"$BERTH" --root "$BERTH_ROOT" run --bundle "$BUNDLE" c1 >"$out" 2>&1 &
	runpid=$!
	for i in $(seq 50); do grep -q ready "$out" && break; sleep 0.1; done
	kill -USR1 $runpid
	rc=0
	wait $runpid || rc=$?
	[ "$rc" -eq 7 ]
	grep -q "signal 10" "$out"
	assert_no_leftovers c1
}

@test "run: SIGTERM is forwarded; pid 1 without a handler ignores it like the kernel says" {
	set_args /bin/sh -c 'echo ready; exec sleep 100'
	out="$BATS_TEST_TMPDIR/out"
	"$BERTH" --root "$BERTH_ROOT" run --bundle "$BUNDLE" c1 >"$out" 2>&1 &
	runpid=$!
	for i in $(seq 50); do grep -q ready "$out" && break; sleep 0.1; done
	# sleep as pid 1 of a pid namespace ignores SIGTERM without a handler: use KILL.
	kill -TERM $runpid
	sleep 0.3
	kill -0 $runpid # still waiting: pid 1 ignored TERM
	berth kill c1 KILL
	rc=0
	wait $runpid || rc=$?
	[ "$rc" -eq 137 ]
}

@test "run --detach returns once the container runs; --pid-file written" {
	set_args berth-testhelper sleep 100
	berth run -d --pid-file "$BATS_TEST_TMPDIR/pid" --bundle "$BUNDLE" c1
	[ "$(berth state c1 | jq -r .status)" = running ]
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$(berth state c1 | jq -r .pid)" ]
	berth delete --force c1
	assert_no_leftovers c1
}

@test "run --keep leaves a stopped container to delete" {
	set_args berth-testhelper exit 0
	berth run --keep --bundle "$BUNDLE" c1
	[ "$(berth state c1 | jq -r .status)" = stopped ]
	berth delete c1
	assert_no_leftovers c1
}

@test "run: only fds 0-2 reach the container; --preserve-fds keeps more" {
	set_args berth-testhelper fds
	run berth run --bundle "$BUNDLE" c1 3</etc/hostname 4</etc/hostname
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk '{print $1}' | tr '\n' ' ')" = "0 1 2 " ]
	run berth run --preserve-fds 1 --bundle "$BUNDLE" c1 3</etc/hostname 4</etc/hostname
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk '{print $1}' | tr '\n' ' ')" = "0 1 2 3 " ]
}

@test "run: LISTEN_FDS are passed with LISTEN_PID=1" {
	set_args berth-testhelper env
	run env LISTEN_FDS=1 "$BERTH" --root "$BERTH_ROOT" run --bundle "$BUNDLE" c1 3</etc/hostname
	[ "$status" -eq 0 ]
	[[ "$output" == *LISTEN_FDS=1* ]]
	[[ "$output" == *LISTEN_PID=1* ]]
}

@test "run: a missing executable is an error naming it, and leaves nothing" {
	set_args nosuchbinary
	run berth run --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *'"nosuchbinary"'* ]]
	[[ "$output" == *"not found"* ]]
	assert_no_leftovers c1
}
