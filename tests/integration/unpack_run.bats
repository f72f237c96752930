#!/usr/bin/env bats
# End to end: berth-unpack an image, then `berth run` the bundle unchanged.

load unpack/helpers

setup() {
	require_tools
	[ -x "$BERTH" ] || skip "berth not built (make)"
	[ "$(id -u)" = 0 ] || skip "berth run needs root"
	BERTH_ROOT="$BATS_TEST_TMPDIR/state"
	mkdir -p "$BERTH_ROOT"
}

teardown() {
	[ -n "${BERTH_ROOT:-}" ] || return 0
	"$BERTH" --root "$BERTH_ROOT" delete --force unpack-e2e >/dev/null 2>&1 || true
}

@test "berth-unpack then berth run prints from inside the container" {
	mkimage basic "$BATS_TEST_TMPDIR/img"
	unpack "$BATS_TEST_TMPDIR/img" "$BATS_TEST_TMPDIR/b"
	cd "$BATS_TEST_TMPDIR/b"
	run timeout 30 "$BERTH" --root "$BERTH_ROOT" run unpack-e2e
	echo "$output"
	if [[ "$output" == *"not implemented"* ]]; then
		skip "berth run cannot run containers yet"
	fi
	[ "$status" -eq 0 ]
	[ "$output" = hello ]
}

@test "the image's user, cwd and env reach the container process" {
	python3 - "$BATS_TEST_TMPDIR/img" <<-'PY'
	import sys
	sys.path.insert(0, "tests/integration/unpack")
	import mkimage as m
	m.simple(sys.argv[1], [m.busybox_entries() + [m.d("work")]],
	         config={"Entrypoint": ["/bin/sh", "-c"],
	                 "Cmd": ["echo $(/bin/busybox id -u):$(/bin/busybox id -g) $(/bin/busybox pwd) $GREETING"],
	                 "User": "app", "WorkingDir": "/work", "Env": ["GREETING=hi"]})
	PY
	unpack "$BATS_TEST_TMPDIR/img" "$BATS_TEST_TMPDIR/b"
	cd "$BATS_TEST_TMPDIR/b"
	run timeout 30 "$BERTH" --root "$BERTH_ROOT" run unpack-e2e
	echo "$output"
	if [[ "$output" == *"not implemented"* ]]; then
		skip "berth run cannot run containers yet"
	fi
	[ "$status" -eq 0 ]
	[ "$output" = "1000:1000 /work hi" ]
}
