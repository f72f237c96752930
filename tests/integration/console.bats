#!/usr/bin/env bats
# process.terminal: the pty master goes to --console-socket (SCM_RIGHTS);
# a foreground run relays the terminal.

load helpers

setup() {
	setup_bundle
	update_config '.process.terminal = true'
}

teardown() {
	teardown_berth
	[ -z "${recv:-}" ] || kill "$recv" 2>/dev/null || true
}

start_receiver() {
	SOCK="$BATS_TEST_TMPDIR/console.sock"
	OUT="$BATS_TEST_TMPDIR/console.out"
	"$HELPER" recvtty "$SOCK" "$OUT" &
	recv=$!
	for i in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
}

@test "console: the pty master reaches the console socket; fds 0-2 are the tty" {
	update_config '.process.consoleSize = {"height": 33, "width": 111}'
	set_args berth-testhelper isatty
	start_receiver
	berth create --console-socket "$SOCK" --bundle "$BUNDLE" c1
	berth start c1
	wait $recv
	recv=
	run cat "$OUT"
	[[ "${lines[0]}" == "received a pty master: tty"* ]]
	[[ "$output" == *"0 yes"* ]]
	[[ "$output" == *"1 yes"* ]]
	[[ "$output" == *"2 yes"* ]]
	[[ "$output" == *"size 33 111"* ]]
}

@test "console: /dev/console inside is the pty" {
	set_args /bin/sh -c 'berth-testhelper cat /proc/self/mountinfo | grep " /dev/console "; tty'
	start_receiver
	berth run -d --console-socket "$SOCK" --bundle "$BUNDLE" c1
	wait $recv
	recv=
	run cat "$OUT"
	[[ "$output" == *"/dev/console"* ]]
	[[ "$output" == *"/dev/pts/0"* ]]
}

@test "console: a terminal without --console-socket cannot detach" {
	run berth create --bundle "$BUNDLE" c1
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot allocate tty"* ]]
	assert_no_leftovers c1
}

@test "console: a foreground run relays the terminal and exits with the status" {
	command -v script >/dev/null || skip "script(1) not installed"
	set_args /bin/sh -c 'berth-testhelper isatty; exit 5'
	run script -qec "'$BERTH' --root '$BERTH_ROOT' run --bundle '$BUNDLE' c1" /dev/null
	[ "$status" -eq 5 ]
	[[ "$output" == *"0 yes"* ]]
	[[ "$output" == *"size "* ]]
	assert_no_leftovers c1
}
